"""Races need PostgreSQL (`select_for_update` does nothing on SQLite)."""

from decimal import Decimal

import pytest

from portail.billing import selectors, services
from portail.billing.models import CashReceipt, LedgerEntry, Payment
from tests.conftest import race
from tests.factories import CashierFactory, make_parent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(target, count):
    """`count` calls of target(i) at once; none may fail."""
    errors = [
        r for r in race(*[lambda i=i: target(i) for i in range(count)]) if isinstance(r, Exception)
    ]
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


def test_concurrent_certificate_downloads_issue_one_number_per_child():
    import datetime

    import time_machine

    from portail.agenda.models import Activity
    from portail.billing.models import TaxCertificate
    from tests.billing.factories import make_activity

    children = []
    for _ in range(3):
        _user, household, child = make_parent(birth_date=datetime.date(2022, 3, 1))
        evening = make_activity(child.school, Activity.Kind.EVENING1, "1.60")
        day = datetime.date(2026, 5, 4)
        services.post_entry(household, Decimal("10"), "Versement", "cash", date=day)
        services.post_entry(
            household,
            Decimal("-1.60"),
            "Accueil soir",
            "consumption",
            date=day,
            child=child,
            activity=evening,
            service_date=day,
        )
        children.append((household, child))
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12), tick=False):
        run_concurrently(lambda i: services.issue_tax_certificate(*children[i % 3], 2026), 12)
    assert sorted(TaxCertificate.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_concurrent_writers_and_consumption_run_leave_the_ledger_clean():
    """Cash payments, refunds and reversals posted while the nightly run bills the same
    households (in small batches): every balance still equals its entries."""
    import datetime

    from portail.agenda.models import Activity, Booking
    from portail.billing.selectors import ledger_check
    from tests.billing.factories import make_activity

    day = datetime.date(2026, 11, 17)
    households = []
    for _ in range(6):
        _user, household, child = make_parent()
        lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
        evening = make_activity(child.school, Activity.Kind.EVENING1, "1.60")
        Booking.objects.create(child=child, activity=lunch, date=day)
        Booking.objects.create(child=child, activity=evening, date=day)
        households.append(household)
    cashier = CashierFactory()
    first = services.record_cash_payment(households[0], "3", cashier)

    def writer(i):
        if i == 0:
            services.bill_consumption(day, batch=2)
        elif i == 1:
            services.reverse_entry(first.entry, "wrong family", cashier)
        else:
            for household in households:
                if i % 2:
                    services.record_cash_payment(household, "2", cashier)
                else:
                    services.record_refund(household, "1", "closed canteen", cashier)

    run_concurrently(writer, 8)
    assert LedgerEntry.objects.filter(source="consumption").count() == 12
    checked, found = ledger_check()
    assert (checked, found) == (6, [])
    # 3 × 2 € and 3 × 1 € posted, 5,70 € consumed (and the 3 € reversed): 3,30 € each, in
    # whatever order they ran (a household that went below zero meanwhile is unflagged).
    for household in households:
        household.refresh_from_db()
        assert selectors.balance_of(household) == Decimal("3.30")
        assert household.negative_balance_since is None


def test_late_payment_notified_twice_and_polled_at_once_credits_once(dgfip):
    """Issue 11 item 6 on PayFiP: an abandoned payment that the parent did pay late; two DGFiP
    notifications and `poll_payments` arrive at the same moment: one credit."""
    import datetime

    import time_machine

    _user, household, _child = make_parent()
    payment, _order = services.start_topup(
        household, "30.00", None, lambda n, p: f"https://portail.test/{n}/{p.pk}/"
    )
    with time_machine.travel(datetime.timedelta(minutes=31)):
        assert services.expire_pending() == 1  # DGFiP: still in progress (P5) → abandoned
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    dgfip.settle(payment.transaction_id)
    notification = f"idOp={payment.transaction_id}"
    actions = [
        lambda: services.apply_bank_response(payment.pk, notification, "notification"),
        lambda: services.apply_bank_response(payment.pk, notification, "notification"),
        lambda: services.expire_pending(),
    ]
    run_concurrently(lambda i: actions[i](), 3)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert LedgerEntry.objects.filter(source="card").count() == 1
    assert selectors.balance_of(household) == Decimal("30.00")
    assert selectors.sum_of_entries(household) == Decimal("30.00")
