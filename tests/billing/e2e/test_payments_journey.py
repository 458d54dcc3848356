import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from portail.agenda.models import Activity
from portail.billing import selectors, services
from portail.billing.models import LedgerEntry, Payment
from tests.billing.factories import make_activity
from tests.conftest import assert_accessible, login
from tests.factories import CashierFactory, ChildFactory, make_parent


def pdf_text(download) -> str:
    with open(download.path(), "rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.django_db(transaction=True)
def test_top_up_through_the_simulator(page):
    user, household, child = make_parent("claire")
    page.goto("/")
    login(page, "claire")
    page.get_by_text("Menu", exact=True).click()  # the folded menu of a phone
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Paiements"
    ).click()
    assert page.locator("h1").inner_text() == "Paiements"
    assert page.locator("#balance").inner_text() == "0,00\u00a0€"
    assert_accessible(page)

    # A bad amount: the message is beside the field and the input is kept.
    page.get_by_text("recharger mon compte").click()
    page.get_by_label("Montant à créditer (€)").fill("5000")
    page.get_by_role("button", name="valider le paiement").click()
    assert "entre 1,00" in page.locator(".errorlist").inner_text()
    assert page.get_by_label("Montant à créditer (€)").input_value() == "5000"
    assert_accessible(page)

    page.get_by_label("Montant à créditer (€)").fill("20,50")
    page.get_by_role("button", name="valider le paiement").click()
    assert page.locator("h1").inner_text() == "Simulateur de paiement"
    assert "20,50" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Payer").click()
    assert "a été crédité de 20,50" in page.content()
    assert_accessible(page)
    page.reload()  # reloading the return page credits nothing more
    assert selectors.balance_of(household) == Decimal("20.50")
    assert LedgerEntry.objects.filter(source="card").count() == 1

    # A refused payment credits nothing and says so.
    page.goto("/paiements/")
    page.get_by_text("recharger mon compte").click()
    page.get_by_label("Montant à créditer (€)").fill("10")
    page.get_by_role("button", name="valider le paiement").click()
    page.get_by_role("button", name="Refuser").click()
    assert "n'a pas été crédité" in page.content()
    assert Payment.objects.filter(status="refused").count() == 1
    page.get_by_role("link", name="Retour à mon compte d'avance").click()
    assert page.locator("#balance").inner_text() == "20,50\u00a0€"
    assert "Paiement en ligne par carte bancaire" in page.locator("table.ledger").inner_text()


@pytest.mark.django_db(transaction=True)
def test_certificate_statement_and_cash_desk_pages(page):
    user, household, lea = make_parent("martin")
    hugo = ChildFactory(
        household=household, first_name="Hugo", birth_date=datetime.date(2021, 9, 2)
    )
    morning = make_activity(hugo.school, Activity.Kind.MORNING, "1.40")
    cashier = CashierFactory(username="regie")
    services.record_cash_payment(household, "30", cashier)
    day = datetime.date(2026, 3, 2)
    services.post_entry(
        household,
        Decimal("-1.40"),
        services.consumption_label(morning, hugo, day, "booked", 1),
        "consumption",
        date=day,
        child=hugo,
        activity=morning,
        service_date=day,
    )
    # The certificate covers a year already over: last year's morning care, paid that year.
    last_year = datetime.date.today().year - 1
    paid_day, care_day = datetime.date(last_year, 3, 2), datetime.date(last_year, 3, 3)
    services.post_entry(household, Decimal("1.40"), "Versement", "cash", date=paid_day)
    services.post_entry(
        household,
        Decimal("-1.40"),
        services.consumption_label(morning, hugo, care_day, "booked", 1),
        "consumption",
        date=care_day,
        child=hugo,
        activity=morning,
        service_date=care_day,
    )
    login(page, "martin")
    page.goto("/paiements/")
    menu = page.get_by_role("navigation", name="Paiements")
    menu.get_by_role("link", name="Attestation fiscale").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/attestation-fiscale/")
    assert_accessible(page)
    assert page.get_by_label("Année civile").locator("option").all_inner_texts() == [
        str(last_year)
    ]  # the current year is not over
    page.get_by_label("Année civile").select_option(str(last_year))
    page.wait_for_url(f"**/attestation-fiscale/?year={last_year}")
    assert page.get_by_label(f"{lea.first_name} {lea.last_name}").is_disabled()
    page.get_by_label(f"Hugo {hugo.last_name}").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger au format PDF").click()
    text = " ".join(pdf_text(download.value).split())
    assert f"Attestation fiscale {last_year}" in text and "1,40" in text and "Hugo" in text
    assert f"du 1er janvier {last_year} au 31 décembre {last_year}" in text
    page.goto("/paiements/attestation-fiscale/")
    assert "AF-" in page.get_by_role("region", name="Attestations déjà délivrées").inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Paiements").get_by_role(
        "link", name="Relevé de compte"
    ).click()
    page.get_by_label("Année civile").select_option("2026")
    page.get_by_label("Mois").select_option(label="Afficher tous les mois")
    page.get_by_role("button", name="Afficher").click()
    assert "Accueil matin — Hugo — lundi 2 mars 2026" in page.content()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Imprimer en mode simplifié").click()
    assert "28,60" in pdf_text(download.value)

    page.context.clear_cookies()
    login(page, "regie")
    page.goto("/gestion/regie/")
    assert_accessible(page)
    page.get_by_label("Nom du foyer, d'un parent ou d'un enfant").fill(household.name)
    page.locator("#contenu").get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=household.name).click()
    assert_accessible(page)
    page.get_by_label("Montant reçu en espèces (€)").fill("15")
    page.get_by_role("button", name="Enregistrer le versement").click()
    assert "Versement en espèces enregistré" in page.content()
    assert page.locator("#balance").inner_text() == "43,60\u00a0€"


@pytest.mark.django_db(transaction=True)
def test_blocked_account_page_and_export_form(page):
    import time_machine

    user, household, child = make_parent("bloque")
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    with time_machine.travel(datetime.date.today() - datetime.timedelta(days=20)):
        services.post_entry(household, Decimal("-4.10"), "Restauration scolaire", "consumption")
    from portail.agenda.models import Booking

    Booking.objects.create(
        child=child, activity=lunch, date=datetime.date.today() + datetime.timedelta(days=3)
    )
    login(page, "bloque")  # login is never blocked for a negative balance
    page.goto("/paiements/")
    assert "Les réservations sont bloquées." in page.locator("[role=alert]").inner_text()
    assert "-8,20" in page.locator(".forecast").inner_text()
    assert_accessible(page)
    page.context.clear_cookies()
    CashierFactory(username="compta")
    login(page, "compta")
    page.goto("/gestion/regie/export/")
    assert_accessible(page)
    page.get_by_label("Du").fill("2026-01-01")
    page.get_by_label("Au").fill("2025-01-01")
    page.get_by_role("button", name="Télécharger le fichier CSV").click()
    assert "après son début" in page.content()
    assert_accessible(page)
