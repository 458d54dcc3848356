"""Synthetic bookings for `seed_town`: a school year of weekly habits per child."""

import datetime
from decimal import Decimal

from portail.agenda.models import AbsenceReason, Activity, Booking, Closure
from portail.agenda.services import sync_holiday_closures
from portail.backoffice.seeding import copy_rows, open_days
from portail.core.models import TownSettings
from portail.families.models import School

ACTIVITIES = [
    (Activity.Kind.MORNING, "Accueil matin", "07:30", "08:20", "1.40", True, 0.25),
    (Activity.Kind.LUNCH, "Restauration scolaire", "11:30", "13:20", "4.10", False, 0.75),
    (Activity.Kind.EVENING1, "Accueil Soir 1", "16:30", "17:30", "1.60", True, 0.40),
    (Activity.Kind.EVENING2, "Accueil Soir 2", "17:30", "18:30", "1.60", True, 0.20),
]


def seed(town, families: int):
    rng = town.rng
    for school in School.objects.all():
        for position, (kind, name, start, end, price, tax, _p) in enumerate(ACTIVITIES):
            Activity.objects.get_or_create(
                school=school,
                kind=kind,
                defaults={
                    "name": name,
                    "start_time": datetime.time.fromisoformat(start),
                    "end_time": datetime.time.fromisoformat(end),
                    "price": Decimal(price),
                    "unbooked_surcharge": Decimal("1.00"),
                    "counts_for_tax_certificate": tax,
                    "position": position,
                },
            )
    AbsenceReason.objects.get_or_create(name="Maladie", defaults={"charge_ratio": Decimal("0")})
    sync_holiday_closures(town.year, TownSettings.current().school_zone)
    closed = set(Closure.objects.filter(school=None).values_list("date", flat=True))
    activities = {}
    for act in Activity.objects.all():
        activities.setdefault(act.school_id, []).append(act)
    days_by_weekdays = {}

    def rows():
        for child_id, _household, school_id, _birth in town.children:
            for act in activities.get(school_id, []):
                share = next(p for k, *_r, p in ACTIVITIES if k == act.kind)
                if rng.random() >= share:
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
