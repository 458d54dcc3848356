"""`make floor`: each parent page against an independent Django floor, under HTTP load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_12000 CACHE_URL=redis://127.0.0.1:6379/3 \
        python -W ignore bench/floor.py

Serves the portal (bench settings) and the minimal project of `bench/floor_project/` with the
same gunicorn configuration (`load.gunicorn_command`), on the same PostgreSQL server, then
logs in FLOOR_CONNECTIONS distinct accounts on each (real logins: the login page, its CSRF
token, the Argon2id check) and measures them ALTERNATELY: for each page, FLOOR_SECONDS of the
floor then FLOOR_SECONDS of the page, each connection keeping its own session, for
FLOOR_ROUNDS rounds. A burst of load from elsewhere on the shared machine then weighs on both
sides of a ratio alike. The ratio is the page's median latency over the floor's median of the
same round under the same concurrency (and the floor's requests/s over the page's).
Results under "floor_http" in bench/results.json.
"""

import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

import gevent
from geventhttpclient import HTTPClient

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from bench.load import RESULTS, ROOT, THREADS, WORKERS, gunicorn_command  # noqa: E402

CONNECTIONS = int(os.environ.get("FLOOR_CONNECTIONS", "32"))
SECONDS = float(os.environ.get("FLOOR_SECONDS", "8"))
ROUNDS = int(os.environ.get("FLOOR_ROUNDS", "2"))
FIRST_ACCOUNT = int(os.environ.get("FLOOR_FIRST_ACCOUNT", "100"))
PORTAL_PORT, FLOOR_PORT = 8766, 8767
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHILD_DAY = re.compile(r'href="(/agenda/enfant/\d+/\d{4}-\d\d-\d\d/)"')
PAGES = {
    "home": "/",
    "agenda": "/agenda/",
    "day": None,  # a day of the parent's first child, read from the agenda
    "bulk": "/agenda/saisie-groupee/",
    "payments": "/paiements/",
    "my_requests": None,
    "profile": None,
    "documents": None,
    "messages": None,
}


class Session:
    """One keep-alive connection with its own cookies, like one browser."""

    def __init__(self, port):
        self.http = HTTPClient(
            "127.0.0.1", port, concurrency=1, connection_timeout=30, network_timeout=60
        )
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "fr"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.http.port}{path}"
        response = self.http.request(method, path, body=body, headers=headers)
        for name, value in response.items():
            if name.lower() == "set-cookie":
                for cookie in value.split("\n") if isinstance(value, str) else value:
                    key, _, rest = cookie.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
        data = response.read()
        if response.get("Content-Encoding") == "gzip":
            import gzip

            data = gzip.decompress(data)
        return response.status_code, data.decode("utf-8", "replace")

    def login(self, path, username, password, field):
        _, html = self.request("GET", path)
        token = CSRF.search(html).group(1)
        status, _ = self.request(
            "POST",
            path,
            urllib.parse.urlencode(
                {field: username, "password": password, "csrfmiddlewaretoken": token}
            ),
        )
        if status != 302:
            raise SystemExit(f"login of {username} on {path} refused ({status})")


def hammer(sessions, path, seconds):
    """Every session requests `path` (or its own, `path[i]`: a child's day belongs to one
    family) in a loop for `seconds`: latencies (ms), errors."""
    latencies, errors = [], []
    end = time.perf_counter() + seconds

    def loop(session, path):
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            status, _ = session.request("GET", path)
            latencies.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors.append(status)

    paths = path if isinstance(path, list) else [path] * len(sessions)
    gevent.joinall([gevent.spawn(loop, s, p) for s, p in zip(sessions, paths, strict=True)])
    return latencies, errors


def summary(latencies, errors, seconds):
    return {
        "requests_per_second": round(len(latencies) / seconds, 1),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(statistics.quantiles(latencies, n=20)[-1], 1),
        "errors": len(errors),
    }


def prepare_floor(env):
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"], cwd=ROOT, env=env, check=True
    )
    code = (
        "from django.contrib.auth.hashers import make_password\n"
        "from django.contrib.auth.models import User\n"
        "password = make_password('FloorUser1')\n"
        f"for i in range({max(CONNECTIONS, 30)}):\n"
        "    User.objects.update_or_create(username=f'floor{i:03d}', "
        "defaults={'password': password})\n"
    )
    subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def wait_ready(port, path):
    for _ in range(120):
        try:
            Session(port).request("GET", path)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"port {port} did not answer")


