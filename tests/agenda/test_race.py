"""Two parents racing for the last place: exactly one gets it (row lock on PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection

from portail.agenda import services
from portail.agenda.models import Activity, Booking
from tests.agenda.factories import make_activities
from tests.conftest import race
from tests.factories import make_parent

MONDAY = datetime.date(2026, 11, 30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_place_goes_to_exactly_one_parent(frozen):
    first_user, _h1, first = make_parent(credit_amount="50")
    second_user, _h2, second = make_parent(credit_amount="50", school=first.school)
    lunch = make_activities(first.school)[Activity.Kind.LUNCH]
    lunch.capacity = 1
    lunch.save()

    outcomes = race(
        lambda: services.save_day(first, MONDAY, [Activity.Kind.LUNCH], first_user),
        lambda: services.save_day(second, MONDAY, [Activity.Kind.LUNCH], second_user),
    )

    assert Booking.objects.filter(activity=lunch, date=MONDAY, status="booked").count() == 1
    booked = [o for o in outcomes if o.booked]
    full = [o for o in outcomes if [c.reason for c in o.skipped] == ["full"]]
    assert len(booked) == 1 and len(full) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_booking_waits_for_a_debit_in_progress_and_sees_no_credit(frozen):
    """The credit check runs under a lock on the household: a booking made while the nightly
    debit is emptying the account waits for it, then is refused."""
    import time

    from django.db import transaction

    from portail.billing.services import post_entry

    user, household, child = make_parent(credit_amount="4.10")
    make_activities(child.school)
    debited = threading.Event()
    outcome = {}

    def debit():
        try:
            with transaction.atomic():
                post_entry(household, "-4.10", "Restauration scolaire", "consumption")
                debited.set()
                time.sleep(0.5)  # the booking arrives before this commits
        finally:
            connection.close()

    def book():
        try:
            debited.wait(5)
            outcome["booking"] = services.save_day(child, MONDAY, [Activity.Kind.LUNCH], user)
        finally:
            connection.close()

    threads = [threading.Thread(target=debit), threading.Thread(target=book)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [c.reason for c in outcome["booking"].skipped] == ["blocked"]
    assert not Booking.objects.exists()
