import datetime
from decimal import Decimal

from portail.agenda.models import AbsenceReason, Activity
from portail.agenda.services import sync_holiday_closures
from portail.core import clock
from portail.core.models import TownSettings
from portail.families.models import School

ACTIVITIES = [
    # kind, name, start, end, price, counts for the tax certificate
    (Activity.Kind.MORNING, "Accueil matin", "07:30", "08:20", "1.40", True),
    (Activity.Kind.LUNCH, "Restauration scolaire", "11:30", "13:20", "4.10", False),
    (Activity.Kind.EVENING1, "Accueil Soir 1", "16:30", "17:30", "1.60", True),
    (Activity.Kind.EVENING2, "Accueil Soir 2", "17:30", "18:30", "1.60", True),
]

REASONS = [("Maladie", "0"), ("Sortie ou voyage scolaire", "0"), ("Convenance personnelle", "1")]


def load(stdout):
    for school in School.objects.all():
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
    for position, (name, ratio) in enumerate(REASONS):
        AbsenceReason.objects.update_or_create(
            name=name, defaults={"charge_ratio": Decimal(ratio), "position": position}
        )
    year = clock.school_year_of(clock.today())
    sync_holiday_closures(year, TownSettings.current().school_zone)
