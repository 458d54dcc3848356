"""Reads of the prepaid account, scoped to a household."""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from portail.agenda.models import Activity, Booking
from portail.billing.models import CashReceipt, LedgerEntry, Payment, PrepaidAccount
from portail.core import clock
from portail.core.money import ZERO, to_money
from portail.families.models import Child, Household

Source = LedgerEntry.Source


def balance_of(household: Household) -> Decimal:
    account = PrepaidAccount.objects.filter(household=household).first()
    return account.balance if account else ZERO


def entries_of(household: Household):
    return LedgerEntry.objects.filter(account__household=household).select_related(
        "receipt", "reverses", "author"
    )


def sum_of_entries(household: Household) -> Decimal:
    total = LedgerEntry.objects.filter(account__household=household).aggregate(s=Sum("amount"))
    # SQLite sums decimals as floats: back to cents.
    return to_money(total["s"] or ZERO)


def with_running_balance(entries, opening=ZERO) -> list[dict]:
    """Chronological rows: entry and the balance after it."""
    rows, running = [], opening
    for entry in entries:
        running += entry.amount
        rows.append(
            {
                "entry": entry,
                "balance": running,
                "debit": -entry.amount if entry.amount < 0 else None,
                "credit": entry.amount if entry.amount > 0 else None,
            }
        )
    return rows


def history(household: Household, limit: int | None = None, balance=None) -> list[dict]:
    """Newest first, each with the balance after it (the `limit` newest ones).

    With a limit, only those entries are read: the balances are worked back from the stored
    balance (the sum of all entries), so the page costs the same after years of entries."""
    if not limit:
        rows = with_running_balance(entries_of(household).order_by("created_at", "pk"))
        rows.reverse()
        return rows
    rows, _balance = latest_history(household, limit, balance)
    return rows


def latest_history(household: Household, limit: int, balance=None) -> tuple[list[dict], Decimal]:
    """The `limit` newest entries, each with the balance after it, and the current balance.

    One query: the balance comes with the newest entry's account (no entry, no money: zero),
    and the older balances are worked back from it."""
    # The parent's page shows no author nor reversed entry: only the receipt is joined.
    latest = LedgerEntry.objects.filter(account__household=household).select_related(
        "receipt", "account"
    )
    entries = list(latest.order_by("-created_at", "-pk")[:limit])
    if balance is None:
        balance = entries[0].account.balance if entries else ZERO
    rows, running = [], balance
    for entry in entries:
        rows.append(
            {
                "entry": entry,
                "balance": running,
                "debit": -entry.amount if entry.amount < 0 else None,
                "credit": entry.amount if entry.amount > 0 else None,
            }
        )
        running -= entry.amount
    return rows, balance


def recent_payments(household: Household, limit=5):
    return Payment.objects.filter(household=household)[:limit]


@dataclasses.dataclass
class Forecast:
    upcoming: int
    cost: Decimal
    projected: Decimal
    negative_on: datetime.date | None


def forecast(household: Household, today: datetime.date | None = None, balance=None) -> Forecast:
    """The balance once the booked services not billed yet are consumed, and the first day it
    would be negative."""
    today = today or clock.today()
    # What was already debited from today on (rare: the run bills past days), read apart:
    # cheaper than an anti-join per booking on a school year of bookings.
    billed = set(
        LedgerEntry.objects.filter(
            account__household=household, source=Source.CONSUMPTION, service_date__gte=today
        ).values_list("child_id", "activity_id", "service_date")
    )
    bookings = (
        Booking.objects.filter(
            child__household=household, status=Booking.Status.BOOKED, date__gte=today
        )
        .order_by("date")
        .values_list("date", "activity_id", "child_id")
    )
    # A school year of bookings: read as tuples, each activity priced once.
    bookings = [(d, a) for d, a, c in bookings if (c, a, d) not in billed]
    prices = {
        activity.pk: activity.price_for(household)
        for activity in Activity.objects.filter(pk__in={a for _d, a in bookings}).prefetch_related(
            "price_brackets"
        )
    }
    balance = balance_of(household) if balance is None else balance
    running, negative_on, cost, count = balance, None, ZERO, 0
    for date, activity_id in bookings:
        price = prices[activity_id]
        running -= price
        cost += price
        count += 1
        if running < ZERO and negative_on is None and balance >= ZERO:
            negative_on = date
    return Forecast(count, cost, running, negative_on)


