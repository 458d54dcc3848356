"""Writes of the agenda: closures now; booking, cancelling and attendance come with the agenda."""

import datetime

import holidays
from django.db import transaction

from portail.agenda.models import AbsenceReason, Activity, Attendance, Booking, Closure
from portail.core import clock
from portail.families.models import Child


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year starting in September of `year` (2026 -> 2026-27)."""
    return datetime.date(year, 9, 1), datetime.date(year + 1, 7, 4)


@transaction.atomic
def sync_holiday_closures(year: int, zone: str) -> int:
    """Store French public holidays and the zone's school holidays of a school year as closures.

    Idempotent; closures entered by agents are kept and never overwritten."""
    start, end = school_year_bounds(year)
    years = [start.year, end.year]
    found: dict[datetime.date, tuple[str, str]] = {}
    for day, name in holidays.France(
        years=years, language="fr", subdiv=zone, categories=("school",)
    ).items():
        found[day] = (name, Closure.Source.SCHOOL_HOLIDAY)
    for day, name in holidays.France(years=years, language="fr").items():
        found[day] = (name, Closure.Source.PUBLIC_HOLIDAY)
    created = 0
    for day, (name, source) in sorted(found.items()):
        if not (start <= day <= end) or day.weekday() >= 5:
            continue
        _closure, was_created = Closure.objects.get_or_create(
            date=day, school=None, defaults={"reason": name, "source": source}
        )
        created += was_created
    return created


@transaction.atomic
def declare_absence(
    child: Child,
    day: datetime.date,
    activities: list[Activity],
    reason: AbsenceReason,
    actor=None,
) -> list[Booking]:
    """Record a declared absence (closing an absence request): the bookings of that day and
    those activities are cancelled and an excused attendance keeps the reason, which says how
    much of each slot is charged. Not bound by the booking deadline. Returns the bookings
    cancelled."""
    now = clock.now()
    cancelled = []
    bookings = Booking.objects.select_for_update().filter(
        child=child, date=day, activity__in=activities, status=Booking.Status.BOOKED
    )
    for booking in bookings:
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = actor
        booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        cancelled.append(booking)
    for activity in activities:
        record = Attendance.objects.filter(child=child, activity=activity, date=day).first()
        if record is not None and record.billed:
            continue  # attendance is locked once billed
        Attendance.objects.update_or_create(
            child=child,
            activity=activity,
            date=day,
            defaults={
                "state": Attendance.State.EXCUSED,
                "absence_reason": reason,
                "recorded_at": now,
                "recorded_by": actor,
            },
        )
    return cancelled
