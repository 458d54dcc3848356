import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, login

PAGES = [
    ("/", "Bienvenue sur le portail famille de Viry"),
    ("/aide/", "Aide et questions fréquentes"),
    ("/nous-contacter/", "Nous contacter"),
    ("/cgu/", "Conditions générales d'utilisation"),
    ("/mentions-legales/", "Mentions légales"),
    ("/accessibilite/", "Déclaration d'accessibilité"),
    ("/compte/login/", "connexion"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_public_page_renders_and_passes_axe(page, path, heading):
    page.goto(path)
    assert page.locator("h1").inner_text().strip().lower() == heading.lower()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_keyboard_skip_link_and_contact_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
    # Reach « Nous contacter » with the keyboard alone.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Nous contacter":
            break
    else:
        pytest.fail("« Nous contacter » cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/nous-contacter/")
    expect(page.get_by_text("Horaires d'ouverture")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_contact_form_journey(page, mailbox):
    page.goto("/nous-contacter/")
    page.get_by_label("nom").fill("Paul Durand")
    page.get_by_label("e-mail").fill("paul@example.test")
    page.get_by_label("objet").fill("Question cantine")
    page.get_by_label("message").fill("Bonjour, une question.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Votre message a bien été transmis au service.")).to_be_visible()
    mail = mailbox.last("periscolaire@mairie-viry.fr")
    assert mail["subject"].startswith("[Contact] Message n°")  # our subject, theirs in the body
    assert "Objet\u00a0: Question cantine" in mail["body"]
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_demo_style_parent_can_log_in(page, parent):
    user, household, child = parent
    login(page, user.username.upper())
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
