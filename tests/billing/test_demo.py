import datetime

import pytest
import time_machine
from django.core.management import call_command

from portail.billing import selectors, services
from portail.billing.models import LedgerEntry
from portail.families.models import Household
from portail.families.services import booking_block_reason


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 26, 12), tick=False)
def test_demo_parent_has_a_history_and_a_tax_certificate_for_hugo():
    call_command("demo", stdout=None)
    call_command("demo", stdout=None)  # idempotent
    martin = Household.objects.get(name="Famille Martin")
    sources = set(
        LedgerEntry.objects.filter(account__household=martin).values_list("source", flat=True)
    )
    assert sources == {"card", "cash", "consumption"}
    assert LedgerEntry.objects.filter(account__household=martin, source="cash").count() == 1
    assert selectors.balance_of(martin) == selectors.sum_of_entries(martin)
    # the demo parent can book: the account is in credit (FAQ §5)
    martin.refresh_from_db()
    assert martin.has_credit and booking_block_reason(martin) is None
    hugo, lea = martin.children.get(first_name="Hugo"), martin.children.get(first_name="Léa")
    assert selectors.tax_certificate_eligible(hugo, 2026)
    assert not selectors.tax_certificate_eligible(lea, 2026)
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12), tick=False):
        assert services.issue_tax_certificate(martin, hugo, 2026).amount > 0
