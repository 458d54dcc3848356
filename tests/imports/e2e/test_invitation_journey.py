"""The administrator imports the sample files; an invited parent opens the mail's link, chooses
an identifier and a password and lands on the household, children and balance (axe on each
page)."""

import pytest
from playwright.sync_api import expect

from portail.imports.models import ImportRun
from tests.conftest import assert_accessible, login
from tests.imports.conftest import SAMPLES, load_mapping


@pytest.mark.django_db(transaction=True)
def test_import_then_invited_parent_finds_the_household(page, mailbox, admin_user, schools):
    load_mapping("arpege")
    login(page, "admin1")
    for kind, name in (("households", "arpege-familles.csv"), ("children", "arpege-enfants.csv")):
        page.goto("/gestion/import/")
        assert_accessible(page)
        page.get_by_label("Ancien logiciel (correspondance des colonnes)").select_option(
            label="Arpège"
        )
        page.get_by_label("Contenu du fichier").select_option(kind)
        page.locator("#id_file").set_input_files(str(SAMPLES / name))
        page.get_by_role("button", name="Vérifier le fichier (simulation)").click()
        page.get_by_role("button", name="Confirmer l'import").wait_for()
        expect(page.get_by_text("vérifié, en attente de confirmation")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Confirmer l'import").click()
        page.locator("#run-state", has_text="importé").wait_for()
        assert_accessible(page)
    assert ImportRun.objects.filter(status="done").count() == 2

    page.context.clear_cookies()
    body = mailbox.last("elodie.lefevre@example.org")["body"]
    link = next(w for w in body.split() if "/invitation/" in w)
    page.goto("/invitation/" + link.split("/invitation/", 1)[1])
    expect(page.get_by_text("Famille Lefèvre").first).to_be_visible()
    assert_accessible(page)
    page.locator("#id_username").fill("elodie.lefevre")
    page.locator("#id_password1").fill("Lac-Leman-2026")
    page.locator("#id_password2").fill("Lac-Leman-2026")
    page.get_by_role("button", name="Créer mon accès").click()
    page.get_by_role("heading", name="Votre foyer\u00a0: Famille Lefèvre").wait_for()
    expect(page.get_by_text("Théo Lefèvre")).to_be_visible()
    expect(page.get_by_text("Inès Lefèvre")).to_be_visible()
    assert page.locator("#balance").inner_text() == "25,40\xa0€"
    assert_accessible(page)
