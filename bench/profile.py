"""Where each parent page's time goes (issue 14 item 1): middleware, session, queries, template.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_12000 python -W ignore -m bench.profile

In this process with Django's test client (no network), a seeded parent signed in:
- each page's median time, its queries, and its share of wall time in SQL (the queries, the
  wait for PostgreSQL included), templates (rendering, minus the SQL run from a template),
  the session store (load and save, minus their SQL) and the rest (view code, middleware,
  URL resolution, the test client);
- each middleware's cost: the home page's median CPU time (this thread's) with the whole
  stack minus its median with that one middleware taken out (alternately sampled).
Results under "profile" in bench/results.json.
"""

import json
import os
import statistics
import time
from collections import defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

REPEAT = int(os.environ.get("PROFILE_REPEAT", "40"))


def _median(fn, repeat=REPEAT):
    """Median wall ms and median CPU ms (this thread: the app's share, PostgreSQL's apart)."""
    fn()
    samples, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return statistics.median(samples), statistics.median(cpu)


class Attribution:
    """Wall time of requests split by what runs: each instant goes to the innermost category
    (SQL inside a template counts as SQL, a template inside a view as template)."""

    def __init__(self):
        self.totals = defaultdict(float)
        self.stack = []

    def enter(self, category):
        now = time.perf_counter()
        if self.stack:
            top, since = self.stack[-1]
            self.totals[top] += now - since
        self.stack.append([category, now])

    def leave(self):
        now = time.perf_counter()
        top, since = self.stack.pop()
        self.totals[top] += now - since
        if self.stack:
            self.stack[-1][1] = now

    def wrap(self, owner, name, category):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            self.enter(category)
            try:
                return original(*args, **kwargs)
            finally:
                self.leave()

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, original)

    def sql(self, execute, sql, params, many, context):
        self.enter("sql")
        try:
            return execute(sql, params, many, context)
        finally:
            self.leave()


def breakdown(client, url) -> dict:
    from django.contrib.sessions.backends import cached_db, db
    from django.db import connection
    from django.template import base

    attribution = Attribution()
    undo = [
        attribution.wrap(base.Template, "render", "template"),
        attribution.wrap(cached_db.SessionStore, "load", "session"),
        attribution.wrap(cached_db.SessionStore, "save", "session"),
        attribution.wrap(db.SessionStore, "load", "session"),
        attribution.wrap(db.SessionStore, "save", "session"),
    ]
    try:
        with connection.execute_wrapper(attribution.sql):
            for _ in range(REPEAT):
                attribution.enter("view_and_middleware")
                client.get(url)
                attribution.leave()
    finally:
        for restore in undo:
            restore()
    total = sum(attribution.totals.values())
    return {k: round(100 * v / total) for k, v in sorted(attribution.totals.items())}


def main():
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import connection, reset_queries
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
    request_started.disconnect(reset_queries)  # it would empty the log CaptureQueries reads
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user)
    urls = {k: v for k, v in PAGES.items() if v} | parent_pages()
    agenda = client.get(urls["agenda"], HTTP_ACCEPT_ENCODING="identity").content.decode()
    import re

    day = re.search(r'href="(/agenda/enfant/\d+/\d{4}-\d\d-\d\d/)"', agenda)
    if day:
        urls["day"] = day.group(1)
    result = {"pages": {}, "middleware_ms": {}, "repeat": REPEAT, "user": user.username}
    for key, url in urls.items():
        assert client.get(url).status_code == 200, url
        reset_queries()  # the log is bounded (9000): start from empty
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # now: it is read from the shared log
        if os.environ.get("PROFILE_SQL"):
            print("\n".join(q["sql"][:160] for q in queries.captured_queries))
        ms, cpu_ms = _median(lambda url=url: client.get(url))
        result["pages"][key] = {
            "url": url,
            "median_ms": round(ms, 2),
            "cpu_ms": round(cpu_ms, 2),
            "queries": query_count,
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
            # CPU time of this thread: the shared machine's load weighs less than on wall time.
            for _ in range(3 * REPEAT):
                t0 = time.thread_time()
                client.get(url)
                with_ms.append((time.thread_time() - t0) * 1000)
                t0 = time.thread_time()
                lighter.get(url)
                without_ms.append((time.thread_time() - t0) * 1000)
        cost = statistics.median(with_ms) - statistics.median(without_ms)
        result["middleware_ms"][name.rsplit(".", 1)[-1]] = round(cost, 2)
        print(name, round(cost, 2), flush=True)

    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored["profile"] = result
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
