"""Dates written out the French way on documents and pages."""

import datetime

from django.utils import translation
from django.utils.formats import date_format


def long_date(day: datetime.date) -> str:
    """« 1er janvier 2027 », « 2 janvier 2027 »: Django's « j F Y » has no « 1er »."""
    text = date_format(day, "j F Y")
    if day.day == 1 and (translation.get_language() or "").startswith("fr"):
        return "1er" + text[1:]
    return text
