import pytest
from playwright.sync_api import expect

from portail.pages.models import ContactMessage
from tests.conftest import assert_accessible


@pytest.mark.django_db(transaction=True)
def test_a_client_over_the_limit_gets_the_french_429_page(page, settings):
    settings.ANONYMOUS_FORMS_PER_ADDRESS = 1
    for attempt in range(2):
        page.goto("/nous-contacter/")
        page.get_by_label("nom").fill("Paul Durand")
        page.get_by_label("e-mail").fill(f"paul{attempt}@example.test")
        page.get_by_label("objet").fill("Question")
        page.get_by_label("message").fill("Bonjour.")
        page.get_by_role("button", name="Envoyer").click()
    assert page.locator("h1").inner_text() == "Trop de tentatives"
    expect(page.get_by_text("appelez le service au 04 50 00 00 00")).to_be_visible()
    assert_accessible(page)
    assert ContactMessage.objects.count() == 1
