"""`manage.py check_ledger`: stored balances against their entries, consumption debits against
the booking or attendance they bill."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portail.agenda.models import AbsenceReason, Activity, Attendance, Booking
from portail.agenda.services import declare_absence
from portail.billing import services
from portail.billing.models import LedgerEntry, Payment
from portail.families.models import Household
from tests.billing.factories import make_activity
from tests.factories import CashierFactory, make_parent

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 17)  # a Tuesday


def check_ledger() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_ledger", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


@pytest.fixture
def billed(parent):
    """A household billed by the nightly run: booked, excused at 50 %, present unbooked."""
    _user, household, child = parent
    lunch = make_activity(child.school, Activity.Kind.LUNCH, "4.10")
    morning = make_activity(child.school, Activity.Kind.MORNING, "1.40")
    evening = make_activity(child.school, Activity.Kind.EVENING1, "1.60", surcharge="2.00")
    Booking.objects.create(child=child, activity=lunch, date=DAY)
    Booking.objects.create(child=child, activity=morning, date=DAY)
    half = AbsenceReason.objects.create(name="Convenance", charge_ratio=Decimal("0.5"))
    declare_absence(child, DAY, [morning], half)
    Attendance.objects.create(child=child, activity=evening, date=DAY, state="present")
    services.record_cash_payment(household, "20", CashierFactory())
    assert services.bill_consumption(DAY) == 3
    return household, child, lunch


def test_clean_ledger_passes(billed):
    _user, other, _child = make_parent()
    services.account_for(other)  # an account without entries
    assert check_ledger() == (0, "2 accounts checked, 0 discrepancies\n")


def test_balance_changed_behind_the_ledger_is_reported(billed):
    household, _child, _lunch = billed
    account = household.prepaid_account
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE billing_prepaidaccount SET balance = 100 WHERE id = %s", [account.pk]
        )
    code, out = check_ledger()
    assert code != 0
    assert f"account {account.pk} ({household.name}): stored balance 100.00" in out
    assert "entries sum to 11.60" in out
    assert out.endswith("1 accounts checked, 1 discrepancies")


def test_debit_without_booking_and_wrong_amount_are_reported(billed):
    household, child, lunch = billed
    evening2 = make_activity(child.school, Activity.Kind.EVENING2, "1.60")
    services.post_entry(
        household, "-1.60", "Accueil Soir 2", "consumption",
        child=child, activity=evening2, service_date=DAY, date=DAY,
    )  # fmt: skip
    other_day = DAY + datetime.timedelta(days=1)
    Booking.objects.create(child=child, activity=lunch, date=other_day)
    services.post_entry(
        household, "-9.99", "Restauration scolaire", "consumption",
        child=child, activity=lunch, service_date=other_day, date=other_day,
    )  # fmt: skip
    code, out = check_ledger()
    assert code != 0
    account = household.prepaid_account.pk
    assert f"account {account} ({household.name}): consumption debit" in out
    assert "of -1.60" in out and "has no booking or attendance behind it" in out
    assert "of -9.99" in out and "but the rules give -4.10" in out
    assert out.endswith("2 discrepancies")


def test_a_reversed_debit_is_not_reported(billed):
    household, child, _lunch = billed
    evening2 = make_activity(child.school, Activity.Kind.EVENING2, "1.60")
    wrong = services.post_entry(
        household, "-1.60", "Accueil Soir 2", "consumption",
        child=child, activity=evening2, service_date=DAY, date=DAY,
    )  # fmt: skip
    services.reverse_entry(wrong, "not booked", CashierFactory())
    assert check_ledger()[0] == 0


def test_negative_flag_out_of_step_is_reported(billed):
    household, _child, _lunch = billed
    Household.objects.filter(pk=household.pk).update(negative_balance_since=DAY)
    code, out = check_ledger()
    assert code != 0 and "marked negative since 2026-11-17" in out


def test_credit_flag_out_of_step_is_reported(billed):
    """A household marked without credit while its account holds 11,60 € would be refused
    bookings it has paid for (credit before booking)."""
    household, _child, _lunch = billed
    Household.objects.filter(pk=household.pk).update(has_credit=False)
    code, out = check_ledger()
    assert code != 0 and "balance 11.60 but the household's credit flag is False" in out


def test_a_missing_trigger_is_reported(billed):
    table = "billing_cashreceipt"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER sealed_{table} ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER sealed_{table}_delete")
    code, out = check_ledger()
    assert code != 0 and f"table {table} is not sealed" in out


@time_machine.travel(datetime.datetime(2026, 11, 26, 12), tick=False)
def test_demo_town_is_consistent():
    call_command("demo", stdout=io.StringIO())
    assert check_ledger() == (0, "1 accounts checked, 0 discrepancies\n")
    martin = Household.objects.get(name="Famille Martin")
    entries = LedgerEntry.objects.filter(account__household=martin)
    debits = entries.filter(source="consumption")
    assert debits.count() > 10
    for debit in debits:  # every debit has its booking
        assert Booking.objects.filter(
            child=debit.child, activity=debit.activity, date=debit.service_date, status="booked"
        ).exists()
    payment = Payment.objects.get(household=martin)
    assert payment.entry.date == payment.created_at.date() == payment.settled_at.date()
    assert payment.entry.created_at == payment.created_at
    today = datetime.date(2026, 11, 26)
    assert not entries.filter(date__gt=today).exists()
    assert all(e.created_at.date() <= today for e in entries)
    assert not debits.filter(service_date__gte=today).exists()


@time_machine.travel(datetime.datetime(2026, 11, 27, 9), tick=False)
def test_seeded_town_is_consistent():
    call_command("seed_town", families=30, stdout=io.StringIO())
    code, out = check_ledger()
    assert (code, out) == (0, "30 accounts checked, 0 discrepancies\n")
    assert LedgerEntry.objects.filter(source="consumption").count() > 100
