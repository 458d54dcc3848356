import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from portail.agenda.models import Activity
from portail.billing import services
from portail.billing.models import LedgerEntry
from tests.billing.factories import make_activity


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


# The tax certificate: tests/billing/test_tax_certificate.py.


@pytest.mark.django_db
def test_statement_on_screen_and_simplified_pdf(client, parent, cashier):

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
    receipt = services.record_cash_payment(other_household, "35", cashier)
    client.force_login(user)
    assert client.get(f"/paiements/recu/{receipt.pk}/").status_code == 404
    assert other_child.first_name not in client.get("/paiements/").content.decode()
