import datetime
from decimal import Decimal

from portail.agenda.models import Activity

TIMES = {
    Activity.Kind.MORNING: ("07:30", "08:20", True),
    Activity.Kind.LUNCH: ("11:30", "13:20", False),
    Activity.Kind.EVENING1: ("16:30", "17:30", True),
    Activity.Kind.EVENING2: ("17:30", "18:30", True),
}


def make_activity(school, kind=Activity.Kind.LUNCH, price="4.10", surcharge="1.00"):
    start, end, tax = TIMES[kind]
    return Activity.objects.get_or_create(
        school=school,
        kind=kind,
        defaults={
            "name": Activity.Kind(kind).label,
            "start_time": datetime.time.fromisoformat(start),
            "end_time": datetime.time.fromisoformat(end),
            "price": Decimal(price),
            "unbooked_surcharge": Decimal(surcharge),
            "counts_for_tax_certificate": tax,
        },
    )[0]
