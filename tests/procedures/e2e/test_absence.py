import datetime

import pytest
from playwright.sync_api import expect

from portail.agenda.models import Attendance, Booking
from portail.core import clock
from portail.procedures.models import ServiceRequest, Status
from tests.conftest import assert_accessible, login
from tests.factories import AgentFactory
from tests.procedures.conftest import make_activities


def school_day(after: int) -> datetime.date:
    """The first day the activities open (not Wednesday nor the weekend), `after` days on."""
    day = clock.today() + datetime.timedelta(days=after)
    while day.weekday() not in (0, 1, 3, 4):
        day += datetime.timedelta(days=1)
    return day


@pytest.mark.django_db(transaction=True)
def test_absence_journey_then_agent_closes_it(page, parent, illness, mailbox):
    user, household, child = parent
    activities = make_activities(child.school)
    day = school_day(1)
    for activity in activities:
        Booking.objects.create(child=child, activity=activity, date=day)

    login(page, user.username)
    page.get_by_role("link", name="Déclarer l'absence d'un enfant").click()
    assert_accessible(page)
    page.get_by_role("button", name="SUIVANT").click()  # nothing chosen: errors, no draft
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert not ServiceRequest.objects.exists()
    page.get_by_label("J'accepte les conditions générales d'utilisation du service").check()
    page.get_by_label("Enfant").select_option(label=str(child))
    # School and level appear as soon as the child is chosen.
    expect(page.locator("#child-info")).to_contain_text(child.school.name)
    expect(page.locator("#child-info")).to_contain_text("CE1")
    assert_accessible(page)
    page.get_by_role("button", name="SUIVANT").click()

    expect(page.get_by_text(child.school.name)).to_be_visible()  # school shown automatically
    expect(page.get_by_text("CE1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Motif de l'absence").select_option(label="Maladie")
    page.get_by_label("Date à supprimer (une seule date par demande)").fill(day.isoformat())
    page.get_by_label("Accueil matin").check()
    page.get_by_label("Restauration scolaire").check()
    page.get_by_role("button", name="SUIVANT").click()

    expect(page.get_by_role("heading", name="Date et créneaux à supprimer")).to_be_visible()
    summary = page.locator("dl.details").inner_text()
    assert "Maladie" in summary and day.strftime("%d/%m/%Y") in summary
    assert "Accueil matin, Restauration scolaire" in summary
    expect(page.get_by_role("link", name="MODIFIER LES INFORMATIONS")).to_be_visible()
    expect(page.get_by_role("button", name="ANNULER LA DEMANDE")).to_be_visible()
    assert_accessible(page)
    # Nothing reaches the service before « ENREGISTRER LA DEMANDE ».
    assert ServiceRequest.objects.get().status == Status.DRAFT
    assert len(mailbox) == 0
    page.get_by_role("button", name="ENREGISTRER LA DEMANDE").click()

    sr = ServiceRequest.objects.get()
    assert sr.status == Status.PENDING
    expect(
        page.get_by_text(f"Votre demande {sr.reference} a bien été enregistrée.")
    ).to_be_visible()
    assert_accessible(page)
    mail = mailbox.last(user.email)
    assert sr.reference in mail["subject"] and "en attente" in mail["subject"]
    assert "Déclarer l'absence d'un enfant" in mail["body"]

    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    page.get_by_role("link", name="Mes demandes").first.click()
    row = page.locator("tr", has_text=sr.reference)
    expect(row.get_by_text("en attente")).to_be_visible()
    expect(row.get_by_role("link", name="Modifier")).to_be_visible()
    assert_accessible(page)

    # The agent takes it and closes it.
    page.context.clear_cookies()
    agent = AgentFactory()
    login(page, agent.username)
    page.goto("/gestion/demandes/")
    assert_accessible(page)
    page.get_by_role("link", name=sr.reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Prendre en traitement").click()
    expect(page.get_by_text(f"Demande {sr.reference}\u00a0: traitement.")).to_be_visible()
    page.get_by_label("Message à la famille").fill("Bon rétablissement.")
    page.get_by_role("button", name="Clore").click()
    expect(page.get_by_text(f"Demande {sr.reference}\u00a0: clos.")).to_be_visible()
    assert_accessible(page)

    cancelled = Booking.objects.filter(child=child, date=day, status=Booking.Status.CANCELLED)
    assert {b.activity.name for b in cancelled} == {"Accueil matin", "Restauration scolaire"}
    assert Attendance.objects.filter(child=child, date=day, absence_reason=illness).count() == 2
    subjects = [m["subject"] for m in mailbox.to(user.email)]
    assert subjects == [
        f"Demande {sr.reference}\u00a0: en attente",
        f"Demande {sr.reference}\u00a0: traitement",
        f"Demande {sr.reference}\u00a0: clos",
    ]
    assert "Bon rétablissement." in mailbox.last(user.email)["body"]

    # Back to the parent: read-only now, with the « i ».
    page.context.clear_cookies()
    login(page, user.username)
    page.goto("/demarches/mes-demandes/")
    row = page.locator("tr", has_text=sr.reference)
    assert row.get_by_role("link", name="Modifier").count() == 0
    row.get_by_role("link", name="Détail").click()
    expect(page.get_by_text("Bon rétablissement.").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_absence_on_a_day_without_booking_is_refused_then_the_draft_cancelled(
    page, parent, illness
):
    user, household, child = parent
    activities = make_activities(child.school)
    booked_day = school_day(1)
    Booking.objects.create(child=child, activity=activities[2], date=booked_day)
    login(page, user.username)
    page.goto("/demarches/absence/")
    page.get_by_label("J'accepte les conditions générales d'utilisation du service").check()
    page.get_by_label("Enfant").select_option(label=str(child))
    page.get_by_role("button", name="SUIVANT").click()
    assert ServiceRequest.objects.get().status == Status.DRAFT
    page.get_by_label("Motif de l'absence").select_option(label="Maladie")
    date = page.get_by_label("Date à supprimer (une seule date par demande)")
    # The booked slot of the day appears once the date is typed (and only it).
    date.fill(booked_day.isoformat())
    expect(page.get_by_label("Accueil Soir 1")).to_be_visible()
    assert page.get_by_label("Accueil matin").count() == 0
    # A day with nothing booked is refused beside the date, nothing typed lost.
    empty_day = booked_day + datetime.timedelta(days=1)
    date.fill(empty_day.isoformat())
    page.get_by_role("button", name="SUIVANT").click()
    error = page.locator(".field-error", has=page.get_by_label("Date à supprimer"))
    expect(error).to_contain_text("aucune réservation que le service peut encore annuler")
    assert date.input_value() == empty_day.isoformat()
    assert page.get_by_label("Motif de l'absence").input_value() == str(illness.pk)
    assert_accessible(page)
    # « ANNULER LA DEMANDE » asks first (a page, no JavaScript needed).
    page.get_by_role("button", name="ANNULER LA DEMANDE").click()
    expect(page.get_by_role("heading", name="Annuler cette demande\u00a0?")).to_be_visible()
    assert_accessible(page)
    assert ServiceRequest.objects.exists()
    page.get_by_role("button", name="Oui, annuler la demande").click()
    expect(page.get_by_text("La demande a été abandonnée et supprimée.")).to_be_visible()
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_draft_is_resumed_and_pending_request_modified(page, parent, illness, mailbox):
    user, household, child = parent
    activities = make_activities(child.school)
    day = school_day(2)
    for activity in activities:
        Booking.objects.create(child=child, activity=activity, date=day)
    login(page, user.username)
    page.goto("/demarches/absence/")
    page.get_by_label("J'accepte les conditions générales d'utilisation du service").check()
    page.get_by_label("Enfant").select_option(label=str(child))
    page.get_by_role("button", name="SUIVANT").click()
    page.goto("/")  # the parent leaves: the draft is kept

    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    page.get_by_role("link", name="Mes demandes").first.click()
    row = page.locator("tbody tr").first
    expect(row.get_by_text("brouillon")).to_be_visible()
    row.get_by_role("link", name="Modifier").click()  # resumes where the parent left
    page.get_by_label("Motif de l'absence").select_option(label="Maladie")
    page.get_by_label("Date à supprimer (une seule date par demande)").fill(day.isoformat())
    page.get_by_label("Accueil Soir 2").check()
    page.get_by_role("button", name="SUIVANT").click()
    page.get_by_role("button", name="ENREGISTRER LA DEMANDE").click()
    sr = ServiceRequest.objects.get()
    assert sr.status == Status.PENDING

    # Still « en attente »: the parent may modify it.
    page.goto("/demarches/mes-demandes/")
    page.locator("tr", has_text=sr.reference).get_by_role("link", name="Modifier").click()
    expect(page.get_by_text(f"Vous modifiez la demande {sr.reference}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="SUIVANT").click()
    page.get_by_label("Accueil matin").check()
    page.get_by_role("button", name="SUIVANT").click()
    assert "Accueil matin, Accueil Soir 2" in page.locator("dl.details").inner_text()
    sr.refresh_from_db()
    assert len(sr.data["activities"]) == 1  # not yet
    page.get_by_role("button", name="ENREGISTRER LA DEMANDE").click()
    sr.refresh_from_db()
    assert len(sr.data["activities"]) == 2
    assert "a été modifiée" in mailbox.last(user.email)["body"]

    # And cancel it.
    page.get_by_role("button", name="Annuler la demande").click()
    page.get_by_role("button", name="Oui, annuler la demande").click()
    sr.refresh_from_db()
    assert sr.status == Status.CANCELLED
    expect(page.get_by_text("annulé").first).to_be_visible()
    assert mailbox.last(user.email)["subject"] == f"Demande {sr.reference}\u00a0: annulé"