# --- statements ------------------------------------------------------------------------------


def statement(household: Household, year: int, month: int | None) -> dict:
    """Entries of a civil year (or one month of it), with opening and closing balances."""
    start = datetime.date(year, month or 1, 1)
    if month:
        end = (start + datetime.timedelta(days=32)).replace(day=1)
    else:
        end = datetime.date(year + 1, 1, 1)
    entries = entries_of(household)
    opening = to_money(entries.filter(date__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO)
    period = entries.filter(date__gte=start, date__lt=end).order_by("date", "created_at", "pk")
    rows = with_running_balance(period, opening)
    credits = sum((r["entry"].amount for r in rows if r["entry"].amount > 0), ZERO)
    debits = sum((-r["entry"].amount for r in rows if r["entry"].amount < 0), ZERO)
    return {
        "year": year,
        "month": month,
        "start": start,
        "end": end - datetime.timedelta(days=1),
        "opening": opening,
        "closing": rows[-1]["balance"] if rows else opening,
        "rows": rows,
        "credits": credits,
        "debits": debits,
    }


def statement_years(household: Household) -> list[int]:
    first = entries_of(household).order_by("date").values_list("date", flat=True).first()
    this_year = clock.today().year
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


# --- tax certificate -------------------------------------------------------------------------


def tax_certificate_lines(child: Child, year: int) -> list[tuple[str, Decimal]]:
    """What was charged in `year` for the child's childcare, by activity (meals excluded).
    Reversals carry the child, activity and day of what they correct, so they net out."""
    rows = (
        LedgerEntry.objects.filter(
            child=child,
            activity__counts_for_tax_certificate=True,
            service_date__year=year,
        )
        .filter(Q(source=Source.CONSUMPTION) | Q(source=Source.REVERSAL))
        .values("activity__name")
        .annotate(total=Sum("amount"))
        .order_by("activity__name")
    )
    totals = [(r["activity__name"], -to_money(r["total"] or ZERO)) for r in rows]
    return [(name, total) for name, total in totals if total]


def tax_certificate_choices(household: Household, year: int) -> list[dict]:
    from portail.billing.services import tax_certificate_eligible

    return [
        {"child": child, "eligible": tax_certificate_eligible(child, year)}
        for child in household.children.all()
    ]


# --- the cash desk ----------------------------------------------------------------------------


def receipt_reversal(receipt) -> LedgerEntry | None:
    """The reversal that cancelled a cash receipt, if any (« ANNULÉ » is derived from it)."""
    return LedgerEntry.objects.filter(reverses_id=receipt.entry_id).first()


def cashier_of(receipt) -> str:
    if receipt.cashier_name:
        return receipt.cashier_name
    user = receipt.issued_by
    return (user.get_full_name() or user.get_username()) if user else ""


@dataclasses.dataclass
class JournalRow:
    receipt: object
    reversal: LedgerEntry | None
    issued_at: datetime.datetime  # in Paris
    cashier: str


@dataclasses.dataclass
class CashJournal:
    day: datetime.date
    rows: list[JournalRow]
    total: Decimal  # the receipts of the day still valid
    cancelled_total: Decimal
    cashiers: list[str]


def cash_journal(day: datetime.date) -> CashJournal:
    """« Bordereau de régie »: the receipts issued on a day (Paris time), the cancelled ones shown
    as such and left out of the total, and who cashed them."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=clock.PARIS)
    receipts = list(
        CashReceipt.objects.filter(
            issued_at__gte=start, issued_at__lt=start + datetime.timedelta(days=1)
        )
        .select_related("household", "issued_by")
        .order_by("year", "number")
    )
    reversals = {
        e.reverses_id: e
        for e in LedgerEntry.objects.filter(reverses_id__in=[r.entry_id for r in receipts])
    }
    rows = [
        JournalRow(
            r,
            reversals.get(r.entry_id),
            timezone.localtime(r.issued_at, clock.PARIS),
            cashier_of(r),
        )
        for r in receipts
    ]
    return CashJournal(
        day=day,
        rows=rows,
        total=sum((row.receipt.amount for row in rows if not row.reversal), ZERO),
        cancelled_total=sum((row.receipt.amount for row in rows if row.reversal), ZERO),
        cashiers=sorted({row.cashier for row in rows if row.cashier}),
    )
