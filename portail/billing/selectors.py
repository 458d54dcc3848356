"""Reads of the prepaid account, scoped to a household."""

import collections
import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.db.models.functions import TruncMonth
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
    booked = Booking.objects.filter(
        child__household=household, status=Booking.Status.BOOKED, date__gte=today
    ).order_by("date")
    if billed:
        rows = [
            (d, a, 1)
            for d, a, c in booked.values_list("date", "activity_id", "child_id")
            if (c, a, d) not in billed
        ]
    else:
        # The usual case: children of one school share activities, so a school year of bookings
        # comes as (day, activity, how many) rows, half as many or fewer.
        rows = list(
            booked.values("date", "activity_id")
            .annotate(n=Count("pk"))
            .order_by("date")
            .values_list("date", "activity_id", "n")
        )
    prices = {
        activity.pk: activity.price_for(household)
        for activity in Activity.objects.filter(pk__in={a for _d, a, _n in rows}).prefetch_related(
            "price_brackets"
        )
    }
    balance = balance_of(household) if balance is None else balance
    running, negative_on, cost, count = balance, None, ZERO, 0
    for date, activity_id, n in rows:
        price = prices[activity_id] * n
        running -= price
        cost += price
        count += n
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


@dataclasses.dataclass(frozen=True)
class Movement:
    """What the payment allocation needs of a ledger entry."""

    id: int
    date: datetime.date
    amount: Decimal
    source: str
    reverses: int | None = None
    child: int | None = None
    activity: str = ""
    eligible: bool = False  # childcare that counts for the tax certificate (not a meal)


@dataclasses.dataclass(frozen=True)
class Portion:
    """`amount` of `debit` paid by `credit` (None: not paid yet)."""

    debit: Movement
    credit: Movement | None
    amount: Decimal

    @property
    def paid_in(self) -> int | None:
        """The year this part was paid: when the later of the debit and its credit came."""
        if self.credit is None:
            return None
        return max(self.debit.date, self.credit.date).year


FAMILY_MONEY = (Source.CARD, Source.CASH)


def _take(queue, wanted: Decimal, latest=False):
    """Take up to `wanted` from a queue of [movement, remaining], oldest (or latest) first."""
    while wanted and queue:
        item = queue[-1] if latest else queue[0]
        taken = min(wanted, item[1])
        item[1] -= taken
        wanted -= taken
        if not item[1]:
            queue.pop() if latest else queue.popleft()
        yield item[0], taken


def allocate_payments(movements) -> list[Portion]:
    """First in, first out: each credit pays the oldest unpaid debits (docs/billing.md).

    `movements` in ledger order. A reversed entry and its reversal are left out; money given
    back (a negative entry other than a consumption) takes the latest credits first."""
    ids = {m.id for m in movements}
    removed = set()
    for m in movements:
        if m.source == Source.REVERSAL and m.reverses in ids:
            removed |= {m.id, m.reverses}
    live = [m for m in movements if m.id not in removed]
    live.sort(key=lambda m: m.date)  # stable: recording order within a day
    credits, unpaid, portions = collections.deque(), collections.deque(), []
    for m in live:
        if m.amount > 0:
            left = m.amount
            for debit, taken in _take(unpaid, left):
                portions.append(Portion(debit, m, taken))
                left -= taken
            if left:
                credits.append([m, left])
            continue
        left = -m.amount
        if m.source == Source.CONSUMPTION:
            for credit, taken in _take(credits, left):
                portions.append(Portion(m, credit, taken))
                left -= taken
        else:  # money given back: what is still on the account is the latest credits'
            for _credit, taken in _take(credits, left, latest=True):
                left -= taken
        if left:
            unpaid.append([m, left])
    portions += [Portion(debit, None, left) for debit, left in unpaid]
    return portions


