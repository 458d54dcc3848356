import datetime
from decimal import Decimal

import pytest

from portail.agenda.models import AbsenceReason, Activity, Attendance, Booking
from portail.agenda.selectors import billable_items
from portail.agenda.services import declare_absence
from tests.factories import ChildFactory

DAY = datetime.date(2026, 12, 1)


def activity(school, kind, price="2.00"):
    return Activity.objects.create(
        school=school,
        kind=kind,
        name=Activity.Kind(kind).label,
        start_time=datetime.time(7, 30),
        end_time=datetime.time(8, 30),
        price=Decimal(price),
    )


@pytest.mark.django_db
def test_booked_excused_and_unbooked_items():
    child = ChildFactory()
    morning = activity(child.school, Activity.Kind.MORNING)
    lunch = activity(child.school, Activity.Kind.LUNCH)
    evening = activity(child.school, Activity.Kind.EVENING1)
    for act in (morning, lunch):
        Booking.objects.create(child=child, activity=act, date=DAY)
    illness = AbsenceReason.objects.create(name="Maladie", charge_ratio=Decimal("0"))
    cancelled = declare_absence(child, DAY, [lunch], illness)
    assert [b.activity for b in cancelled] == [lunch]
    Attendance.objects.create(child=child, activity=evening, date=DAY, state="present")

    items = {(i.activity_id, i.kind, i.ratio) for i in billable_items(DAY)}
    assert items == {
        (morning.pk, "booked", Decimal(1)),
        (lunch.pk, "excused", Decimal(0)),
        (evening.pk, "unbooked", Decimal(1)),
    }
    assert Booking.objects.get(activity=lunch).status == Booking.Status.CANCELLED


@pytest.mark.django_db
def test_cancelled_booking_without_absence_costs_nothing():
    child = ChildFactory()
    lunch = activity(child.school, Activity.Kind.LUNCH)
    Booking.objects.create(child=child, activity=lunch, date=DAY, status="cancelled")
    assert billable_items(DAY) == []
