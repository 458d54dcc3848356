"""The demo parent's prepaid account: a card top-up four weeks ago, the consumption of Léa and
Hugo billed by the nightly run from the agenda's demo bookings, and a cash payment at the town
hall today (Hugo, born 2021, gets a tax certificate)."""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from portail.accounts.models import User
from portail.billing import services
from portail.billing.models import LedgerEntry, Payment
from portail.core import clock
from portail.families.models import Household


def load(stdout):
    household = Household.objects.filter(name="Famille Martin").first()
    if household is None:
        return
    account = services.account_for(household)
    if LedgerEntry.objects.filter(account=account).exists():
        return  # idempotent: the history is written once
    parent = User.objects.filter(username="demo.parent").first()
    cashier = User.objects.filter(username="demo.regie").first()
    today = clock.today()
    start = today - datetime.timedelta(days=28)
    paid_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(18, 12)))

    # The top-up, its payment and its entry all dated the day the parent paid.
    payment = Payment.objects.create(
        id=uuid.uuid5(uuid.NAMESPACE_URL, "demo-topup-martin"),
        household=household,
        amount=Decimal("100.00"),
        status=Payment.Status.PAID,
        backend="simulator",
        transaction_id="demo-martin-1",
        created_by=parent,
        created_at=paid_at,
        settled_at=paid_at,
    )
    payment.entry = services.post_entry(
        household,
        payment.amount,
        "Paiement en ligne par carte bancaire",
        "card",
        author=parent,
        date=start,
        created_at=paid_at,
    )
    payment.save(update_fields=["entry"])

    # The nightly run of each past day bills what the agenda's demo booked: every debit has
    # its booking, at the rules' amount.
    debits = 0
    day = start + datetime.timedelta(days=1)
    while day < today:
        debits += services.bill_consumption(day)
        day += datetime.timedelta(days=1)
    if cashier:
        # Enough for the account to stay in credit: the demo parent can book (FAQ §5).
        services.record_cash_payment(household, Decimal("100.00"), cashier)
    account.refresh_from_db()
    stdout.write(
        f"Billing: history of {household} written ({debits} debits), balance {account.balance}."
    )
