"""Measures other than page latency, registered by name: `MEASURES[name](user, families)`.

Each returns a small dict of figures. The areas (bulk booking, consumption run, PDF) add theirs.
"""

MEASURES: dict = {}


def measure(name):
    def register(fn):
        MEASURES[name] = fn
        return fn

    return register


class _Rollback(Exception):
    pass


def _timed_in_rollback(fn, repeat: int = 5) -> tuple[float, object]:
    """Median ms of `fn()` run in a transaction that is rolled back each time."""
    import statistics
    import time

    from django.db import transaction

    samples, result = [], None
    for _ in range(repeat + 1):
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                result = fn()
                samples.append((time.perf_counter() - t0) * 1000)
                raise _Rollback
        except _Rollback:
            pass
    return statistics.median(samples[1:]), result


@measure("bulk_booking")
def bulk_booking(user, families):
    """« saisie groupée »: a whole school year for 3 children x 4 activities, as an agent would
    (no deadline), in ms."""
    import datetime

    from portail.agenda.models import Activity
    from portail.agenda.services import bulk_change, plan_days, school_year_bounds
    from portail.core import clock
    from portail.families.models import Child, Household

    household = Household.objects.filter(adults__user=user).first()
    school = Child.objects.filter(household=household).values_list("school", flat=True).first()
    children = list(Child.objects.filter(school=school)[:3])
    start, end = school_year_bounds(clock.school_year_of(clock.today()))
    days = plan_days(start, end, "01234")
    kinds = [k for k, _label in Activity.Kind.choices]

    def run():
        # Drop these children's existing bookings first so every day is really booked.
        from portail.agenda.models import Booking

        Booking.objects.filter(child__in=children).delete()
        t0 = datetime.datetime.now()
        outcome = bulk_change(children, kinds, days, "book", user, as_agent=True)
        return outcome, (datetime.datetime.now() - t0).total_seconds() * 1000

    _ms, (outcome, ms_bulk) = _timed_in_rollback(run)
    return {"ms": round(ms_bulk, 1), "bookings_created": len(outcome.booked), "target_ms": 300}
