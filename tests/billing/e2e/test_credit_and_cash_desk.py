"""Browser journeys of issue 11 items 4 and 5: a family without credit is sent to top up before
booking (and may still cancel); the cashier's cash limit and confirmation step. axe on every
page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from portail.billing import selectors
from portail.billing.models import CashReceipt, LedgerEntry
from tests.agenda.conftest import NOW
from tests.agenda.factories import book, make_activities
from tests.conftest import assert_accessible, login
from tests.factories import CashierFactory, make_parent

MONDAY = datetime.date(2026, 11, 30)  # bookable on Thursday 26/11


@pytest.mark.django_db(transaction=True)
def test_family_at_zero_is_sent_to_top_up_before_booking(page):
    user, household, lea = make_parent("zero", first_name="Léa")
    activities = make_activities(lea.school)
    book(lea, activities["morning"], MONDAY)
    with time_machine.travel(NOW, tick=True):
        login(page, "zero")
        page.goto("/agenda/")
        notice = page.locator("#booking-blocked")
        assert "doit être crédité avant de pouvoir réserver" in notice.inner_text()
        expect(notice.get_by_role("link", name="recharger mon compte")).to_be_visible()
        assert_accessible(page)

        # the day page: no new booking, but the booked slot can still be cancelled
        page.goto(f"/agenda/enfant/{lea.pk}/{MONDAY.isoformat()}/")
        expect(page.locator("#booking-blocked")).to_be_visible()
        assert page.get_by_label("Restauration scolaire").is_disabled()
        assert page.get_by_label("Accueil matin").is_enabled()
        assert_accessible(page)
        page.get_by_label("Accueil matin").uncheck()
        page.get_by_role("button", name="Enregistrer").click()
        assert "Réservation annulée\u00a0: Accueil matin." in page.inner_text("body")
        assert household.children.get().bookings.get().status == "cancelled"

        # « saisie groupée »: « créer » is disabled, « supprimer » is not
        page.goto("/agenda/saisie-groupee/")
        assert page.get_by_role("button", name="créer").is_disabled()
        assert page.get_by_role("button", name="supprimer").is_enabled()
        assert "recharger mon compte" in page.locator("#booking-blocked").inner_text()
        assert_accessible(page)

        # the link leads to the top-up form, open
        page.locator("#booking-blocked").get_by_role("link", name="recharger mon compte").click()
        page.wait_for_url("**/paiements/?recharger=1*")
        expect(page.get_by_label("Montant à créditer (€)")).to_be_visible()
        assert_accessible(page)
    assert not household.children.get().bookings.filter(status="booked").exists()


@pytest.mark.django_db(transaction=True)
def test_cashier_limit_and_confirmation_step(page):
    _user, household, _child = make_parent("famille")
    CashierFactory(username="caisse", first_name="Rémi", last_name="Régisseur")
    login(page, "caisse")
    page.goto(f"/gestion/regie/foyer/{household.pk}/")
    amount = page.get_by_label("Montant reçu en espèces (€)")
    amount.fill("300,01")
    page.get_by_role("button", name="Enregistrer le versement").click()
    error = page.locator("#id_amount_error")
    assert "ne peut pas dépasser 300,00" in error.inner_text()
    assert "article 1680" in error.inner_text()
    assert amount.get_attribute("aria-describedby") and "id_amount_error" in (
        amount.get_attribute("aria-describedby")
    )
    assert amount.input_value() == "300,01"
    assert_accessible(page)
    assert not LedgerEntry.objects.exists()

    amount.fill("200")
    page.get_by_role("button", name="Enregistrer le versement").click()
    assert page.locator("h1").inner_text() == "Confirmer le paiement en espèces"
    assert "200,00" in page.locator("#confirm-amount").inner_text()
    assert page.locator("#confirm-household").inner_text() == household.name
    assert_accessible(page)
    assert not LedgerEntry.objects.exists()  # nothing recorded before confirming
    confirm = page.locator("form", has=page.get_by_role("button", name="Confirmer l'encaissement"))
    action = confirm.get_attribute("action") or page.url
    fields = confirm.evaluate("f => Object.fromEntries(new FormData(f))")
    page.get_by_role("button", name="Confirmer l'encaissement").click()
    assert "Versement en espèces enregistré" in page.content()
    assert page.locator("#balance").inner_text() == "200,00\u00a0€"
    # The same confirmation posted a second time (a double click, or a resubmission: Back cannot
    # show the no-store page again), with the tab's own session and CSRF cookie.
    again = page.request.post(action, form=fields, headers={"Referer": page.url})
    assert again.ok
    assert CashReceipt.objects.count() == 1
    assert selectors.balance_of(household) == Decimal("200.00")

    page.goto("/gestion/regie/")
    page.get_by_role("button", name="Afficher le journal de caisse").click()
    assert "Journal de caisse du" in page.content() and "200,00" in page.content()
    assert_accessible(page)
