"""An agent answers a phone call (issue 13, item 1): from the search field of every agent
page (no typed URL), finds « Léa », opens her family's record, corrects a phone number and
reads the correction in the family's journal. Axe on each new page."""

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, login
from tests.factories import AdultFactory, AgentFactory, ChildFactory, HouseholdFactory


@pytest.mark.django_db(transaction=True)
def test_an_agent_finds_lea_and_corrects_her_mothers_phone(page):
    AgentFactory(username="agent", first_name="Agathe", last_name="Agent")
    household = HouseholdFactory(name="Famille Martin")
    AdultFactory(household=household, first_name="Claire", last_name="Martin", phone="0611111111")
    ChildFactory(household=household, first_name="Léa", last_name="Martin")
    ChildFactory(first_name="Léane", last_name="Dubois")  # a second family: a results list
    page.goto("/")
    login(page, "agent")

    search = page.get_by_role("search")
    search.get_by_label("Rechercher une famille").fill("lea")
    search.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Rechercher une famille")).to_be_visible()
    expect(page.get_by_text("2 familles trouvées")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Famille Martin").click()
    expect(page.get_by_role("heading", name="Fiche famille\u00a0: Famille Martin")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Corriger les coordonnées Claire Martin").click()
    expect(
        page.get_by_role("heading", name="Corriger les coordonnées de Claire Martin")
    ).to_be_visible()
    assert_accessible(page)
    phone = page.get_by_label("Téléphone")
    phone.fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("au moins 10 chiffres")).to_be_visible()
    phone = page.get_by_label("Téléphone")
    expect(phone).to_have_value("12")
    phone.fill("06 22 33 44 55")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Les coordonnées sont corrigées")).to_be_visible()
    expect(page.locator(".adult-phone")).to_have_text("06 22 33 44 55")
    journal = page.get_by_role("region", name="Journal des actions de la famille")
    expect(
        journal.get_by_text("Coordonnées de Claire Martin corrigées par le service")
    ).to_be_visible()
    expect(journal.get_by_text("0611111111 → 06 22 33 44 55")).to_be_visible()
    expect(journal.get_by_text("Agathe Agent")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_journal_of_actions_is_reached_through_the_menu(page):
    AgentFactory(username="agent")
    page.goto("/")
    login(page, "agent")
    areas = page.get_by_role("navigation", name="Espaces de gestion")
    areas.get_by_role("link", name="Journal des actions").click()
    expect(page.get_by_role("heading", name="Journal des actions")).to_be_visible()
    assert_accessible(page)
