import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, login
from tests.factories import CashierFactory


@pytest.mark.django_db(transaction=True)
def test_the_cashier_reaches_the_cash_desk_through_the_menu(page):
    CashierFactory(username="regie")
    page.goto("/")
    login(page, "regie")
    # Landed on the cashier's own dashboard, with « Gestion » in the main menu.
    assert page.locator("h1").inner_text() == "Gestion"
    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    main_menu = page.get_by_role("navigation", name="Menu principal")
    expect(main_menu.get_by_role("link", name="Gestion")).to_be_visible()
    assert main_menu.get_by_role("link", name="Démarches", exact=True).count() == 0
    areas = page.get_by_role("navigation", name="Espaces de gestion")
    assert areas.get_by_role("link", name="Demandes à traiter").count() == 0
    assert_accessible(page)
    areas.get_by_role("link", name="Régie et comptes d'avance").click()
    assert page.locator("h1").inner_text() == "Régie et comptes d'avance"
    expect(
        page.get_by_role("heading", name="Journal de caisse (bordereau de régie)")
    ).to_be_visible()
    assert_accessible(page)