@dataclasses.dataclass
class CertificateFigures:
    year: int
    lines: list  # [(activity, amount)]: the year's debits paid in the year
    earlier: list  # [(year, activity, amount)]: earlier debits paid in the year
    unpaid: Decimal  # the year's debits not paid on 31 December

    @property
    def amount(self) -> Decimal:
        return sum((a for _n, a in self.lines), ZERO) + sum((a for *_k, a in self.earlier), ZERO)

    def stored_lines(self) -> list:
        return [[name, str(amount)] for name, amount in self.lines]

    def stored_earlier_lines(self) -> list:
        return [[year, name, str(amount)] for year, name, amount in self.earlier]


def certificate_figures(portions, child_id: int, year: int) -> CertificateFigures:
    """The family's money paid in `year` for the child's eligible debits (pure)."""
    lines, earlier, unpaid = collections.Counter(), collections.Counter(), ZERO
    for portion in portions:
        debit = portion.debit
        if not (debit.eligible and debit.child == child_id):
            continue
        if debit.date.year == year and (portion.paid_in is None or portion.paid_in > year):
            unpaid += portion.amount
        if portion.paid_in != year or portion.credit.source not in FAMILY_MONEY:
            continue  # paid another year, or by the town's money
        if debit.date.year == year:
            lines[debit.activity] += portion.amount
        else:
            earlier[debit.date.year, debit.activity] += portion.amount
    return CertificateFigures(
        year,
        sorted(
            ((n, to_money(a)) for n, a in lines.items() if a), key=lambda line: line[0].casefold()
        ),
        sorted((y, name, to_money(a)) for (y, name), a in earlier.items() if a),
        to_money(unpaid),
    )


def tax_certificate_figures(household: Household, child: Child, year: int) -> CertificateFigures:
    """One query: the household's entries up to 31 December of `year`, and the reversals of
    those entries recorded later (a reversal removes its entry wherever it is dated)."""
    end = datetime.date(year, 12, 31)
    rows = (
        LedgerEntry.objects.filter(account__household=household)
        .filter(Q(date__lte=end) | Q(source=Source.REVERSAL, reverses__date__lte=end))
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "date",
            "amount",
            "source",
            "reverses_id",
            "child_id",
            "activity__name",
            "activity__counts_for_tax_certificate",
        )
    )
    movements = [
        Movement(pk, date, to_money(amount), source, reverses, child_id, name or "", bool(tax))
        for pk, date, amount, source, reverses, child_id, name, tax in rows
    ]
    return certificate_figures(allocate_payments(movements), child.pk, year)


def tax_certificate_years(household: Household) -> list[int]:
    """Civil years already over in which the account had entries, newest first: the
    certificate of a year can be asked from 1 January of the next one."""
    first_of_year = datetime.date(clock.today().year, 1, 1)
    days = LedgerEntry.objects.filter(account__household=household, date__lt=first_of_year).dates(
        "date", "year", order="DESC"
    )
    return [day.year for day in days]


def tax_certificate_eligible(child: Child, year: int) -> bool:
    """Under 6 on 1 January of the year: born on or after 1 January of year - 6."""
    return child.birth_date >= datetime.date(year - 6, 1, 1)


def tax_certificate_choices(household: Household, year: int) -> list[dict]:
    return [
        {"child": child, "eligible": tax_certificate_eligible(child, year)}
        for child in household.children.all()
    ]


# --- the ledger check (`manage.py check_ledger`) -----------------------------------------------

SEALED_TABLES = ("billing_ledgerentry", "billing_cashreceipt", "billing_taxcertificate")


@dataclasses.dataclass
class Discrepancy:
    account_id: int | None
    household: str
    problem: str

    def __str__(self):
        where = f"account {self.account_id}" if self.account_id else "database"
        return (
            f"{where} ({self.household}): {self.problem}"
            if self.household
            else (f"{where}: {self.problem}")
        )


def _money(value) -> Decimal:
    # SQLite returns decimals as floats: back to cents through their text.
    return to_money(str(value)) if value is not None else ZERO


