import datetime
from decimal import Decimal

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portail.billing import selectors, services
from portail.billing.models import LedgerEntry, PrepaidAccount
from portail.core.models import AuditEvent
from portail.families.services import booking_block_reason
from portail.messaging.models import Message, OutboundEmail
from tests.factories import CashierFactory, make_parent

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
cash_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2)
operation = st.one_of(
    st.tuples(st.just("cash"), cash_amounts),
    st.tuples(st.just("refund"), amounts),
    st.tuples(st.just("debit"), amounts),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, max_size=12))
def test_balance_is_always_the_sum_of_entries(ops):
    _user, household, _child = make_parent()
    cashier = CashierFactory()
    external = Decimal("0")  # money that came in or went out through an operation
    for op, value in ops:
        if op == "cash":
            services.record_cash_payment(household, value, cashier, confirmed=True)
            external += value
        elif op == "refund":
            services.record_refund(household, value, "geste", cashier)
            external += value
        elif op == "debit":
            services.post_entry(household, -value, "Repas", LedgerEntry.Source.CONSUMPTION)
            external -= value
        else:
            entries = list(LedgerEntry.objects.filter(account__household=household))
            if not entries:
                continue
            entry = entries[value % len(entries)]
            try:
                services.reverse_entry(entry, "erreur", cashier)
            except services.BillingError:
                continue
            external -= entry.amount
        account = PrepaidAccount.objects.get(household=household)
        assert account.balance == selectors.sum_of_entries(household) == external
        household.refresh_from_db()
        assert (household.negative_balance_since is not None) == (account.balance < 0)
        assert household.has_credit == (account.balance > 0)


@pytest.mark.django_db
def test_entries_are_append_only(parent, cashier):
    _user, household, _child = parent
    receipt = services.record_cash_payment(household, "20", cashier)
    entry = receipt.entry
    entry.label = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.update(amount=0)


@pytest.mark.django_db
def test_reversal_needs_a_reason_and_happens_once(parent, cashier):
    _user, household, _child = parent
    entry = services.record_cash_payment(household, "30,00", cashier).entry
    with pytest.raises(services.BillingError):
        services.reverse_entry(entry, "  ", cashier)
    reversal = services.reverse_entry(entry, "Saisie sur le mauvais foyer", cashier)
    assert reversal.amount == Decimal("-30.00") and reversal.reason == "Saisie sur le mauvais foyer"
    assert selectors.balance_of(household) == Decimal("0.00")
    with pytest.raises(services.BillingError):
        services.reverse_entry(entry, "encore", cashier)
    with pytest.raises(services.BillingError):
        services.reverse_entry(reversal, "encore", cashier)
    assert AuditEvent.objects.filter(action="billing.reversal", actor=cashier).count() == 1
    assert AuditEvent.objects.filter(action="billing.cash_payment", actor=cashier).count() == 1


@pytest.mark.django_db
def test_receipt_numbers_are_gap_free_per_year(parent, cashier):
    _user, household, _child = parent
    with time_machine.travel(datetime.datetime(2026, 12, 30, 10), tick=False):
        a = services.record_cash_payment(household, "10", cashier)
        b = services.record_cash_payment(household, "10", cashier)
    with time_machine.travel(datetime.datetime(2027, 1, 2, 10), tick=False):
        c = services.record_cash_payment(household, "10", cashier)
    assert [(r.year, r.number) for r in (a, b, c)] == [(2026, 1), (2026, 2), (2027, 1)]
    assert a.reference == "R-2026-00001"
    assert a.payer_name == f"{_user.first_name} {_user.last_name}"
    assert "74580 Viry" in a.payer_address


@pytest.mark.django_db
def test_negative_balance_timeline(parent, cashier, client):
    user, household, _child = parent
    start = datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        services.record_cash_payment(household, "5", cashier)
        services.post_entry(household, Decimal("-8.20"), "Restauration", "consumption")
        household.refresh_from_db()
        assert household.negative_balance_since == datetime.date(2027, 1, 4)
        assert Message.objects.filter(recipient=user).count() == 1
        mails = OutboundEmail.objects.filter(to=user.email)
        assert [m.subject for m in mails] == ["Votre compte d'avance est négatif"]
        assert "-3,20" in mails[0].body and "/paiements/" in mails[0].body
        # still below zero: no second message for the same crossing
        services.post_entry(household, Decimal("-1.40"), "Accueil matin", "consumption")
        assert Message.objects.filter(recipient=user).count() == 1
        assert OutboundEmail.objects.filter(to=user.email).count() == 1
        assert booking_block_reason(household) is None
    with time_machine.travel(start + datetime.timedelta(days=15), tick=False):
        assert booking_block_reason(household) is None
    with time_machine.travel(start + datetime.timedelta(days=16), tick=False):
        assert booking_block_reason(household) is not None
        client.force_login(user)  # login is never blocked for this
        html = client.get("/paiements/").content.decode()
        assert "réservations sont bloquées" in html.lower() or "bloqu" in html
        services.record_cash_payment(household, "4.60", cashier)
        household.refresh_from_db()
        assert household.negative_balance_since is None
        # back to 0,00 €: still no credit to book with (FAQ §5)
        assert "crédité" in booking_block_reason(household)
        services.record_cash_payment(household, "0.01", cashier)
        household.refresh_from_db()
        assert household.has_credit and booking_block_reason(household) is None
        assert "bloqu" not in client.get("/paiements/").content.decode()


@pytest.mark.django_db
def test_latest_entries_show_the_same_balances_as_the_full_history(parent, cashier):
    from portail.billing import selectors, services

    _user, household, _child = parent
    for amount in ("10", "20.50", "5"):
        services.record_cash_payment(household, amount, cashier)
    services.post_entry(household, "-40", "Cantine", "consumption")
    full = selectors.history(household)
    latest = selectors.history(household, limit=2)
    assert [(r["entry"].pk, r["balance"]) for r in latest] == [
        (r["entry"].pk, r["balance"]) for r in full[:2]
    ]
    assert latest[0]["balance"] == Decimal("-4.50")


def test_one_function_writes_the_stored_balances():
    """`services.move_balances` is the only code writing `PrepaidAccount.balance`, and the only
    caller of `families.services.record_balance_changes`, the only code writing
    `Household.negative_balance_since` (post_entry, the consumption run and the seed call it)."""
    import inspect
    import pathlib
    import re

    from portail.billing import services as billing_services
    from portail.families import services as families_services

    writes = re.compile(
        r"\.balance\s*[+-]?=[^=]|update_fields=[^)]*[\"']balance[\"']"
        r"|bulk_update\(.*[\"']balance[\"']|\.update\([^)]*\bbalance\s*="
        r"|negative_balance_since\s*=[^=](?!\s*models\.)"
    )
    allowed = inspect.getsource(billing_services.move_balances).splitlines()
    mirror = inspect.getsource(families_services.record_balance_changes).splitlines()
    root = pathlib.Path(billing_services.__file__).parents[1]
    offending = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for line in path.read_text().splitlines()
        if writes.search(line)
        and line not in allowed + mirror
        # post_entry mirrors the new state on the caller's instance, not in the database
        and not line.strip().startswith("household.negative_balance_since =")
    ]
    assert offending == []
    callers = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.rglob("*.py")
        for line in path.read_text().splitlines()
        if "record_balance_changes(" in line and not line.startswith("def ")
    ]
    assert callers == ["billing/services.py: record_balance_changes(below, back, credit, chunk)"]
