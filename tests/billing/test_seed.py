import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum

from portail.billing.models import LedgerEntry, Payment, PrepaidAccount
from portail.core.money import to_money
from portail.families.models import Household


@pytest.mark.django_db
def test_seeded_accounts_match_their_ledger():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9), tick=False):
        call_command("seed_town", families=40, stdout=None)
    accounts = PrepaidAccount.objects.select_related("household")
    assert accounts.count() == Household.objects.count() == 40
    for account in accounts:
        total = account.entries.aggregate(t=Sum("amount"))["t"]
        assert account.balance == to_money(total)  # SQLite sums decimals as floats
        assert (account.balance < 0) == (account.household.negative_balance_since is not None)
    debits = LedgerEntry.objects.filter(source="consumption")
    assert debits.exists()
    # The last school day is left to tonight's run.
    assert debits.filter(service_date=datetime.date(2026, 11, 26)).count() == 0
    assert Payment.objects.filter(status="paid", entry__isnull=False).exists()
