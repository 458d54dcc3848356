"""The dashboard's figures: the work waiting (each counter links to its filtered list), the
cashier's own desk, and the two charts. Every figure is one aggregate query of its app's
selectors, so the page stays cheap on a town of 12,000 families (docs/PERFORMANCE.md)."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portail.agenda.models import Activity
from portail.agenda.selectors import attendance_per_month
from portail.billing.selectors import (
    cashier_day,
    credits_and_consumption_per_month,
    negative_summary,
)
from portail.core import charts, clock
from portail.core.money import ZERO, format_eur
from portail.core.selectors import agent_inbox
from portail.documents.selectors import waiting_counts as documents_waiting
from portail.pages.selectors import unhandled_count
from portail.procedures.models import Status
from portail.procedures.selectors import waiting_counts as requests_waiting

MONTHS_SHOWN = 12


@dataclass
class Counter:
    label: str
    count: int
    url: str
    new: int | None = None  # arrived since the agent last looked (a « nouveau » badge)
    text: str = ""  # the figure as shown, when it is not a plain count (money)


def _url(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def agent_counters(user, new_since=None) -> list[Counter]:
    """The agent's counters; « new » counts what arrived since the agent last looked at each
    queue, or since `new_since` (the daily digest)."""
    inbox = agent_inbox(user)
    requests = requests_waiting(new_since or inbox.requests_seen_at)
    documents = documents_waiting(new_since or inbox.documents_seen_at)
    negative = negative_summary()
    return [
        Counter(
            _("Requests pending"),
            requests["pending"],
            _url("procedures_agent:home", status=Status.PENDING),
            new=requests["new"],
        ),
        Counter(
            _("Requests being processed"),
            requests["processing"],
            _url("procedures_agent:home", status=Status.PROCESSING),
        ),
        Counter(
            _("Supporting documents to check"),
            documents["pending"],
            _url("documents_agent:home"),
            new=documents["new"],
        ),
        Counter(_("Contact messages to handle"), unhandled_count(), _url("pages_agent:home")),
        Counter(_("Accounts below zero"), negative["total"], _url("billing_agent:negative")),
        Counter(
            _("Accounts with bookings blocked"),
            negative["blocked"],
            _url("billing_agent:negative", blocked="yes"),
        ),
    ]


def cashier_counters(user) -> list[Counter]:
    today = clock.today()
    desk = cashier_day(user, today)
    negative = negative_summary(today)
    return [
        Counter(
            _("My cash receipts today"),
            desk["receipts"],
            _url("billing_agent:journal", date=today.isoformat()),
        ),
        Counter(
            _("Cash I received today"),
            desk["receipts"],
            _url("billing_agent:journal", date=today.isoformat()),
            text=format_eur(desk["cash"]),
        ),
        Counter(_("Accounts below zero"), negative["total"], _url("billing_agent:negative")),
        Counter(
            _("Accounts with bookings blocked"),
            negative["blocked"],
            _url("billing_agent:negative", blocked="yes"),
        ),
    ]


# --- charts ---


@dataclass
class Chart:
    chart_id: str
    title: str
    svg: str
    headers: list[str]  # the table beside the chart: month, then one column per series
    rows: list[list[str]]


def months_until(today: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    """The first days of the last `count` months, the current one last."""
    year, month = today.year, today.month
    firsts = []
    for _i in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def _month_short(day) -> str:
    return date_format(day, "M")


def _month_long(day) -> str:
    return date_format(day, "F Y")


def _count_text(value) -> str:
    return number_format(round(value), force_grouping=True)


def _eur_text(value) -> str:
    return format_eur(value)


def _euros_axis(value) -> str:
    """Whole euros on the axis (« 12 000 € »); the bars' titles and the table keep the cents."""
    return _("%(amount)s €") % {"amount": number_format(round(value), force_grouping=True)}


def _chart(chart_id, title, description, months, series, value_format, tick_format=None):
    svg = charts.bar_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        labels=[_month_short(m) for m in months],
        series=series,
        tick_format=tick_format or value_format,
        value_format=value_format,
    )
    rows = [
        [_month_long(month)] + [value_format(s.values[i]) for s in series]
        for i, month in enumerate(months)
    ]
    return Chart(
        chart_id, title, svg, [pgettext("table header", "Month")] + [s.name for s in series], rows
    )


# The charts aggregate a year of attendance and of the ledger (millions of rows on 12,000
# families: about a second). The months before this one hardly change: kept a day; this
# month's figures, 10 minutes (docs/PERFORMANCE.md « Dashboard »).
PAST_MONTHS_SECONDS, THIS_MONTH_SECONDS = 24 * 3600, 600


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _per_month(name: str, months, compute) -> dict:
    """`compute(start, end)` -> {key whose first item, or itself, is a month: figure}, read
    through the cache: past months in one query when any is missing, this month in another."""
    past, current = months[:-1], months[-1]
    day_key = f"dashboard:{name}:{past[0]}:{past[-1]}:{clock.today()}"
    figures = cache.get(day_key)
    if figures is None:
        figures = compute(past[0], _month_end(past[-1]))
        cache.set(day_key, figures, PAST_MONTHS_SECONDS)
    month_key = f"dashboard:{name}:{current}"
    recent = cache.get(month_key)
    if recent is None:
        recent = compute(current, _month_end(current))
        cache.set(month_key, recent, THIS_MONTH_SECONDS)
    return {**figures, **recent}


def attendance_chart(today: datetime.date) -> Chart:
    months = months_until(today)
    counts = _per_month("attendance", months, attendance_per_month)
    series = [
        charts.Series(str(label), tuple(counts.get((m, kind), 0) for m in months))
        for kind, label in Activity.Kind.choices
    ]
    return _chart(
        "attendance",
        _("Children present per month and activity"),
        _(
            "Bars per month from %(first)s to %(last)s, one per activity: the number of "
            "children recorded present. The table below gives the same figures."
        )
        % {"first": _month_long(months[0]), "last": _month_long(months[-1])},
        months,
        series,
        _count_text,
    )


def money_chart(today: datetime.date) -> Chart:
    months = months_until(today)
    figures = _per_month("money", months, credits_and_consumption_per_month)
    zero = (ZERO, ZERO)
    series = [
        charts.Series(_("Credits (card and cash)"), tuple(figures.get(m, zero)[0] for m in months)),
        charts.Series(_("Consumption"), tuple(figures.get(m, zero)[1] for m in months)),
    ]
    return _chart(
        "money",
        _("Credits and consumption per month"),
        _(
            "Two bars per month from %(first)s to %(last)s: the money paid into the prepaid "
            "accounts (card and cash) and the services consumed. The table below gives the "
            "same figures."
        )
        % {"first": _month_long(months[0]), "last": _month_long(months[-1])},
        months,
        series,
        _eur_text,
        _euros_axis,
    )
