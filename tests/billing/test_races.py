"""Races need PostgreSQL (`select_for_update` does nothing on SQLite)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from portail.billing import selectors, services
from portail.billing.models import CashReceipt, LedgerEntry, Payment
from tests.factories import CashierFactory, make_parent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


def run_concurrently(target, count):
    barrier = threading.Barrier(count)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            target(i)
        except Exception as exc:  # collected and reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_same_notification_delivered_concurrently_credits_once():
    _user, household, _child = make_parent()
    payment, _order = services.start_topup(household, "42.00", None, lambda n, p: f"http://x/{n}/")
    query = f"transaction_id={payment.transaction_id}&signed=1&ok=1&amount=42.00"
    channels = ["notification", "return"]
    run_concurrently(lambda i: services.apply_bank_response(payment.pk, query, channels[i % 2]), 12)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert LedgerEntry.objects.filter(source="card").count() == 1
    assert selectors.balance_of(household) == Decimal("42.00")
    assert payment.bank_responses.count() == 12


def test_concurrent_cash_payments_keep_balance_and_gap_free_numbers():
    _user, household, _child = make_parent()
    cashier = CashierFactory()
    run_concurrently(lambda i: services.record_cash_payment(household, "10", cashier), 10)
    assert selectors.balance_of(household) == Decimal("100.00")
    assert selectors.sum_of_entries(household) == Decimal("100.00")
    numbers = sorted(CashReceipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 11))


def test_concurrent_consumption_runs_debit_once():
    import datetime

    from portail.agenda.models import Activity, Booking
    from tests.billing.factories import make_activity

    _user, household, child = make_parent()
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    morning = make_activity(child.school, Activity.Kind.MORNING, "1.40")
    day = datetime.date(2026, 1, 13)  # a day that has ended (only those are billed)
    for activity in (lunch, morning):
        Booking.objects.create(child=child, activity=activity, date=day)
    run_concurrently(lambda i: services.bill_consumption(day), 6)
    assert LedgerEntry.objects.filter(source="consumption").count() == 2
    assert selectors.balance_of(household) == Decimal("-5.50")
