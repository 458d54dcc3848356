"""Synthetic prepaid accounts for `seed_town`: a school year so far of top-ups and debits.

Each household tops up by card (with its paid Payment) or, for some, in cash at the town hall
(with a numbered receipt), and is debited for every booking of the past school days, as the
nightly run would have done, except the last school day: that one is left for tonight's run
(`bench/measures.py::consumption_run`). The stored balance is moved by the sum of the entries
through `services.move_balances`, and a household whose balance is negative has
`negative_balance_since` set to the day it crossed, one above zero `has_credit`.
"""

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.agenda.models import Activity, Booking
from portail.agenda.selectors import BillableItem
from portail.billing.models import (
    BillingCounter,
    CashReceipt,
    LedgerEntry,
    Payment,
    PrepaidAccount,
)
from portail.billing.services import _consumption_amount, _consumption_labeler, move_balances
from portail.core.money import ZERO
from portail.core.seeding import analyze, copy_rows, max_id, reset_sequences
from portail.families.models import Child, Household

ENTRY_FIELDS = [
    "id",
    "account_id",
    "date",
    "created_at",
    "amount",
    "label",
    "source",
    "reason",
    "child_id",
    "activity_id",
    "service_date",
]


BOOKED = BillableItem(0, 0, 0, None, "booked", Decimal(1))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(town, families: int):
    rng = town.rng
    households = town.household_ids
    if not households:
        return
    today = town.today
    past = sorted({d for *_x, days in town.habits for d in days if d < today})
    tonight = past[-1] if past else None  # left unbilled for the nightly run
    billed_days = [d for d in past if d != tonight]

    activities = {a.pk: a for a in Activity.objects.prefetch_related("price_brackets")}
    quotients = dict(
        Household.objects.filter(pk__in=households).values_list("pk", "family_quotient")
    )
    first_names = dict(
        Child.objects.filter(pk__in=[c[0] for c in town.children]).values_list("pk", "first_name")
    )
    users = dict(zip(town.household_ids, town.user_ids, strict=True))
    names = dict(Household.objects.filter(pk__in=households).values_list("pk", "name"))
    with translation.override(settings.LANGUAGE_CODE):
        labelers = {d: _consumption_labeler(d) for d in billed_days}
        card_label = _("Online card payment")
        cash_label = _("Cash payment at the town hall")

    # Debits per household and day, from the agenda's habits.
    debits = defaultdict(list)  # household -> [(day, child, activity, amount)]
    prices = {}
    for child_id, household_id, activity_id, days in town.habits:
        # The household's price, as the consumption run computes it (family-quotient bracket).
        price = _consumption_amount(
            activities[activity_id], quotients[household_id], BOOKED, prices
        )
        for day in days:
            if day >= today or day == tonight:
                break
            debits[household_id].append((day, child_id, activity_id, price))

    entry_id, account_id = max_id(LedgerEntry), max_id(PrepaidAccount)
    numbers = dict(
        BillingCounter.objects.filter(series=CashReceipt.SERIES).values_list("year", "last")
    )
    start = billed_days[0] if billed_days else today
    topup_days = sorted(
        {start} | {d.replace(day=1) for d in billed_days if d.day > 1 and d > start}
    )
    topup_days = [d for d in topup_days if d < today] or [today]

    accounts, payments, receipts, negative, balances = [], [], [], {}, {}

    def rows():
        nonlocal entry_id, account_id
        for household_id in households:
            account_id += 1
            own = debits.get(household_id, [])
            spent = sum((amount for *_x, amount in own), Decimal(0))
            monthly = spent / len(topup_days)
            by_cash = rng.random() < 0.1
            # Most families keep ahead of their spending; about one in ten falls behind.
            factor = Decimal(rng.choice([80, 105, 110, 120, 130, 150, 150, 200, 200, 250])) / 100
            credits = {}
            for day in topup_days:
                amount = Decimal(max(10, int(monthly * factor / 10 + 1) * 10))
                entry_id += 1
                credits[day] = amount
                created = _at(day, 8)
                if by_cash:
                    numbers[day.year] = number = numbers.get(day.year, 0) + 1
                    yield (
                        (entry_id, account_id, day, created, amount, cash_label, "cash", "")
                        + (None, None, None)
                    )
                    receipts.append(
                        (entry_id, household_id, day.year, number, names[household_id])
                        + ("", amount, created)
                    )
                else:
                    yield (
                        (entry_id, account_id, day, created, amount, card_label, "card", "")
                        + (None, None, None)
                    )
                    payments.append(
                        (
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            household_id,
                            amount,
                            "paid",
                            "dummy",
                            f"seed-{entry_id}",
                            created,
                            users.get(household_id),
                            f"seed-{entry_id}@seed.test",
                            created,
                            "ok",
                            entry_id,
                        )
                    )
            balance = Decimal(0)
            crossed = None
            by_day = defaultdict(Decimal)
            for day, child_id, activity_id, amount in own:
                entry_id += 1
                by_day[day] += amount
                label = labelers[day](activities[activity_id].name, first_names[child_id], "", 1)
                yield (
                    entry_id,
                    account_id,
                    day,
                    _at(day, 21),
                    -amount,
                    label,
                    "consumption",
                    "",
                    child_id,
                    activity_id,
                    day,
                )
            # The running balance, day by day, says when it last turned negative.
            for day in sorted(set(credits) | set(by_day)):
                before = balance
                balance += credits.get(day, 0) - by_day.get(day, 0)
                if balance < 0 <= before:
                    crossed = day
                elif balance >= 0:
                    crossed = None
            accounts.append((account_id, household_id, ZERO, _at(start, 8)))
            balances[account_id] = (household_id, balance)
            if crossed:
                negative[household_id] = crossed

    # No author: the seeded entries are the bank's, the cash desk's and the nightly run's.
    count = copy_rows(LedgerEntry, [*ENTRY_FIELDS, "author_name"], (r + ("",) for r in rows()))
    copy_rows(PrepaidAccount, ["id", "household_id", "balance", "created_at"], accounts)
    copy_rows(
        Payment,
        [
            "id",
            "household_id",
            "amount",
            "status",
            "backend",
            "transaction_id",
            "created_at",
            "created_by_id",
            "email",
            "settled_at",
            "bank_status",
            "entry_id",
        ],
        payments,
    )
    copy_rows(
        CashReceipt,
        [
            "entry_id",
            "household_id",
            "year",
            "number",
            "payer_name",
            "payer_address",
            "amount",
            "issued_at",
        ],
        receipts,
    )
    # Receipts are numbered per year of issue: the counters continue after the seeded ones.
    for year, last in numbers.items():
        BillingCounter.objects.update_or_create(
            series=CashReceipt.SERIES, year=year, defaults={"last": last}
        )
    # The accounts are created empty and moved by the sum of their entries, through the one
    # function that moves a balance (and dates a negative one from the day it crossed).
    move_balances(
        {
            PrepaidAccount(pk=pk, household_id=household_id, balance=ZERO): balance
            for pk, (household_id, balance) in balances.items()
        },
        crossed_on=negative,
    )
    reset_sequences(LedgerEntry, PrepaidAccount, CashReceipt)

    analyze(User, Household, Child, Booking, LedgerEntry, PrepaidAccount, Payment, CashReceipt)
    town.step(
        f"{count} ledger entries ({len(payments)} card payments, {len(receipts)} cash receipts), "
        f"{len(negative)} negative accounts"
    )
