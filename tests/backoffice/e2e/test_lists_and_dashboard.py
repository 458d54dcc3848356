"""Browser journeys of issue 13 items 6 and 7, from login through the menu (no typed URL):
the agent goes from a dashboard counter to the filtered list, its page 2 and its export, then
answers a contact message; the cashier reminds a selection of the accounts below zero. axe on
every new page."""

import csv
import datetime
import io
import pathlib

import pytest
from playwright.sync_api import expect

from portail.billing.services import post_entry
from portail.core import clock
from portail.families.models import Household
from portail.messaging.models import OutboundEmail
from portail.pages.models import ContactMessage
from portail.procedures.models import ServiceRequest, Status
from tests.conftest import assert_accessible, login
from tests.factories import AdultFactory, AgentFactory, CashierFactory, HouseholdFactory


@pytest.mark.django_db(transaction=True)
def test_agent_from_a_dashboard_counter_to_page_2_and_the_export(page):
    AgentFactory(username="agent")
    household = HouseholdFactory(name="Famille Lebrun")
    now = clock.now()
    for i in range(60):
        ServiceRequest.objects.create(
            kind="personnes-autorisees",
            household=household,
            status=Status.PENDING,
            reference=f"D-{i:03d}",
            submitted_at=now - datetime.timedelta(minutes=i),
            data={},
        )
    ContactMessage.objects.create(
        name="Claire Dubois", email="claire@example.test", subject="Cantine", body="Bonjour ?"
    )
    page.goto("/")
    login(page, "agent")
    expect(page.get_by_role("heading", name="Travail en attente")).to_be_visible()
    assert_accessible(page)  # counters and both charts with their tables

    page.get_by_role("link", name="Demandes en attente").click()
    expect(page.get_by_text("60 demandes", exact=True)).to_be_visible()
    assert page.get_by_label("Statut", exact=True).input_value() == "pending"
    assert_accessible(page)
    page.get_by_role("link", name="Page suivante").click()
    expect(page.get_by_text("Page 2 sur 2")).to_be_visible()
    assert page.locator("tbody tr").count() == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter ces 60 lignes (CSV)").click()
    text = pathlib.Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 61 and rows[0][0] == "Référence"

    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Gestion"
    ).click()
    page.get_by_role("link", name="Messages « Nous contacter » à traiter").click()
    assert_accessible(page)
    page.get_by_role("link", name="Cantine").click()
    expect(page.get_by_role("heading", name="Répondre par e-mail")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Votre réponse").fill("Votre enfant est bien inscrit.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse a été envoyée à claire@example.test")).to_be_visible()
    expect(page.get_by_role("heading", name="Réponses envoyées")).to_be_visible()
    assert OutboundEmail.objects.filter(to="claire@example.test").count() == 1


@pytest.mark.django_db(transaction=True)
def test_cashier_reminds_a_selection_of_the_accounts_below_zero(page):
    CashierFactory(username="regie")
    families = []
    for name in ("Famille Aubert", "Famille Blanc", "Famille Colin"):
        household = HouseholdFactory(name=name)
        AdultFactory(household=household, email=f"{name.split()[1].lower()}@example.test")
        post_entry(household, "-15.00", "Repas", "consumption")
        families.append(household)
    Household.objects.filter(pk=families[0].pk).update(
        negative_balance_since=clock.today() - datetime.timedelta(days=40)
    )
    page.goto("/")
    login(page, "regie")
    areas = page.get_by_role("navigation", name="Espaces de gestion")
    areas.get_by_role("link", name="Comptes négatifs").click()
    expect(page.get_by_text("3 comptes", exact=True)).to_be_visible()
    expect(page.get_by_text("bloquées", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Relancer Famille Aubert").check()
    page.get_by_label("Relancer Famille Colin").check()
    page.get_by_role("button", name="Relancer les familles cochées").click()
    expect(
        page.get_by_role("heading", name="Envoyer un e-mail de relance à 2 familles\u00a0?")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer les relances").click()
    expect(page.get_by_text("2 relances envoyées.")).to_be_visible()
    sent = sorted(
        OutboundEmail.objects.filter(dedupe_key__startswith="billing:reminder:").values_list(
            "to", flat=True
        )
    )
    assert sent == ["aubert@example.test", "colin@example.test"]
