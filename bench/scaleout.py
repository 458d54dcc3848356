"""Scale-out check (`make scaleout`): two app servers and two task workers sharing nothing but
PostgreSQL, Redis and the file storage.

1. A parent logs in on server A and carries on on server B with the same cookie.
2. Failed logins spread over A and B add up to one lockout (the counters are shared).
3. Two `db_worker` processes drain one queue of e-mails: every mail leaves exactly once.

Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (both started on this machine).
Exits non-zero on any failure.

`scaleout.py --rush 1000,1500` instead runs the « opening day » rush (bench/load.py) against two
app servers sharing the seeded town in PostgreSQL (DATABASE_URL) and sessions in Redis: each
parent sticks to one server; the CPU per request of each server, PostgreSQL, Redis and the load
generator goes to "scaleout_rush" in bench/results.json (the plan in docs/PERFORMANCE.md).
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = os.path.join(ROOT, ".venv", "bin", "python")
DB = "portail_scaleout"
MAILS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, env):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, url):
        with self.opener.open(url, timeout=10) as r:
            return r.status, r.read().decode()

    def post(self, url, data, referer):
        body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(url, data=body, headers={"Referer": referer})
        try:
            with self.opener.open(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def csrf(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def login(self, base, login, password):
        _, html = self.get(f"{base}/compte/login/")
        return self.post(
            f"{base}/compte/login/",
            {"csrfmiddlewaretoken": self.csrf(html), "login": login, "password": password},
            referer=f"{base}/compte/login/",
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def wait_ready(base):
    for _ in range(100):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return
        time.sleep(0.2)
    raise SystemExit(f"{base} did not start")


def rush(steps: str):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL town (bench_12000).")
    env = {
        **os.environ,
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/3"),
        "LOAD_SERVERS": "2",
        "LOAD_WORKERS": os.environ.get("LOAD_WORKERS", "2"),
        "LOAD_STEPS": steps,
        "LOAD_RESULT_KEY": "scaleout_rush",
    }
    subprocess.run([PY, "-W", "ignore", "bench/load.py"], cwd=ROOT, env=env, check=True)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--rush":
        return rush(sys.argv[2])
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}"],
        check=True,
    )
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DB}"],
        check=True,
    )
    media = tempfile.mkdtemp(prefix="portail-media-")
    sink_port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "scaleout-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "CACHE_URL": "redis://127.0.0.1:6379/7",
        "MEDIA_ROOT": media,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink_port}",
        "STATIC_ROOT": os.path.join(media, "static"),
    }
    run("migrate", "-v0", env=env)
    run("demo", env=env)
    run("collectstatic", "--noinput", "-v0", env=env)

    sink_log = os.path.join(media, "sink.txt")
    sink = subprocess.Popen([PY, "-c", SINK, str(sink_port), sink_log], cwd=ROOT, env=env)
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [
                    os.path.join(ROOT, ".venv", "bin", "gunicorn"),
                    "portail.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    failures = []
    try:
        for base in bases:
            wait_ready(base)
        a, b = bases

        # 1. One session, two servers.
        browser = Browser()
        status, _ = browser.login(a, "demo.parent", "DemoParent1")
        status_b, html_b = browser.get(f"{b}/messages/")
        ok = status == 302 and status_b == 200 and "Claire" in html_b
        print(f"session shared between servers: {'ok' if ok else 'FAILED'}")
        ok or failures.append("session")

        # 2. Lockout counters shared: 3 failures on A + 2 on B lock the account everywhere.
        intruder = Browser()
        for base in (a, a, a, b, b):
            intruder.login(base, "demo.agent", "wrong-password")
        status, html = intruder.login(a, "demo.agent", "DemoAgent1")
        locked = status != 302 and "bloqué" in html
        print(f"lockout counted across servers: {'ok' if locked else 'FAILED'}")
        locked or failures.append("lockout")

        # 3. Two workers, each mail once.
        code = (
            "from django.db import transaction\n"
            "from portail.messaging.services import send_email\n"
            "with transaction.atomic():\n"
            f"    for i in range({MAILS}): send_email('p%d@example.test' % i, 'Test %d' % i, 'x')\n"
        )
        subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)
        workers = [
            subprocess.Popen(
                [
                    PY,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--interval",
                    "0.1",
                    "--no-startup-delay",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        for w in workers:
            w.wait(timeout=300)
        time.sleep(1)
        with open(sink_log) as f:
            received = [line.strip() for line in f if line.strip()]
        once = len(received) == MAILS and len(set(received)) == MAILS
        print(
            f"two workers, {MAILS} mails: {len(received)} received, "
            f"{len(set(received))} distinct: {'ok' if once else 'FAILED'}"
        )
        once or failures.append("workers")
    finally:
        for p in servers + [sink]:
            p.terminate()
        for p in servers + [sink]:
            p.wait(timeout=10)
    if failures:
        raise SystemExit(f"scale-out check failed: {', '.join(failures)}")
    print("scale-out check passed")


SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller
port, log = int(sys.argv[1]), sys.argv[2]
class H:
    async def handle_DATA(self, server, session, envelope):
        with open(log, "a") as f:
            f.write(",".join(envelope.rcpt_tos) + "\\n")
        return "250 OK"
c = Controller(H(), hostname="127.0.0.1", port=port); c.start()
import time
while True: time.sleep(3600)
"""

if __name__ == "__main__":
    sys.exit(main())
