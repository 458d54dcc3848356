"""Calendar arithmetic shared by the agenda's views, forms, selectors and services: school
years, weekdays, open days. Pure: no database access (the closures come in as data)."""

import datetime
from typing import TYPE_CHECKING

from portail.core import clock

if TYPE_CHECKING:  # for the annotations only: this module reads no table
    from portail.agenda.models import Activity

ONE_DAY = datetime.timedelta(days=1)


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year starting in September of `year` (2026 -> 2026-27)."""
    return datetime.date(year, 9, 1), datetime.date(year + 1, 7, 4)


def in_school_year(day: datetime.date) -> bool:
    start, end = school_year_bounds(clock.school_year_of(day))
    return start <= day <= end


def plan_days(
    start: datetime.date, end: datetime.date, weekdays
) -> list[datetime.date]:  # fmt: skip
    """The days of a period falling on the chosen weekdays (0 = Monday)."""
    weekdays = {int(w) for w in weekdays}
    days, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += ONE_DAY
    return days


class Calendar:
    """Closures and opening rules of a date range (`selectors.closures_calendar(start, end)`
    loads the closures in one query): is a day open for an activity?"""

    def __init__(self, closed: dict[datetime.date, dict[int | None, str]]):
        # {day: {school id or None (every school): reason}}, from `selectors.closures_calendar()`.
        self.closed = closed

    def closure_reason(self, school_id: int | None, day: datetime.date) -> str | None:
        reasons = self.closed.get(day)
        if not reasons:
            return None
        return reasons.get(None) or reasons.get(school_id)

    def is_open(self, activity: "Activity", day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and activity.opens_on_weekday(day.weekday())
            and in_school_year(day)
            and self.closure_reason(activity.school_id, day) is None
        )
