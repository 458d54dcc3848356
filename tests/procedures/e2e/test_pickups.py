import re

import pytest
from playwright.sync_api import expect

from portail.procedures.models import ServiceRequest, Status
from tests.conftest import assert_accessible, login
from tests.factories import AgentFactory, ChildFactory, PickupFactory


@pytest.mark.django_db(transaction=True)
def test_pickups_journey_add_existing_and_new_remove_then_agent_closes(page, parent, mailbox):
    user, household, lea = parent
    hugo = ChildFactory(household=household, first_name="Hugo")
    PickupFactory(child=lea, first_name="Jeanne", last_name="Durand")
    PickupFactory(child=hugo, first_name="Marc", last_name="Leroy", relationship="Voisin")

    login(page, user.username)
    page.get_by_role("link", name="Gérer les personnes autorisées à récupérer mon enfant @").click()
    assert_accessible(page)
    page.get_by_label("Enfant").select_option(label=str(lea))
    page.get_by_role("button", name="suivant").click()

    table = page.locator("table")
    assert "Durand" in table.inner_text() and "Leroy" not in table.inner_text()
    expect(page.get_by_role("columnheader", name="action")).to_be_visible()
    assert_accessible(page)

    # One already in the account (authorised for Hugo).
    page.get_by_text("ajouter une nouvelle personne").click()
    page.get_by_label("existant dans le compte", exact=True).check()
    page.get_by_label("Personne existant dans le compte").select_option(label="Marc Leroy (Voisin)")
    page.get_by_role("button", name="Ajouter").click()
    assert "Leroy" in page.locator("table").inner_text()

    # A new one: mandatory fields are marked and checked.
    page.get_by_text("ajouter une nouvelle personne").click()
    page.get_by_label("nouvelle", exact=True).check()
    page.get_by_label("Prénom").fill("Anne")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert page.get_by_label("Prénom").input_value() == "Anne"  # nothing typed is lost
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Nom")).fill("Petit")
    page.get_by_label("Lien avec l'enfant").fill("Tante")
    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_role("button", name="Ajouter").click()

    page.get_by_role("button", name="Supprimer Jeanne Durand").click()
    names = page.locator("tbody").inner_text()
    assert "Durand" not in names and "Leroy" in names and "Petit" in names
    assert [str(p) for p in lea.authorized_pickups.all()] == ["Jeanne Durand"]  # not yet
    page.get_by_role("button", name="valider la demande").click()

    sr = ServiceRequest.objects.get()
    assert sr.status == Status.PENDING
    expect(page.get_by_text("en attente").first).to_be_visible()
    assert_accessible(page)
    assert sr.reference in mailbox.last(user.email)["subject"]

    page.context.clear_cookies()
    agent = AgentFactory()
    login(page, agent.username)
    page.goto(f"/gestion/demandes/{sr.pk}/")
    page.get_by_role("button", name="Prendre en traitement").click()
    page.get_by_role("button", name="Clore").click()
    expect(page.get_by_text(f"Demande {sr.reference}\u00a0: clos.")).to_be_visible()
    assert sorted(str(p) for p in lea.authorized_pickups.all()) == ["Anne Petit", "Marc Leroy"]
    assert [str(p) for p in hugo.authorized_pickups.all()] == ["Marc Leroy"]
    assert mailbox.last(user.email)["subject"] == f"Demande {sr.reference}\u00a0: clos"


@pytest.mark.django_db(transaction=True)
def test_pickups_form_checks_phone_duplicates_adults_and_empty_request(page, parent):
    user, household, lea = parent
    PickupFactory(child=lea, first_name="Jeanne", last_name="Durand")
    adult = household.adults.get()

    login(page, user.username)
    page.goto("/demarches/personnes-autorisees/")
    page.get_by_label("Enfant").select_option(label=str(lea))
    page.get_by_role("button", name="suivant").click()

    # Nothing changed: the request is refused with a message.
    page.get_by_role("button", name="valider la demande").click()
    expect(page.get_by_text("La liste n'a pas changé")).to_be_visible()
    assert ServiceRequest.objects.get().status == Status.DRAFT
    assert_accessible(page)

    # A phone « abc » is refused beside the field, as in « Mon profil ».
    page.get_by_text("ajouter une nouvelle personne").click()
    page.get_by_label("Prénom").fill("Anne")
    page.get_by_label(re.compile(r"^Nom")).fill("Petit")
    page.get_by_label("Lien avec l'enfant").fill("Tante")
    page.get_by_label("Téléphone").fill("abc")
    page.get_by_role("button", name="Ajouter").click()
    phone_field = page.locator(".field-error", has=page.get_by_label("Téléphone"))
    assert "au moins 10 chiffres" in phone_field.inner_text()
    assert_accessible(page)

    # The same person twice is refused.
    page.get_by_label("Prénom").fill("jeanne")
    page.get_by_label(re.compile(r"^Nom")).fill("DURAND")
    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Cette personne est déjà dans la liste.")).to_be_visible()
    assert_accessible(page)

    # The household's adults are offered among those already in the account.
    page.get_by_label("existant dans le compte", exact=True).check()
    page.get_by_label("Personne existant dans le compte").select_option(
        label=f"{adult.first_name} {adult.last_name} (Mère)"
    )
    page.get_by_role("button", name="Ajouter").click()
    assert adult.last_name in page.locator("tbody").inner_text()
    page.get_by_role("button", name="valider la demande").click()
    assert ServiceRequest.objects.get().status == Status.PENDING
