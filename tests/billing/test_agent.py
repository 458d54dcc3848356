import datetime
from decimal import Decimal

import pytest

from portail.agenda.models import Activity
from portail.billing import selectors, services
from portail.billing.models import CashReceipt, LedgerEntry
from portail.core.models import AuditEvent
from tests.billing.factories import make_activity
from tests.factories import AgentFactory


@pytest.mark.django_db
def test_cashier_records_cash_and_corrects_by_reversal(client, parent, cashier):
    _user, household, _child = parent
    client.force_login(cashier)
    assert client.get("/gestion/regie/?q=" + household.name).status_code == 200
    url = f"/gestion/regie/foyer/{household.pk}/"
    response = client.post(url + "especes/", {"amount": "abc", "payer_name": "Mme X"})
    assert response.status_code == 400 and 'value="Mme X"' in response.content.decode()
    assert not LedgerEntry.objects.exists()
    response = client.post(url + "especes/", {"amount": "20,00"}, follow=True)
    assert "R-" in response.content.decode()
    receipt = CashReceipt.objects.get()
    assert receipt.amount == Decimal("20.00")
    assert client.get(f"/gestion/regie/recu/{receipt.pk}/").status_code == 200
    # A reversal without reason does nothing; with one, it corrects.
    client.post(f"/gestion/regie/ecriture/{receipt.entry.pk}/corriger/", {"reason": ""})
    assert selectors.balance_of(household) == Decimal("20.00")
    client.post(
        f"/gestion/regie/ecriture/{receipt.entry.pk}/corriger/", {"reason": "Erreur de foyer"}
    )
    assert selectors.balance_of(household) == Decimal("0.00")
    client.post(url + "remboursement/", {"amount": "5", "reason": "Sortie annulée"})
    assert selectors.balance_of(household) == Decimal("5.00")
    actions = set(AuditEvent.objects.filter(actor=cashier).values_list("action", flat=True))
    assert actions == {"billing.cash_payment", "billing.reversal", "billing.refund"}


@pytest.mark.django_db
def test_agent_reads_but_cannot_move_money(client, parent):
    _user, household, _child = parent
    agent = AgentFactory()
    client.force_login(agent)
    assert client.get(f"/gestion/regie/foyer/{household.pk}/").status_code == 200
    assert (
        client.post(f"/gestion/regie/foyer/{household.pk}/especes/", {"amount": "5"}).status_code
        == 403
    )
    assert client.get("/gestion/regie/export/").status_code == 403


@pytest.mark.django_db
def test_parent_cannot_reach_the_cash_desk(client, parent):
    user, household, _child = parent
    client.force_login(user)
    assert client.get("/gestion/regie/").status_code == 403
    assert (
        client.post(f"/gestion/regie/foyer/{household.pk}/especes/", {"amount": "5"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_csv_export_of_payments_and_consumption(client, parent, cashier):
    _user, household, child = parent
    lunch = make_activity(child.school, Activity.Kind.LUNCH)
    services.record_cash_payment(household, "20", cashier)
    services.post_entry(
        household,
        Decimal("-4.10"),
        "Restauration scolaire — X",
        "consumption",
        child=child,
        activity=lunch,
        service_date=datetime.date.today(),
    )
    client.force_login(cashier)
    today = datetime.date.today().isoformat()
    payments = client.get("/gestion/regie/export/?kind=payments&start=2000-01-01&end=2100-01-01")
    text = payments.content.decode("utf-8-sig")
    assert payments["Content-Type"].startswith("text/csv")
    assert "20,00" in text and "4,10" not in text
    consumption = client.get(
        "/gestion/regie/export/?kind=consumption&start=2000-01-01&end=2100-01-01"
    ).content.decode("utf-8-sig")
    assert (
        "-4,10" in consumption
        and "Restauration scolaire" in consumption
        and "20,00" not in consumption
    )
    bad = client.get(f"/gestion/regie/export/?kind=payments&start={today}&end=2000-01-01")
    assert bad.status_code == 400
    assert AuditEvent.objects.filter(action="billing.export").count() == 2
