"""The cash desk (régie): legal cash limit, confirmation step, receipts as issued (régie,
cashier, time, balance after, « ANNULÉ » from a reversal) and the day's cash journal."""

import csv
import datetime
import io
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portail.billing import services
from portail.billing.models import CashReceipt, LedgerEntry
from portail.core.models import AuditEvent, TownSettings
from tests.billing.test_documents import pdf_text
from tests.factories import CashierFactory

PARIS = ZoneInfo("Europe/Paris")
MORNING = datetime.datetime(2027, 1, 12, 10, 5, tzinfo=PARIS)


@pytest.fixture
def town(db):
    town = TownSettings.current()
    town.siret = "21740305000017"
    town.regie_name = "Régie périscolaire de Viry"
    town.legal_name = "Commune de Viry"
    town.save()
    return town


def _account_url(household):
    return f"/gestion/regie/foyer/{household.pk}/"


@pytest.mark.django_db
def test_cash_above_the_legal_limit_is_refused_beside_the_field(client, parent, cashier):
    _user, household, _child = parent
    client.force_login(cashier)
    response = client.post(
        _account_url(household) + "especes/", {"amount": "300,01", "payer_name": "Mme Martin"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_amount_error"' in html
    assert "ne peut pas dépasser 300,00" in html and "article 1680" in html
    assert 'value="Mme Martin"' in html and 'value="300,01"' in html  # nothing typed lost
    assert not LedgerEntry.objects.exists()
    with pytest.raises(services.BillingError, match="article 1680"):
        services.record_cash_payment(household, "100000", cashier, confirmed=True)
    assert not CashReceipt.objects.exists()


@pytest.mark.django_db
def test_limit_is_a_town_setting(client, parent, cashier):
    _user, household, _child = parent
    town = TownSettings.current()
    town.cash_limit = Decimal("100.00")
    town.save()
    with pytest.raises(services.BillingError, match="100,00"):
        services.record_cash_payment(household, "100.01", cashier)
    assert services.record_cash_payment(household, "100", cashier).amount == Decimal("100.00")


@pytest.mark.django_db
def test_large_amount_needs_confirmation_and_a_double_submit_records_once(client, parent, cashier):
    _user, household, _child = parent
    client.force_login(cashier)
    page = client.get(_account_url(household)).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    posted = {"amount": "200,00", "payer_name": "", "token": token}
    response = client.post(_account_url(household) + "especes/", posted)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirmer l'encaissement" in html
    assert "200,00" in html and household.name in html
    assert not LedgerEntry.objects.exists()  # nothing recorded before confirmation
    confirmed = {**posted, "confirm": "1"}
    client.post(_account_url(household) + "especes/", confirmed)
    client.post(_account_url(household) + "especes/", confirmed)  # double click
    receipt = CashReceipt.objects.get()
    assert receipt.amount == Decimal("200.00") and receipt.request_token == uuid.UUID(token)
    assert LedgerEntry.objects.count() == 1
    # the service refuses an unconfirmed large amount too
    with pytest.raises(services.BillingError):
        services.record_cash_payment(household, "150.01", cashier)
    # at or below the threshold: recorded at once
    client.post(_account_url(household) + "especes/", {"amount": "150", "token": str(uuid.uuid4())})
    assert CashReceipt.objects.count() == 2


@pytest.mark.django_db
def test_receipt_carries_regie_cashier_time_and_balance_after(client, parent, cashier, town):
    user, household, _child = parent
    with time_machine.travel(MORNING, tick=False):
        services.record_cash_payment(household, "30", cashier)
        receipt = services.record_cash_payment(household, "45.50", cashier, payer_name="M. Roy")
    client.force_login(cashier)
    text = pdf_text(client.get(f"/gestion/regie/recu/{receipt.pk}/"))
    assert "Régie périscolaire de Viry" in text and "Commune de Viry" in text
    assert "SIRET 21740305000017" in text
    # The PDF prints « Caissier\u00a0: »; pypdf reads its no-break space as a space.
    assert "Caissier : Rémi Régisseur" in text
    assert "12 janvier 2027 à 10:05" in text
    assert "après ce versement : 75,50" in text
    assert "ANNULÉ" not in text
    # the same receipt for the parent
    client.force_login(user)
    assert "75,50" in pdf_text(client.get(f"/paiements/recu/{receipt.pk}/"))


@pytest.mark.django_db
def test_reversed_receipt_prints_cancelled_with_date_and_reason(client, parent, cashier, town):
    user, household, _child = parent
    with time_machine.travel(MORNING, tick=False):
        receipt = services.record_cash_payment(household, "20", cashier)
    with time_machine.travel(MORNING + datetime.timedelta(days=1), tick=False):
        services.reverse_entry(receipt.entry, "Erreur de foyer", cashier)
    client.force_login(cashier)
    text = pdf_text(client.get(f"/gestion/regie/recu/{receipt.pk}/"))
    assert "ANNULÉ" in text
    assert "Annulé le 13 janvier 2027" in text and "Motif : Erreur de foyer" in text
    assert "SIRET 21740305000017" in text
    client.force_login(user)
    assert "ANNULÉ" in pdf_text(client.get(f"/paiements/recu/{receipt.pk}/"))


@pytest.mark.django_db
def test_cash_journal_of_a_day_as_pdf_and_csv(client, parent, cashier, other_parent, town):
    _user, household, _child = parent
    second_cashier = CashierFactory(first_name="Anne", last_name="Caisse")
    with time_machine.travel(MORNING - datetime.timedelta(days=1), tick=False):
        services.record_cash_payment(household, "99", cashier)  # the day before
    with time_machine.travel(MORNING, tick=False):
        services.record_cash_payment(household, "20", cashier)
        wrong = services.record_cash_payment(other_parent[1], "35.50", second_cashier)
        services.record_cash_payment(other_parent[1], "12.30", second_cashier, payer_name="=cmd")
        services.reverse_entry(wrong.entry, "Montant erroné", cashier)
    with time_machine.travel(MORNING + datetime.timedelta(hours=8), tick=False):
        client.force_login(cashier)
        home = client.get("/gestion/regie/").content.decode()
        assert 'action="/gestion/regie/journal/"' in home and 'value="2027-01-12"' in home
        page = client.get("/gestion/regie/journal/").content.decode()  # today by default
    assert "mardi 12 janvier 2027" in page and "32,30" in page and "ANNULÉ" in page

    response = client.get("/gestion/regie/journal/pdf/?date=2027-01-12")
    assert 'filename="journal-de-caisse-2027-01-12.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Journal de caisse du mardi 12 janvier 2027" in text
    assert "Total encaissé" in text and "32,30" in text  # 20 + 12,30; the cancelled left out
    assert "ANNULÉ" in text and "99,00" not in text
    assert "Anne Caisse, Rémi Régisseur" in text and "SIRET 21740305000017" in text

    response = client.get("/gestion/regie/journal/csv/?date=2027-01-12")
    assert 'filename="journal-de-caisse-2027-01-12.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "reçu" and len(rows) == 1 + 3 + 3
    receipts = {r[0]: r for r in rows[1:4]}
    cancelled = receipts[wrong.reference]
    assert cancelled[5] == "35,50" and cancelled[7] == "annulé" and cancelled[9] == "Montant erroné"
    assert rows[4] == ["total encaissé", "", "", "", "", "32,30"]
    assert any(r[4] == "'=cmd" for r in rows)  # no formula in the spreadsheet
    assert AuditEvent.objects.filter(action="billing.cash_journal").count() == 2

    assert client.get("/gestion/regie/journal/?date=pas-une-date").status_code == 400
    empty = client.get("/gestion/regie/journal/?date=2027-02-01").content.decode()
    assert "Aucun reçu" in empty


@pytest.mark.django_db
def test_only_the_cashier_reaches_the_journal(client, parent):
    from tests.factories import AgentFactory

    user, _household, _child = parent
    for who in (user, AgentFactory()):
        client.force_login(who)
        response = client.get("/gestion/regie/journal/csv/?date=2027-01-12")
        assert response.status_code in (302, 403, 404)
