"""Writes of the agenda: closures now; booking, cancelling and attendance come with the agenda."""

import datetime

import holidays
from django.db import transaction

from portail.agenda.models import Closure


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
