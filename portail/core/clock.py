"""The portal's one clock. Tests move it with time-machine; nothing else reads the time."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime.datetime:
    """Aware current instant."""
    return timezone.now()


def local_now() -> datetime.datetime:
    """Current instant in Europe/Paris."""
    return timezone.localtime(timezone.now(), PARIS)


def today() -> datetime.date:
    """Today's date in Europe/Paris (not UTC: 00:30 in Paris is still yesterday in UTC)."""
    return local_now().date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of a Paris day (23:59:59.999999), aware."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=PARIS)


def on_days(field: str, since=None, until=None) -> Q:
    """Rows whose datetime `field` falls on the Paris days `since`..`until` (both included,
    either may be None): the agents' « between » filters."""
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gt": end_of_day(since - datetime.timedelta(days=1))})
    if until:
        condition &= Q(**{f"{field}__lte": end_of_day(until)})
    return condition


def school_year_of(day: datetime.date) -> int:
    """The school year containing `day`, named by its first calendar year (2026 for 2026-2027)."""
    return day.year if day.month >= 8 else day.year - 1
