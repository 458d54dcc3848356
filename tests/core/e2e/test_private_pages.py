"""After logging out, Back does not show the balance; the error pages are French and accessible."""

import pytest

from portail.billing import services
from tests.conftest import CHROMIUM, assert_accessible, login
from tests.factories import CashierFactory, make_parent


@pytest.fixture
def real_browser_page(playwright_driver, live_server):
    """A tab of a Chromium that keeps pages for Back like a parent's browser does.

    Playwright starts Chromium with --disable-back-forward-cache; without it, Back after
    logging out restores the signed-in page from memory unless the page says no-store.
    """
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        ignore_default_args=["--disable-back-forward-cache"],
    )
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context.new_page()
    browser.close()


@pytest.mark.django_db(transaction=True)
def test_back_after_logout_does_not_show_the_balance(real_browser_page):
    page = real_browser_page
    _user, household, _child = make_parent("claire")
    services.record_cash_payment(household, "42", CashierFactory())
    page.goto("/")
    login(page, "claire")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Paiements"
    ).click()
    assert page.locator("#balance").inner_text() == "42,00\u00a0€"
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Se déconnecter").count() == 0
    # A page restored from memory fires no « load »: wait for the navigation's commit only.
    page.go_back(wait_until="commit")
    page.wait_for_function("document.readyState === 'complete'")
    # Not kept by the browser: asked again, the server answers with the login page.
    assert page.locator("#balance").count() == 0
    assert "42,00" not in page.content()
    assert "/compte/login/" in page.url


@pytest.mark.django_db(transaction=True)
def test_error_pages_are_french_and_accessible(page):
    make_parent("claire")
    page.goto("/n-existe-pas/")
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert_accessible(page)

    # The form's security cookie is gone (cookies cleared, or blocked) when the form is sent.
    page.goto("/compte/login/")
    page.context.clear_cookies(name="csrftoken")
    page.get_by_label("Identifiant ou e-mail").fill("claire")
    page.get_by_label("Mot de passe").first.fill("whatever")
    page.get_by_role("button", name="Se connecter").click()
    assert page.locator("h1").inner_text() == "Formulaire expiré"
    assert_accessible(page)

    login(page, "claire")
    page.goto("/gestion/")
    assert page.locator("h1").inner_text() == "Accès refusé"
    assert_accessible(page)
