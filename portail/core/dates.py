"""Dates written out the French way on documents and pages."""

import datetime

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.formats import date_format


def long_date(day: datetime.date) -> str:
    """« 1er janvier 2027 », « 2 janvier 2027 »: Django's « j F Y » has no « 1er »."""
    text = date_format(day, "j F Y")
    if day.day == 1 and (translation.get_language() or "").startswith("fr"):
        return "1er" + text[1:]
    return text


def day_option(value, default: datetime.date) -> datetime.date:
    """A management command's `--date` (YYYY-MM-DD), or `default` when not given: the day a
    periodic job runs for (`core.jobs.Job.date_offset`)."""
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError("--date must be YYYY-MM-DD") from exc
