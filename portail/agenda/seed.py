"""Synthetic bookings for `seed_town`: a school year of weekly habits per child."""

import datetime
from decimal import Decimal

from portail.agenda.days import school_year_bounds
from portail.agenda.demo import REASONS, ensure_activities
from portail.agenda.models import AbsenceReason, Activity, Booking, ClosedDay
from portail.agenda.services import sync_holiday_closures
from portail.core.models import TownSettings
from portail.core.seeding import copy_rows
from portail.families.models import School

# Share of children using each activity.
USE = {
    Activity.Kind.MORNING: 0.25,
    Activity.Kind.LUNCH: 0.75,
    Activity.Kind.EVENING1: 0.40,
    Activity.Kind.EVENING2: 0.20,
}


def seed(town, families: int):
    rng = town.rng
    ensure_activities(School.objects.exclude(activities__isnull=False))
    for position, (name, ratio) in enumerate(REASONS):
        AbsenceReason.objects.get_or_create(
            name=name, defaults={"charge_ratio": Decimal(ratio), "position": position}
        )
    sync_holiday_closures(town.year, TownSettings.current().school_zone)
    closed = set(ClosedDay.objects.filter(school=None).values_list("date", flat=True))
    activities = {}
    for act in Activity.objects.all():
        activities.setdefault(act.school_id, []).append(act)
    days_by_weekdays = {}

    def rows():
        for child_id, _household, school_id, _birth in town.children:
            for act in activities.get(school_id, []):
                if rng.random() >= USE[act.kind]:
                    continue
                # A weekly habit: some of the activity's weekdays.
                habit = "".join(d for d in act.weekdays if rng.random() < 0.8) or act.weekdays[:1]
                days = days_by_weekdays.get(habit)
                if days is None:
                    days = days_by_weekdays[habit] = open_days(town.year, habit, closed)
                town.habits.append((child_id, _household, act.pk, days))
                for day in days:
                    yield (child_id, act.pk, day, Booking.Status.BOOKED, town.now)

    count = copy_rows(Booking, ["child_id", "activity_id", "date", "status", "created_at"], rows())
    town.step(f"{count} bookings")


def open_days(year: int, weekdays: str, closed: set[datetime.date]) -> list[datetime.date]:
    start, end = school_year_bounds(year)
    days = []
    day = start
    while day <= end:
        if str(day.weekday()) in weekdays and day not in closed:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
