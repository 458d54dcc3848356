"""Path converters that refuse what the database or Python cannot hold, so a hostile URL is a 404
rather than a server error further down."""

import datetime

# The years a family portal can mean; anything else in a URL is an attacker's or a typo.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class DateConverter:
    """`<date:day>`: an ISO date (YYYY-MM-DD) between 1900 and 2100, given to the view as a date."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None  # Django turns it into "no match": a 404
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(value)
        return day

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


# The largest id the database stores (a 64-bit signed integer).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id read from user input (a query string, a button's value), or None when it cannot be
    one: not digits, zero, or beyond the database's range (a 5,000-digit string included)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
