"""Agenda factories: a school's four activities, bookings."""

import datetime
from decimal import Decimal

from portail.agenda.models import Activity, Booking

ACTIVITIES = [
    (Activity.Kind.MORNING, "Accueil matin", "07:30", "08:20", "1.40"),
    (Activity.Kind.LUNCH, "Restauration scolaire", "11:30", "13:20", "4.10"),
    (Activity.Kind.EVENING1, "Accueil Soir 1", "16:30", "17:30", "1.60"),
    (Activity.Kind.EVENING2, "Accueil Soir 2", "17:30", "18:30", "1.60"),
]


def make_activities(school, capacity=None) -> dict[str, Activity]:
    """The four activities of a school, open Monday, Tuesday, Thursday, Friday."""
    out = {}
    for position, (kind, name, start, end, price) in enumerate(ACTIVITIES):
        out[kind] = Activity.objects.create(
            school=school,
            kind=kind,
            name=name,
            start_time=datetime.time.fromisoformat(start),
            end_time=datetime.time.fromisoformat(end),
            price=Decimal(price),
            unbooked_surcharge=Decimal("1.00"),
            position=position,
            capacity=capacity,
        )
    return out


def book(child, activity, day, status=Booking.Status.BOOKED):
    return Booking.objects.create(child=child, activity=activity, date=day, status=status)
