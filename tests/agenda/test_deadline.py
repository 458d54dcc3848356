"""Property tests of the booking deadline (« 72h, 3 jours pleins ») over dates, weekdays,
holidays and closures."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from portail.agenda import deadline
from portail.agenda.days import Calendar
from portail.agenda.models import Activity
from portail.core import clock

dates = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31))
delays = st.integers(min_value=0, max_value=10)
ONE = datetime.timedelta(days=1)


def days_between(a, b):
    """The days strictly between a and b."""
    out, d = [], a + ONE
    while d < b:
        out.append(d)
        d += ONE
    return out


def test_friday_can_be_changed_until_monday_night():
    friday = datetime.date(2026, 12, 4)
    assert deadline.last_change_day(friday, min_days=3, working_days=False) == datetime.date(
        2026, 11, 30
    )
    limit = deadline.change_deadline(friday, min_days=3, working_days=False)
    assert (limit.hour, limit.minute, limit.tzinfo) == (23, 59, clock.PARIS)


@given(day=dates, n=delays)
def test_exactly_n_full_days_between_the_last_change_day_and_the_day(day, n):
    last = deadline.last_change_day(day, min_days=n, working_days=False)
    assert len(days_between(last, day)) == n


@given(day=dates, n=delays)
def test_working_days_count_only_working_days_and_is_the_latest(day, n):
    last = deadline.last_change_day(day, min_days=n, working_days=True)
    between = days_between(last, day)
    assert sum(deadline.is_working_day(d) for d in between) == n
    # The day after `last` would leave fewer than n working days: `last` is the latest.
    assert sum(deadline.is_working_day(d) for d in days_between(last + ONE, day)) < n or n == 0
    # Counting working days never gives a later deadline than counting calendar days.
    assert last <= deadline.last_change_day(day, min_days=n, working_days=False)


@given(day=dates, today=dates, n=delays, working=st.booleans())
def test_parent_can_change_until_the_end_of_the_last_change_day(day, today, n, working):
    allowed = deadline.parent_can_change(
        day, today, max_days=10_000, min_days=n, working_days=working
    )
    limit = deadline.change_deadline(day, min_days=n, working_days=working)
    moment = datetime.datetime.combine(today, datetime.time(12), clock.PARIS)
    assert allowed == (moment <= limit)
    if allowed:
        assert day > today  # never today nor a past day
        # earlier is always allowed too
        assert deadline.parent_can_change(
            day, today - ONE, max_days=10_000, min_days=n, working_days=working
        )


@given(day=dates, today=dates, max_days=st.integers(min_value=0, max_value=400))
def test_maximal_delay(day, today, max_days):
    if (day - today).days > max_days:
        assert not deadline.parent_can_change(day, today, max_days=max_days, min_days=0)


@given(today=dates, n=delays)
def test_first_changeable_day(today, n):
    first = deadline.first_changeable_day(today, min_days=n, working_days=False)
    assert first == today + (n + 1) * ONE


def calendar_with(closures):
    calendar = Calendar.__new__(Calendar)
    calendar.closed = {}
    for day, school_id in closures:
        calendar.closed.setdefault(day, {})[school_id] = "fermé"
    return calendar


@settings(max_examples=200)
@given(
    day=dates,
    weekdays=st.sets(st.integers(0, 4), min_size=1).map(lambda s: "".join(map(str, sorted(s)))),
    closures=st.lists(st.tuples(dates, st.sampled_from([None, 1, 2])), max_size=20),
)
def test_a_day_is_open_only_on_its_weekdays_in_term_and_not_closed(day, weekdays, closures):
    activity = Activity(school_id=1, weekdays=weekdays)
    calendar = calendar_with(closures)
    is_open = calendar.is_open(activity, day)
    closed_here = any(d == day and s in (None, 1) for d, s in closures)
    expected = (
        day.weekday() < 5
        and str(day.weekday()) in weekdays
        and not closed_here
        and not (datetime.date(day.year, 7, 5) <= day <= datetime.date(day.year, 8, 31))
    )
    assert is_open == expected
