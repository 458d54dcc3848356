import datetime
from decimal import Decimal

import pytest

from portail.agenda.models import AbsenceReason, Activity

KINDS = [
    (Activity.Kind.MORNING, "Accueil matin"),
    (Activity.Kind.LUNCH, "Restauration scolaire"),
    (Activity.Kind.EVENING1, "Accueil Soir 1"),
    (Activity.Kind.EVENING2, "Accueil Soir 2"),
]


def make_activities(school):
    return [
        Activity.objects.get_or_create(
            school=school,
            kind=kind,
            defaults={
                "name": name,
                "start_time": datetime.time(7 + i * 3, 30),
                "end_time": datetime.time(8 + i * 3, 20),
                "price": Decimal("1.50"),
                "position": i,
            },
        )[0]
        for i, (kind, name) in enumerate(KINDS)
    ]


@pytest.fixture
def activities(parent):
    return make_activities(parent[2].school)


@pytest.fixture
def illness(db):
    return AbsenceReason.objects.get_or_create(name="Maladie", defaults={"charge_ratio": 0})[0]
