"""Where each parent page's time goes (issue 14 item 1): middleware, session, queries, template.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_12000 python -W ignore -m bench.profile

In this process with Django's test client (no network), a seeded parent signed in:
- each page's median time and its share in SQL (the queries' execution and fetch, psycopg
  included), templates (rendering, minus the SQL run from a template), the session store
  (load and save) and the rest (view code, middleware, URL resolution);
- each middleware's cost: the home page's median with the whole stack minus its median with
  that one middleware taken out (alternately sampled).
Results under "profile" in bench/results.json.
"""

import cProfile
import json
import os
import pstats
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

REPEAT = int(os.environ.get("PROFILE_REPEAT", "40"))


def _median(fn, repeat=REPEAT):
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def _cumulative(stats, predicate) -> float:
    """Cumulative seconds of the outermost functions matching `predicate` (no double count:
    a matching function called from another matching one is not added again)."""
    total = 0.0
    for func, (_cc, _nc, _tt, ct, callers) in stats.stats.items():
        if predicate(func) and not any(predicate(c) for c in callers):
            total += ct
    return total


def _is_sql(func):
    return func[0].endswith("django/db/backends/utils.py") and func[2] in ("_execute", "fetchone")


def _is_template(func):
    return func[0].endswith("django/template/base.py") and func[2] == "render" and func[1] < 200


def _is_session(func):
    return "django/contrib/sessions/backends" in func[0] and func[2] in ("load", "save")


def breakdown(client, url) -> dict:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REPEAT):
        client.get(url)
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())
    sql = _cumulative(stats, _is_sql)
    session = _cumulative(stats, _is_session)
    template = _cumulative(stats, _is_template)
    # SQL run while rendering (lazy querysets, context processors) counted once, as SQL.
    sql_in_template = sum(
        ct
        for func, (_cc, _nc, _tt, ct, callers) in stats.stats.items()
        if _is_sql(func)
        for caller in callers
        if "django/template" in caller[0]
    )
    shares = {
        "sql": sql,
        "session": session,
        "template": max(template - sql_in_template, 0),
    }
    shares["view_and_middleware"] = max(total - sum(shares.values()), 0)
    return {k: round(100 * v / total) for k, v in shares.items()}


def main():
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.floor import PAGES
    from bench.load import RESULTS
    from bench.pages import parent_pages
    from portail.accounts.models import User

    user = (
        User.objects.filter(username__startswith="seed", adult__household__children__isnull=False)
        .order_by("pk")
        .first()
    )
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user)
    urls = {k: v for k, v in PAGES.items() if v} | parent_pages()
    agenda = client.get(urls["agenda"]).content.decode()
    import re

    day = re.search(r'href="(/agenda/enfant/\d+/\d{4}-\d\d-\d\d/)"', agenda)
    if day:
        urls["day"] = day.group(1)
    result = {"pages": {}, "middleware_ms": {}, "repeat": REPEAT, "user": user.username}
    for key, url in urls.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ms = _median(lambda url=url: client.get(url))
        result["pages"][key] = {
            "url": url,
            "median_ms": round(ms, 2),
            "queries": len(queries),
            "percent": breakdown(client, url),
        }
        print(key, result["pages"][key], flush=True)

    # Each middleware's cost on the home page: the stack without it, sampled alternately.
    full = list(settings.MIDDLEWARE)
    needed = {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "portail.families.middleware.HouseholdMiddleware",
    }
    url = urls["home"]
    for name in full:
        if name in needed:
            continue  # the page cannot render without it
        without = [m for m in full if m != name]
        with_ms, without_ms = [], []
        with override_settings(MIDDLEWARE=without):
            lighter = Client(HTTP_ACCEPT_ENCODING="gzip")  # its handler loads `without`
            lighter.force_login(user)
            lighter.get(url)
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                client.get(url)
                with_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                lighter.get(url)
                without_ms.append((time.perf_counter() - t0) * 1000)
        cost = statistics.median(with_ms) - statistics.median(without_ms)
        result["middleware_ms"][name.rsplit(".", 1)[-1]] = round(cost, 2)
        print(name, round(cost, 2), flush=True)

    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored["profile"] = result
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