def ledger_check() -> tuple[int, list[Discrepancy]]:
    """Compare every stored balance with the sum of its entries, every consumption debit with
    the booking or attendance it bills, and check the seal is in place.

    A handful of aggregate queries, whatever the size of the town: the database sums and joins,
    Python only formats what differs. Returns (accounts checked, discrepancies)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM billing_prepaidaccount")
        checked = cursor.fetchone()[0]
        found = _balance_discrepancies(cursor)
        found += _consumption_discrepancies(cursor)
        found += _seal_discrepancies(cursor, connection.vendor)
    return checked, found


def _balance_discrepancies(cursor) -> list[Discrepancy]:
    cursor.execute(
        """
        SELECT a.id, h.name, a.balance, COALESCE(s.total, 0), h.negative_balance_since,
            h.has_credit
        FROM billing_prepaidaccount a
        JOIN families_household h ON h.id = a.household_id
        LEFT JOIN (
            SELECT account_id, SUM(amount) AS total FROM billing_ledgerentry GROUP BY account_id
        ) s ON s.account_id = a.id
        WHERE ABS(a.balance - COALESCE(s.total, 0)) >= 0.005
           OR (a.balance < 0 AND h.negative_balance_since IS NULL)
           OR (a.balance >= 0 AND h.negative_balance_since IS NOT NULL)
           OR ((a.balance > 0) <> h.has_credit)
        ORDER BY a.id
        """
    )
    found = []
    for account_id, name, stored, total, since, has_credit in cursor.fetchall():
        stored, total = _money(stored), _money(total)
        if stored != total:
            problem = f"stored balance {stored} but its entries sum to {total}"
        elif stored < ZERO and since is None:
            problem = f"balance {stored} but the household is not marked negative"
        elif stored >= ZERO and since is not None:
            problem = f"balance {stored} but the household is marked negative since {since}"
        else:
            problem = f"balance {stored} but the household's credit flag is {bool(has_credit)}"
        found.append(Discrepancy(account_id, name, problem))
    cursor.execute(
        """
        SELECT h.name FROM families_household h
        WHERE h.negative_balance_since IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM billing_prepaidaccount a WHERE a.household_id = h.id)
        """
    )
    found += [
        Discrepancy(None, name, "marked negative but has no prepaid account")
        for (name,) in cursor.fetchall()
    ]
    return found


# What `services.bill_consumption` charges for (child, activity, day), from the booking and
# the attendance behind it (the rules of `agenda.selectors.billable_items` and
# `services._consumption_amount`, at today's prices); NULL when nothing is billable.
CONSUMPTION_CHECK = """
WITH debit AS (
    SELECT e.id, e.account_id, h.name, e.service_date, e.amount, e.child_id, e.activity_id,
        COALESCE(h.family_quotient, -1) AS quotient
    FROM billing_ledgerentry e
    JOIN billing_prepaidaccount a ON a.id = e.account_id
    JOIN families_household h ON h.id = a.household_id
    WHERE e.source = 'consumption'
      AND NOT EXISTS (SELECT 1 FROM billing_ledgerentry v WHERE v.reverses_id = e.id)
),
price AS (  -- once per (activity, family quotient): the bracket's price, else the flat one
    SELECT k.activity_id, k.quotient, COALESCE((
        SELECT pb.price FROM agenda_pricebracket pb
        WHERE pb.activity_id = k.activity_id AND k.quotient >= 0 AND pb.qf_min <= k.quotient
          AND (pb.qf_max IS NULL OR k.quotient <= pb.qf_max)
        ORDER BY pb.qf_min LIMIT 1
    ), act.price) AS price, act.unbooked_surcharge
    FROM (SELECT DISTINCT activity_id, quotient FROM debit) k
    JOIN agenda_activity act ON act.id = k.activity_id
)
SELECT id, account_id, name, service_date, amount, expected, child_id, activity_id
FROM (
    SELECT d.*,
        CASE
            WHEN b.id IS NOT NULL AND t.state = 'excused'
                THEN ROUND(p.price * COALESCE(r.charge_ratio, 0), 2)
            WHEN b.status = 'booked' THEN p.price
            WHEN t.state = 'present' THEN p.price + p.unbooked_surcharge
        END AS expected
    FROM debit d
    LEFT JOIN price p ON p.activity_id = d.activity_id AND p.quotient = d.quotient
    LEFT JOIN agenda_booking b ON b.child_id = d.child_id
        AND b.activity_id = d.activity_id AND b.date = d.service_date
    LEFT JOIN agenda_attendance t ON t.child_id = d.child_id
        AND t.activity_id = d.activity_id AND t.date = d.service_date
    LEFT JOIN agenda_absencereason r ON r.id = t.absence_reason_id
) x
WHERE expected IS NULL OR ABS(-amount - expected) >= 0.005
ORDER BY account_id, service_date, id
"""


def _consumption_discrepancies(cursor) -> list[Discrepancy]:
    """A consumption debit not reversed must bill a booking or attendance, at the rules' amount.
    A reversed one was corrected by an agent, with a reason: it is not checked again."""
    cursor.execute(CONSUMPTION_CHECK)
    found = []
    for (
        entry_id,
        account_id,
        name,
        day,
        amount,
        expected,
        child_id,
        activity_id,
    ) in cursor.fetchall():
        what = f"consumption debit #{entry_id} of {_money(amount)} (child {child_id}, "
        what += f"activity {activity_id}, {day})"
        if expected is None:
            problem = f"{what} has no booking or attendance behind it"
        else:
            problem = f"{what} but the rules give {-_money(expected)}"
        found.append(Discrepancy(account_id, name, problem))
    return found


def _seal_discrepancies(cursor, vendor: str) -> list[Discrepancy]:
    """The triggers of migration billing 0005 are in place (a table rebuilt by a later SQLite
    migration, or a trigger dropped or disabled by hand, would lose them)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'sealed\\_%%' AND NOT t.tgisinternal AND t.tgenabled <> 'D'"
        )
        sealed = {table for (table,) in cursor.fetchall()}
        missing = [t for t in SEALED_TABLES if t not in sealed]
    elif vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {name for (name,) in cursor.fetchall()}
        missing = [
            t for t in SEALED_TABLES if not {f"sealed_{t}_update", f"sealed_{t}_delete"} <= names
        ]
    else:
        missing = []
    return [
        Discrepancy(None, "", f"table {table} is not sealed (UPDATE/DELETE trigger missing)")
        for table in missing
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


# --- accounting (partner API) ---------------------------------------------------------------


def ledger_entries_between(date_from: datetime.date, date_to: datetime.date, household_id=None):
    """Every ledger entry dated in the period (included), in the order they were recorded."""
    entries = LedgerEntry.objects.filter(date__gte=date_from, date__lte=date_to)
    if household_id is not None:
        entries = entries.filter(account__household_id=household_id)
    return entries.select_related("account").order_by("date", "created_at", "pk")


def balances_between(date_from: datetime.date, date_to: datetime.date):
    """Per household with an account: the balance before the period, its credits and debits
    in it (by entry date, included) and the balance at its end. One grouped query; amounts are
    made exact Decimals by the caller with `to_money` (SQLite sums decimals as floats)."""
    before = Q(entries__date__lt=date_from)
    within = Q(entries__date__gte=date_from, entries__date__lte=date_to)
    return (
        PrepaidAccount.objects.values("household_id", "household__name")
        .annotate(
            opening=Sum("entries__amount", filter=before, default=ZERO),
            credits=Sum("entries__amount", filter=within & Q(entries__amount__gt=0), default=ZERO),
            debits=Sum("entries__amount", filter=within & Q(entries__amount__lt=0), default=ZERO),
        )
        .order_by("household__name", "household_id")
    )


def balances_of(households) -> list[tuple]:
    """Each household (a page of the agents' search) with its balance (0 without an account)."""
    households = list(households)
    balances = dict(
        PrepaidAccount.objects.filter(household__in=households).values_list(
            "household_id", "balance"
        )
    )
    return [(h, balances.get(h.pk, 0)) for h in households]


def blocked_since_before(today: datetime.date) -> datetime.date:
    """A balance negative since before this day blocks new bookings
    (`families.services.booking_block_reason`: more than the grace days)."""
    return today - datetime.timedelta(days=settings.NEGATIVE_BALANCE_GRACE_DAYS)


def negative_accounts(*, q="", blocked=None, school=None, min_days=None, today=None):
    """The accounts below zero, the most negative first, each with `blocked` (new bookings
    refused) and the household's adults and contacts (to call or write). Filters: a household
    name, blocked or not, a school one of its children attends, negative for at least
    `min_days` days."""
    today = today or clock.today()
    limit = blocked_since_before(today)
    qs = (
        PrepaidAccount.objects.filter(balance__lt=0)
        .select_related("household")
        .prefetch_related("household__adults", "household__contacts")
        .annotate(
            blocked=ExpressionWrapper(
                Q(household__negative_balance_since__lt=limit), output_field=BooleanField()
            )
        )
    )
    if q:
        qs = qs.filter(household__name__icontains=q)
    if blocked is not None:
        since = Q(household__negative_balance_since__lt=limit)
        qs = qs.filter(since) if blocked else qs.exclude(since)
    if school is not None:
        qs = qs.filter(household__in=Child.objects.filter(school=school).values("household"))
    if min_days:
        qs = qs.filter(
            household__negative_balance_since__lte=today - datetime.timedelta(days=min_days)
        )
    return qs.order_by("balance", "pk")


def negative_summary(today=None) -> dict:
    """How many accounts are below zero and how many of them block bookings (one query)."""
    limit = blocked_since_before(today or clock.today())
    return PrepaidAccount.objects.filter(balance__lt=0).aggregate(
        total=Count("pk"),
        blocked=Count("pk", filter=Q(household__negative_balance_since__lt=limit)),
    )


def ledger_entries_for_export(kind: str, start, end):
    """The entries of the accounting export (`kind` "payments" or consumption) of a period,
    with what the CSV shows, in the order of the ledger."""
    S = LedgerEntry.Source
    entries = LedgerEntry.objects.filter(date__gte=start, date__lte=end).select_related(
        "account__household", "author", "child", "activity", "receipt", "payment", "reverses"
    )
    if kind == "payments":
        entries = entries.filter(
            Q(source__in=LedgerEntry.CREDIT_SOURCES)
            | Q(source=S.REVERSAL, reverses__source__in=LedgerEntry.CREDIT_SOURCES)
        )
    else:
        entries = entries.filter(
            Q(source=S.CONSUMPTION) | Q(source=S.REVERSAL, reverses__source=S.CONSUMPTION)
        )
    return entries.order_by("date", "pk")


def credits_and_consumption_per_month(start: datetime.date, end: datetime.date) -> dict:
    """Money paid in (card and cash) and services consumed, per month of the entries' dates
    (included): {first day of the month: (credits, consumption)}, both positive. One grouped
    query (the dashboard's chart)."""
    S = LedgerEntry.Source
    rows = (
        LedgerEntry.objects.filter(date__gte=start, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            credits=Sum("amount", filter=Q(source__in=[S.CARD, S.CASH]), default=ZERO),
            consumption=Sum("amount", filter=Q(source=S.CONSUMPTION), default=ZERO),
        )
        .order_by()
    )
    return {row["month"]: (to_money(row["credits"]), -to_money(row["consumption"])) for row in rows}


def cashier_day(user, day: datetime.date) -> dict:
    """The cashier's own desk today: receipts she issued and the cash they total (one query)."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=clock.PARIS)
    totals = CashReceipt.objects.filter(
        issued_by=user, issued_at__gte=start, issued_at__lt=start + datetime.timedelta(days=1)
    ).aggregate(receipts=Count("pk"), cash=Sum("entry__amount", default=ZERO))
    totals["cash"] = to_money(totals["cash"])
    return totals
