import datetime
from decimal import Decimal

from portail.agenda.days import plan_days
from portail.agenda.models import AbsenceReason, Activity, ClosedDay
from portail.agenda.selectors import closures_calendar
from portail.agenda.services import bulk_change, sync_holiday_closures
from portail.core import clock
from portail.core.models import TownSettings
from portail.families.models import Child, School

ACTIVITIES = [
    # kind, name, start, end, price, counts for the tax certificate
    (Activity.Kind.MORNING, "Accueil matin", "07:30", "08:20", "1.40", True),
    (Activity.Kind.LUNCH, "Restauration scolaire", "11:30", "13:20", "4.10", False),
    (Activity.Kind.EVENING1, "Accueil Soir 1", "16:30", "17:30", "1.60", True),
    (Activity.Kind.EVENING2, "Accueil Soir 2", "17:30", "18:30", "1.60", True),
]

# The short list an agent excuses an absence with on the sheet, and parents declare with.
REASONS = [
    ("Maladie", "0"),
    ("Rendez-vous médical", "0"),
    ("Sortie ou voyage scolaire", "0"),
    ("Convenance personnelle", "1"),
    ("Autre", "1"),
]


def ensure_activities(schools) -> None:
    """The four activities of each school, at the town's demo prices (demo and synthetic town)."""
    for school in schools:
        for position, (kind, name, start, end, price, tax) in enumerate(ACTIVITIES):
            Activity.objects.update_or_create(
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
                    "capacity": 60 if kind == Activity.Kind.LUNCH else None,
                },
            )


def load(stdout):
    ensure_activities(School.objects.all())
    for position, (name, ratio) in enumerate(REASONS):
        AbsenceReason.objects.update_or_create(
            name=name, defaults={"charge_ratio": Decimal(ratio), "position": position}
        )
    year = clock.school_year_of(clock.today())
    sync_holiday_closures(year, TownSettings.current().school_zone)
    if clock.today().month >= 6:
        sync_holiday_closures(year + 1, TownSettings.current().school_zone)
    _demo_bookings(stdout)


def _demo_bookings(stdout):
    """Léa and Hugo (Famille Martin): past days (for billing to debit) and the coming weeks;
    a training day at their school. Idempotent: what is already booked is skipped."""
    children = list(
        Child.objects.filter(household__name="Famille Martin").select_related("school", "household")
    )
    if not children:
        return
    today = clock.today()
    school = children[0].school
    if (
        school
        and not ClosedDay.objects.filter(
            school=school, source=ClosedDay.Source.AGENT, reason="Journée pédagogique"
        ).exists()
    ):
        day = today + datetime.timedelta(days=14)
        calendar = closures_calendar(day, day + datetime.timedelta(days=60))
        while day.weekday() >= 3 or calendar.closure_reason(school.pk, day):
            day += datetime.timedelta(days=1)  # a Monday to Wednesday not already closed
        ClosedDay.objects.create(
            date=day, school=school, reason="Journée pédagogique", source=ClosedDay.Source.AGENT
        )
    past = plan_days(
        today - datetime.timedelta(days=14), today - datetime.timedelta(days=1), "0134"
    )
    coming = plan_days(today, today + datetime.timedelta(days=35), "0134")
    plans = {
        "Léa": [Activity.Kind.LUNCH, Activity.Kind.EVENING1],
        "Hugo": [Activity.Kind.MORNING, Activity.Kind.LUNCH],
    }
    created = 0
    for child in children:
        kinds = plans.get(child.first_name, [Activity.Kind.LUNCH])
        outcome = bulk_change([child], kinds, past + coming, "book", None, as_agent=True)
        created += len(outcome.booked)
    stdout.write(f"agenda: {created} demo booking(s) created.")
