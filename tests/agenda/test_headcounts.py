"""The headcount read (partner API now, back-office later): per day × school × activity."""

import datetime

from portail.agenda.selectors import headcounts
from tests.agenda.factories import book, make_activities
from tests.factories import ChildFactory, SchoolFactory

MONDAY = datetime.date(2026, 11, 16)


def test_headcounts_count_booked_children_in_the_period_of_one_school(db):
    north, south = SchoolFactory(name="École Nord"), SchoolFactory(name="École Sud")
    north_acts, south_acts = make_activities(north, capacity=25), make_activities(south)
    first, second = ChildFactory(school=north), ChildFactory(school=north)
    book(first, north_acts["lunch"], MONDAY)
    book(second, north_acts["lunch"], MONDAY)
    book(second, north_acts["evening1"], MONDAY, status="cancelled")
    book(first, north_acts["lunch"], MONDAY + datetime.timedelta(days=7))  # after the period
    book(ChildFactory(school=south), south_acts["lunch"], MONDAY)

    rows = list(headcounts(MONDAY, MONDAY + datetime.timedelta(days=6), school_id=north.pk))
    assert [
        (r["date"], r["activity__name"], r["booked"], r["activity__capacity"]) for r in rows
    ] == [(MONDAY, "Restauration scolaire", 2, 25)]
    everywhere = headcounts(MONDAY, MONDAY)
    assert [(r["activity__school__name"], r["booked"]) for r in everywhere] == [
        ("École Nord", 2),
        ("École Sud", 1),
    ]
