"""The booking deadline (« 72h, 3 jours pleins »): pure date arithmetic, computed on the server.

A parent books or cancels day D until the end of the last day that still leaves
AGENDA_MIN_DELAY_DAYS full days before D: for a Friday and 3 days, until Monday 23:59 (Tuesday,
Wednesday and Thursday are the three full days). With AGENDA_DELAY_WORKING_DAYS only working
days (Monday to Friday, not public holidays) count as full days. A parent may not book more
than AGENDA_MAX_DELAY_DAYS ahead. Agents are bound by neither.
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings

from portail.agenda.days import ONE_DAY, school_year_bounds
from portail.core import clock


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.France(years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def last_change_day(
    day: datetime.date, min_days: int | None = None, working_days: bool | None = None
) -> datetime.date:
    """The last day on which a parent may still book or cancel `day`."""
    if min_days is None:
        min_days = settings.AGENDA_MIN_DELAY_DAYS
    if working_days is None:
        working_days = settings.AGENDA_DELAY_WORKING_DAYS
    if not working_days:
        return day - (min_days + 1) * ONE_DAY
    cursor, counted = day, 0
    while counted < min_days:
        cursor -= ONE_DAY
        if is_working_day(cursor):
            counted += 1
    return cursor - ONE_DAY


def change_deadline(day: datetime.date, **kwargs) -> datetime.datetime:
    """The instant (Europe/Paris) after which a parent may no longer book or cancel `day`."""
    return clock.end_of_day(last_change_day(day, **kwargs))


def parent_can_change(
    day: datetime.date, today: datetime.date | None = None, max_days: int | None = None, **kwargs
) -> bool:
    """Whether a parent may still book or cancel `day` (open or not: that is another matter)."""
    today = today or clock.today()
    if max_days is None:
        max_days = settings.AGENDA_MAX_DELAY_DAYS
    return today <= last_change_day(day, **kwargs) and (day - today).days <= max_days


def first_changeable_day(today: datetime.date | None = None, **kwargs) -> datetime.date:
    """The earliest day a parent may book today (past days and those within the delay excluded)."""
    today = today or clock.today()
    day = today + ONE_DAY
    while last_change_day(day, **kwargs) < today:
        day += ONE_DAY
    return day


def served_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The days a parent may type (an absence, a booking period): from the first day of the
    current school year to the last day of the next one. Anything else is a typo or an attack
    (an absence dated 9999-12-31)."""
    year = clock.school_year_of(today or clock.today())
    return school_year_bounds(year)[0], school_year_bounds(year + 1)[1]
