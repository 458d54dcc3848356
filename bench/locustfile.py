"""« Opening day »: parents rush to book when the bookings open (`make load`).

Each simulated parent is a distinct synthetic account (`seedNNNNN` / `SeedParent1`, from
`manage.py seed_town`). It logs in, opens the agenda, books the coming month through the real
« saisie groupée » forms (children, period, days, summary, save: CSRF tokens read from the
pages), then looks at « Paiements », with 5 to 10 s of thinking between pages, and starts again.

The load grows by steps (`LOAD_STEPS`, simultaneous parents, each held `LOAD_HOLD` seconds);
each step's figures (requests per second, p95, errors) are written to `LOAD_REPORT` and the
run stops at the first step that fails (an error, or p95 over 1 s). Only 127.0.0.1.
"""

import datetime
import itertools
import json
import os
import re
import time
from urllib.parse import urlencode

from locust import FastHttpUser, LoadTestShape, between, events, task

STEPS = [
    int(n) for n in os.environ.get("LOAD_STEPS", "250,500,750,1000,1250,1500,2000,2500").split(",")
]
HOLD = int(os.environ.get("LOAD_HOLD", "60"))  # seconds measured at each step
RAMP = int(os.environ.get("LOAD_RAMP", "30"))  # seconds to reach a step before measuring
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "50"))
# Parents who have not booked yet on this database make the heaviest rush: pick a fresh range.
FIRST_ACCOUNT = int(os.environ.get("LOAD_FIRST_ACCOUNT", "5000"))
REPORT = os.environ.get("LOAD_REPORT", "var/load-steps.json")
P95_LIMIT_MS = 1000

_accounts = itertools.count(FIRST_ACCOUNT)
# Several app servers (bench/scaleout.py --rush): parents spread over them, one each.
HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "").split(",") if h]
_servers = itertools.count()

PERIOD = "/agenda/saisie-groupee/periode/"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHILDREN = re.compile(r'name="children" value="(\d+)"')
START = re.compile(r'name="start" value="(\d{4}-\d\d-\d\d)"')
CHECKED_DAY = re.compile(r'name="days" value="(\d{4}-\d\d-\d\d)"[^>]*\schecked')


class Parent(FastHttpUser):
    # geventhttpclient: the load generator shares the 2 cores with the server under test.
    wait_time = between(5, 10)

    def __init__(self, environment):
        if len(HOSTS) > 1:
            self.host = HOSTS[next(_servers) % len(HOSTS)]
        super().__init__(environment)

    def on_start(self):
        self.username = f"seed{next(_accounts):05d}"
        self.login()

    def login(self):
        page = self.client.get("/compte/login/", name="login page")
        token = _first(CSRF, page.text)
        fields = {"login": self.username, "password": "SeedParent1", "csrfmiddlewaretoken": token}
        with self.client.post(
            "/compte/login/",
            data=urlencode(fields),
            headers=FORM,
            name="login",
            catch_response=True,
        ) as response:
            if 'name="password"' in (response.text or ""):
                response.failure(f"login refused for {self.username}")
        self.wait()

    @task
    def opening_day(self):
        self.client.get("/agenda/", name="agenda")
        self.wait()
        page = self.client.get("/agenda/saisie-groupee/", name="bulk: children")
        children = CHILDREN.findall(page.text)
        if not children:
            return  # a family without children: nothing to book
        self.wait()
        query = [("children", c) for c in children] + [("action", "create")]
        page = self.client.get(f"{PERIOD}?{urlencode(query)}", name="bulk: period")
        start = datetime.date.fromisoformat(_first(START, page.text))
        period = query + [
            ("start", start.isoformat()),
            ("end", (start + datetime.timedelta(days=30)).isoformat()),
            ("kinds", "lunch"),
            ("kinds", "evening1"),
            ("weekdays", "0"),
            ("weekdays", "1"),
            ("weekdays", "3"),
            ("weekdays", "4"),
        ]
        self.wait()
        page = self.client.get(f"{PERIOD}?{urlencode(period)}", name="bulk: days")
        days = CHECKED_DAY.findall(page.text)
        token = _first(CSRF, page.text)
        self.wait()
        chosen = period + [("days", d) for d in days]
        # « Enregistrer » shows the summary first (« vérifiez avant d'enregistrer »)...
        page = self.client.post(
            "/agenda/saisie-groupee/enregistrer/",
            data=urlencode(chosen + [("csrfmiddlewaretoken", token)]),
            headers=FORM,
            name="bulk: summary",
        )
        token = _first(CSRF, page.text)
        self.wait()
        # ...and its « Enregistrer » books.
        with self.client.post(
            "/agenda/saisie-groupee/enregistrer/",
            data=urlencode(chosen + [("confirmed", "1"), ("csrfmiddlewaretoken", token)]),
            headers=FORM,
            name="bulk: save",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and 'name="days"' in (response.text or ""):
                response.failure("bulk booking not saved")
        self.wait()
        self.client.get("/paiements/", name="paiements")
        self.wait()


def _first(pattern, text):
    match = pattern.search(text or "")
    if not match:
        raise ValueError(f"not found in page: {pattern.pattern}")
    return match.group(1)


class OpeningDay(LoadTestShape):
    """Steps of simultaneous parents; each is measured once reached, then the next begins."""

    def __init__(self):
        super().__init__()
        self.step = 0
        self.results = []
        self.phase_end = None
        self.measuring = False

    def tick(self):
        if self.step >= len(STEPS):
            return None
        now = self.get_run_time()
        users = STEPS[self.step]
        if self.phase_end is None:
            # Ramp: spawn the new parents (logins included), then measure a steady hold.
            self.phase_end = now + max(RAMP, (users - self._previous()) / SPAWN_RATE + 10)
            self.measuring = False
        elif now >= self.phase_end and not self.measuring:
            self.runner.stats.reset_all()
            self.phase_end = now + HOLD
            self.measuring = True
        elif now >= self.phase_end and self.measuring:
            if not self._record(users):
                return None
            self.step += 1
            self.phase_end = None
            if self.step >= len(STEPS):
                return None
            users = STEPS[self.step]
        return users, SPAWN_RATE

    def _previous(self):
        return STEPS[self.step - 1] if self.step else 0

    def _record(self, users) -> bool:
        total = self.runner.stats.total
        result = {
            "parents": users,
            "requests": total.num_requests,
            "failures": total.num_failures,
            "requests_per_second": round(total.num_requests / HOLD, 1),
            "median_ms": total.get_response_time_percentile(0.5),
            "p95_ms": total.get_response_time_percentile(0.95),
            "p99_ms": total.get_response_time_percentile(0.99),
            "slowest_p95": sorted(
                (
                    (s.get_response_time_percentile(0.95), f"{s.method} {s.name}")
                    for s in self.runner.stats.entries.values()
                ),
                reverse=True,
            )[:3],
        }
        result["ended_at"], result["hold_seconds"] = time.time(), HOLD
        result["held"] = result["failures"] == 0 and (result["p95_ms"] or 0) <= P95_LIMIT_MS
        self.results.append(result)
        os.makedirs(os.path.dirname(REPORT) or ".", exist_ok=True)
        with open(REPORT, "w") as out:
            json.dump(self.results, out, indent=2)
        print(json.dumps(result), flush=True)
        return result["held"]


@events.init.add_listener
def _only_localhost(environment, **kwargs):
    host = environment.host or ""
    if not host.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("The load test runs only against 127.0.0.1.")
