"""The demo parent's prepaid account: a card top-up, a cash payment at the town hall and four
weeks of consumption debits of Léa and Hugo (Hugo, born 2021, gets a tax certificate)."""

import datetime
import uuid
from decimal import Decimal

from portail.agenda.models import Activity, Closure
from portail.billing import services
from portail.billing.models import LedgerEntry, Payment
from portail.core import clock
from portail.families.models import Household

# child first name -> activity kinds consumed, by weekday
PLAN = {
    "Léa": {0: ["lunch"], 1: ["lunch"], 3: ["lunch"], 4: ["lunch"]},
    "Hugo": {0: ["morning", "lunch", "evening1"], 3: ["morning", "lunch", "evening1"]},
}


def load(stdout):
    from portail.accounts.models import User

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

    payment = Payment.objects.create(
        id=uuid.uuid5(uuid.NAMESPACE_URL, "demo-topup-martin"),
        household=household,
        amount=Decimal("80.00"),
        status=Payment.Status.PAID,
        backend="simulator",
        transaction_id="demo-martin-1",
        created_by=parent,
        settled_at=clock.now(),
    )
    payment.entry = services.post_entry(
        household,
        payment.amount,
        "Paiement en ligne par carte bancaire",
        "card",
        author=parent,
        date=start,
    )
    payment.save(update_fields=["entry"])

    closed = set(
        Closure.objects.filter(date__gte=start, date__lt=today).values_list("date", flat=True)
    )
    day = start + datetime.timedelta(days=1)
    while day < today:
        if day.weekday() < 5 and day not in closed:
            for child in household.children.all():
                for kind in PLAN.get(child.first_name, {}).get(day.weekday(), []):
                    activity = Activity.objects.filter(school=child.school, kind=kind).first()
                    if activity is None:
                        continue
                    price = activity.price_for(household)
                    services.post_entry(
                        household,
                        -price,
                        services.consumption_label(activity, child, day, "booked", 1),
                        "consumption",
                        date=day,
                        child=child,
                        activity=activity,
                        service_date=day,
                    )
        day += datetime.timedelta(days=1)
    if cashier:
        # Enough for the account to stay in credit: the demo parent can book (FAQ §5).
        services.record_cash_payment(household, Decimal("100.00"), cashier)
    account.refresh_from_db()
    stdout.write(f"Billing: history of {household} written, balance {account.balance}.")
