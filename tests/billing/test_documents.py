import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from portail.agenda.models import Activity
from portail.billing import services
from portail.billing.models import LedgerEntry, TaxCertificate
from tests.billing.factories import make_activity
from tests.factories import ChildFactory


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def consume(household, child, activity, day, amount):
    services.post_entry(
        household,
        -Decimal(amount),
        f"{activity.name} — {child.first_name} — {day}",
        LedgerEntry.Source.CONSUMPTION,
        date=day,
        child=child,
        activity=activity,
        service_date=day,
    )


@pytest.fixture
def young(parent):
    user, household, _lea = parent
    hugo = ChildFactory(
        household=household,
        first_name="Hugo",
        last_name="Martin",
        birth_date=datetime.date(2021, 9, 2),
    )
    return user, household, hugo


@pytest.mark.django_db
def test_tax_certificate_counts_childcare_of_the_year_without_meals(client, young, cashier):
    user, household, hugo = young
    morning = make_activity(hugo.school, Activity.Kind.MORNING, "1.40")
    evening = make_activity(hugo.school, Activity.Kind.EVENING1, "1.60")
    lunch = make_activity(hugo.school, Activity.Kind.LUNCH, "4.10")
    consume(household, hugo, morning, datetime.date(2026, 3, 2), "1.40")
    consume(household, hugo, morning, datetime.date(2026, 3, 3), "1.40")
    consume(household, hugo, evening, datetime.date(2026, 3, 3), "1.60")
    consume(household, hugo, lunch, datetime.date(2026, 3, 3), "4.10")  # meals excluded
    consume(household, hugo, morning, datetime.date(2025, 12, 1), "1.40")  # another year
    wrong = LedgerEntry.objects.get(activity=evening)
    services.reverse_entry(wrong, "Absent", cashier)  # a reversal nets out
    client.force_login(user)

    page = client.get("/paiements/attestation-fiscale/?year=2026").content.decode()
    assert "Télécharger au format PDF" in page
    lea = household.children.get(first_name__startswith="Enfant")
    assert f'id="child-{lea.pk}" disabled' in page  # born in 2018
    response = client.post("/paiements/attestation-fiscale/", {"year": 2026, "child": hugo.pk})
    text = pdf_text(response)
    assert "Attestation fiscale 2026" in text
    assert "Hugo Martin" in text and user.last_name in text
    assert "2,80" in text and "4,10" not in text
    assert "AF-" in text and "Le régisseur de recettes" in text
    # Same amounts, same certificate; the numbering has no gap.
    client.post("/paiements/attestation-fiscale/", {"year": 2026, "child": hugo.pk})
    assert TaxCertificate.objects.count() == 1
    cert = TaxCertificate.objects.get()
    assert cert.amount == Decimal("2.80") and cert.number == 1


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 26, 12), tick=False)
def test_tax_certificate_refused_for_a_child_of_6(client, parent):
    user, _household, lea = parent  # born 2018
    client.force_login(user)
    response = client.post("/paiements/attestation-fiscale/", {"year": 2026, "child": lea.pk})
    assert response.status_code == 400
    assert "6 ans ou plus" in response.content.decode()
    assert not TaxCertificate.objects.exists()


@pytest.mark.django_db
def test_statement_on_screen_and_simplified_pdf(client, parent, cashier):
    import time_machine

    user, household, child = parent
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10), tick=False):
        services.record_cash_payment(household, "50", cashier)
    consume(household, child, lunch, datetime.date(2026, 3, 3), "4.10")
    consume(household, child, lunch, datetime.date(2026, 4, 7), "4.10")
    client.force_login(user)
    page = client.get("/paiements/releve/?year=2026&month=3").content.decode()
    assert "Versement en espèces en mairie" in page and "45,90" in page
    assert "7 avril" not in page and "2026-04-07" not in page
    allmonths = client.get("/paiements/releve/?year=2026&month=").content.decode()
    assert "Afficher tous les mois" in allmonths and "41,80" in allmonths
    text = pdf_text(client.get("/paiements/releve/imprimer/?year=2026&month="))
    assert "Relevé de compte" in text and "année 2026" in text
    assert "50,00" in text and "41,80" in text and user.last_name in text
    march = pdf_text(client.get("/paiements/releve/imprimer/?year=2026&month=3"))
    assert "mars 2026" in march and "41,80" not in march


@pytest.mark.django_db
def test_cash_receipt_pdf(client, parent, cashier):
    user, household, _child = parent
    receipt = services.record_cash_payment(household, "35", cashier)
    client.force_login(user)
    text = pdf_text(client.get(f"/paiements/recu/{receipt.pk}/"))
    assert receipt.reference in text and "35,00" in text and user.last_name in text


@pytest.mark.django_db
def test_another_familys_documents_are_404(client, parent, other_parent, cashier):
    user, _household, _child = parent
    _other_user, other_household, other_child = other_parent
    other_child.birth_date = datetime.date(2022, 1, 1)
    other_child.save()
    receipt = services.record_cash_payment(other_household, "35", cashier)
    cert = services.issue_tax_certificate(other_household, other_child, 2026)
    client.force_login(user)
    assert client.get(f"/paiements/recu/{receipt.pk}/").status_code == 404
    assert client.get(f"/paiements/attestation-fiscale/{cert.pk}/").status_code == 404
    response = client.post(
        "/paiements/attestation-fiscale/", {"year": 2026, "child": other_child.pk}
    )
    assert response.status_code == 400
    assert other_child.first_name not in client.get("/paiements/").content.decode()
