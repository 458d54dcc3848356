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

    from portail.agenda.days import plan_days, school_year_bounds
    from portail.agenda.models import Activity
    from portail.agenda.services import bulk_change
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


@measure("consumption_run")
def consumption_run(user, families):
    """The nightly debit run for every child of the town on one school day: debits per second,
    then the cost of running it again (idempotent: nothing more is debited)."""
    import time

    from portail.agenda.models import Booking
    from portail.billing.services import bill_consumption
    from portail.core import clock

    # The busiest past school day that has bookings.
    day = (
        Booking.objects.filter(date__lt=clock.today())
        .values_list("date", flat=True)
        .order_by("-date")
        .first()
    )
    if day is None:
        return {"skipped": "no past booking"}

    def run_twice():
        t0 = time.perf_counter()
        first = bill_consumption(day)
        t1 = time.perf_counter()
        second = bill_consumption(day)
        t2 = time.perf_counter()
        return first, t1 - t0, second, t2 - t1

    _ms, (debits, first_s, again, second_s) = _timed_in_rollback(run_twice, repeat=1)
    return {
        "day": day.isoformat(),
        "debits": debits,
        "seconds": round(first_s, 2),
        "debits_per_second": round(debits / first_s) if first_s else None,
        "second_run_debits": again,
        "second_run_seconds": round(second_s, 2),
        "target_debits_per_second": 2000,
    }


@measure("pdf")
def pdf(user, families):
    """Tax certificate and yearly statement PDFs (PDF/A-2u, ReportLab), ms per document."""
    import os
    import statistics
    import time

    from portail.billing import pdf as documents
    from portail.billing import selectors
    from portail.billing.models import TaxCertificate
    from portail.billing.services import payer_of
    from portail.core import clock
    from portail.families.models import Household

    household = Household.objects.filter(adults__user=user).first()
    year = clock.today().year
    data = selectors.statement(household, year, None)
    payer = payer_of(household)
    cert = TaxCertificate(
        household=household,
        year=year - 1,
        issued_in=year,
        number=1,
        payer_name=payer[0],
        payer_address=payer[1],
        child_name="Enfant Exemple",
        child_birth_date=clock.today(),
        amount=sum((r["entry"].amount for r in data["rows"]), 0) or 0,
        lines=[["Accueil matin", "120.00"], ["Accueil Soir 1", "80.00"]],
    )

    def medians(fn, n=20):
        """Median wall and CPU (this process) ms: on a shared machine the CPU time shows the
        document's own cost when other work takes the cores."""
        fn()
        wall, cpu = [], []
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        return round(statistics.median(wall), 1), round(statistics.median(cpu), 1)

    certificate = medians(lambda: documents.tax_certificate(cert))
    statement = medians(lambda: documents.statement(household, payer, data, str(year)))
    return {
        "tax_certificate_ms": certificate[0],
        "tax_certificate_cpu_ms": certificate[1],
        "statement_ms": statement[0],
        "statement_cpu_ms": statement[1],
        "statement_rows": len(data["rows"]),
        "target_ms": 50,
        "tax_certificate_target_ms": 5,
        "load_average_1min": round(os.getloadavg()[0], 1),  # above 2 on 2 cores: wall time waits
    }