def main():
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the seeded PostgreSQL database (bench_12000).")
    floor_db = os.environ.get("FLOOR_DATABASE_URL", database + "_floor")
    name = floor_db.rsplit("/", 1)[-1]
    exists = subprocess.run(
        [
            "psql",
            "-qtA",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    portal_env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", LOAD_TEST="1")
    floor_env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.floor_project.settings",
        FLOOR_DATABASE_URL=floor_db,
    )
    prepare_floor(floor_env)
    servers = [
        subprocess.Popen(gunicorn_command("portail.wsgi", PORTAL_PORT), cwd=ROOT, env=portal_env),
        subprocess.Popen(
            gunicorn_command("bench.floor_project.wsgi", FLOOR_PORT), cwd=ROOT, env=floor_env
        ),
    ]
    try:
        wait_ready(PORTAL_PORT, "/compte/login/")
        wait_ready(FLOOR_PORT, "/login/")
        parents = [Session(PORTAL_PORT) for _ in range(CONNECTIONS)]
        floors = [Session(FLOOR_PORT) for _ in range(CONNECTIONS)]
        gevent.joinall(
            [
                gevent.spawn(
                    s.login,
                    "/compte/login/",
                    f"seed{FIRST_ACCOUNT + i:05d}",
                    "SeedParent1",
                    "login",
                )
                for i, s in enumerate(parents)
            ]
            + [
                gevent.spawn(s.login, "/login/", f"floor{i:03d}", "FloorUser1", "username")
                for i, s in enumerate(floors)
            ],
            raise_error=True,
        )
        pages = resolve_pages(parents)
        # Warm-up: every worker imports and compiles what it serves.
        hammer(floors, "/", 2)
        for path in pages.values():
            hammer(parents, path, 1)
        rows = {key: {"floor": [], "page": []} for key in pages}
        for _ in range(ROUNDS):
            for key, path in pages.items():
                rows[key]["floor"].append(summary(*hammer(floors, "/", SECONDS), SECONDS))
                rows[key]["page"].append(summary(*hammer(parents, path, SECONDS), SECONDS))
                print(key, rows[key]["floor"][-1], rows[key]["page"][-1], flush=True)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    result = {
        "connections": CONNECTIONS,
        "seconds_each": SECONDS,
        "rounds": ROUNDS,
        "server": f"gunicorn gthread {WORKERS} workers x {THREADS} threads, both",
        "cache": os.environ.get("CACHE_URL", "local memory"),
        "command": f"FLOOR_SECONDS={SECONDS:g} FLOOR_ROUNDS={ROUNDS} "
        f"DATABASE_URL={database} CACHE_URL={os.environ.get('CACHE_URL', '')} "
        "python -W ignore bench/floor.py",
        "pages": {},
    }
    for key, samples in rows.items():
        page_ms = statistics.median(s["median_ms"] for s in samples["page"])
        floor_ms = statistics.median(s["median_ms"] for s in samples["floor"])
        page_rps = statistics.median(s["requests_per_second"] for s in samples["page"])
        floor_rps = statistics.median(s["requests_per_second"] for s in samples["floor"])
        result["pages"][key] = {
            "url": pages[key] if isinstance(pages[key], str) else pages[key][0] + " (each its own)",
            "median_ms": page_ms,
            "floor_median_ms": floor_ms,
            "ratio": round(page_ms / floor_ms, 2),
            "requests_per_second": page_rps,
            "floor_requests_per_second": floor_rps,
            "throughput_ratio": round(floor_rps / page_rps, 2),
            "errors": sum(s["errors"] for s in samples["page"]),
        }
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored["floor_http"] = result
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["pages"], indent=2))


def resolve_pages(sessions) -> dict:
    """The URLs of the parent pages; the day page's from each parent's own agenda."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from bench.pages import parent_pages

    urls = dict(PAGES)
    urls.update({k: v for k, v in parent_pages().items() if k in urls})
    days = []
    for session in sessions:
        _, agenda = session.request("GET", urls["agenda"])
        day = CHILD_DAY.search(agenda)
        if not day:
            raise SystemExit("a parent of the floor comparison has no child: choose others")
        days.append(day.group(1))
    urls["day"] = days
    return {k: v for k, v in urls.items() if v}


if __name__ == "__main__":
    main()
