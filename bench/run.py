"""`make bench`: the portal's benchmarks, printed and written to bench/results.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_12000 python -m bench.run --families 12000

Seeds the database to the asked size when it is smaller, then measures in this process with
Django's test client (no network): median latency of each parent page against the framework
floor, SQL queries per page, and whatever the areas register in `bench/measures.py`.
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = pathlib.Path(__file__).with_name("results.json")


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def paired_ms(page, floor, repeat: int) -> tuple[float, float]:
    """Median ms of a page and of the floor, sampled alternately: the machine is shared, and a
    burst of load from elsewhere then weighs on both sides of the ratio alike."""
    page()
    floor()
    pages, floors = [], []
    for _ in range(repeat):
        for fn, samples in ((floor, floors), (page, pages)):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(pages), statistics.median(floors)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=12000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--label", default=None, help="key in results.json (default: families)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated measures of bench/measures.py: run just those (no page timings) "
        "and update them in the label's results",
    )
    args = parser.parse_args(argv)

    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import parent_pages
    from portail.accounts.models import User
    from portail.families.models import Household

    # Each request would empty the query log that CaptureQueriesContext reads.
    request_started.disconnect(reset_queries)
    call_command("migrate", verbosity=0)
    have = Household.objects.filter(name__regex=r"^Famille .* \d+$").count()
    if have < args.families:
        t0 = time.perf_counter()
        call_command("seed_town", families=args.families - have)
        print(f"seeded {args.families - have} families in {time.perf_counter() - t0:.1f} s")

    # A parent with 2+ children and bookings: the heaviest ordinary page for its size.
    user = (
        User.objects.filter(username__startswith="seed", adult__household__children__isnull=False)
        .order_by("pk")
        .first()
    )
    if args.only:
        from bench import measures

        label = args.label or str(args.families)
        stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        entry = stored.setdefault(label, {})
        for name in args.only.split(","):
            entry[name] = measures.MEASURES[name](user=user, families=args.families)
            entry[name]["command"] = "python -m bench.run " + " ".join(
                argv if argv is not None else sys.argv[1:]
            )
            print(name, json.dumps(entry[name], ensure_ascii=False))
        RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
        return

    client = Client()
    client.force_login(user)
    results = {
        "families": Household.objects.count(),
        "database": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "pages": {},
    }
    floor = median_ms(lambda: client.get("/bench/floor/"), args.repeat)
    results["floor_ms"] = round(floor, 2)
    for key, url in parent_pages().items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        reset_queries()  # the log is bounded (9000): start from empty
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # read now: it is computed from the shared log
        ms, floor_here = paired_ms(
            lambda url=url: client.get(url), lambda: client.get("/bench/floor/"), args.repeat
        )
        results["pages"][key] = {
            "url": url,
            "median_ms": round(ms, 2),
            "floor_ms": round(floor_here, 2),
            "floor_ratio": round(ms / floor_here, 2),
            "queries": query_count,
        }

    from bench import measures

    for name, measure in measures.MEASURES.items():
        results[name] = measure(user=user, families=args.families)

    stored[label] = results
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
