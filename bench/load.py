"""`make load`: the « opening day » rush (bench/locustfile.py) against gunicorn and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_12000 python bench/load.py

Starts gunicorn on 127.0.0.1 (bench settings, allauth's rate limits relaxed for this run only:
every simulated parent comes from 127.0.0.1), runs locust headless by steps of simultaneous
parents, bounded in time, then reads the resident memory of each app worker, prints a summary
and stores it under "load" in bench/results.json. The database must be seeded
(`python -m bench.run --families 12000` does it).
"""

import json
import os
import pathlib
import platform
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
PORT = int(os.environ.get("LOAD_PORT", "8765"))
# Two app servers (bench/scaleout.py --rush): each parent sticks to one, sessions are shared.
SERVERS = int(os.environ.get("LOAD_SERVERS", "1"))
RESULT_KEY = os.environ.get("LOAD_RESULT_KEY", "load")
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))  # 2 cores: 3 processes, PostgreSQL beside
THREADS = int(os.environ.get("LOAD_THREADS", "4"))
MAX_SECONDS = int(os.environ.get("LOAD_MAX_SECONDS", "900"))


def worker_rss_kb(master: int) -> list[int]:
    children = pathlib.Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return sizes


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (0 once it has gone)."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _descendants(pid: int) -> list[int]:
    try:
        children = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for child in children for c in [child, *_descendants(int(child))]]


def _processes(database: str) -> dict[str, list[int]]:
    """PostgreSQL backends of this database and Redis (the machine is shared: others' databases
    are not counted)."""
    found = {"postgresql": [], "redis": []}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # "postgres: 15/main: postgres bench_12000 127.0.0.1(…) idle" (Debian's cluster name).
        if re.match(rf"postgres: (\S+: )?postgres {database} ", cmdline):
            found["postgresql"].append(int(entry.name))
        elif cmdline.startswith("/usr/bin/redis-server") or cmdline.startswith("redis-server"):
            found["redis"].append(int(entry.name))
    return found


class CpuSampler(threading.Thread):
    """Every second, the cumulative CPU seconds of each part of the rush: the app servers'
    processes, PostgreSQL's backends for this database, Redis, the load generator, and the whole
    machine (others' work included). Steps read their hold window from it (`per_request`)."""

    def __init__(self, roots: dict[str, list[int]], database: str):
        super().__init__(daemon=True)
        self.roots, self.database, self.samples = roots, database, []
        self.stop = threading.Event()

    def sample(self):
        parts = {
            name: sum(_cpu_seconds(p) for r in roots for p in [r, *_descendants(r)])
            for name, roots in self.roots.items()
        }
        for name, pids in _processes(self.database).items():
            parts[name] = sum(_cpu_seconds(p) for p in pids)
        cpu = pathlib.Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        parts["machine"] = (sum(map(int, cpu)) - int(cpu[3]) - int(cpu[4])) / CLOCK_TICKS
        self.samples.append((time.time(), parts))

    def run(self):
        while not self.stop.wait(1):
            self.sample()

    def per_request(self, start: float, end: float, requests: int) -> dict:
        """CPU ms per request of each part between two instants, and the cores it used."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2 or not requests:
            return {}
        (t0, first), (t1, last) = inside[0], inside[-1]
        share = requests * (t1 - t0) / (end - start)  # requests in the sampled window
        return {
            name: {
                "cpu_ms_per_request": round(1000 * (last[name] - first.get(name, 0)) / share, 2),
                "cores": round((last[name] - first.get(name, 0)) / (t1 - t0), 2),
            }
            for name in last
        }


def gunicorn_command(app: str, port: int) -> list[str]:
    """The one gunicorn configuration of the benchmarks (the rush and the floor comparison)."""
    return [
        str(pathlib.Path(sys.executable).parent / "gunicorn"),
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        "--worker-class=gthread",
        f"--threads={THREADS}",
        "--backlog=4096",
        "--timeout=60",
        "--log-level=warning",
    ]


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the seeded PostgreSQL database (bench_12000).")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        LOAD_TEST="1",
        LOAD_REPORT=str(ROOT / "var" / "load-steps.json"),
    )
    python = sys.executable
    bindir = pathlib.Path(python).parent
    # The town may have been seeded by an older commit: bring it to this code's schema first
    # (as floor.py and scaleout.py do), or every request fails on a missing column.
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    # A town seeded before Argon2id (MD5 then) logs in with the production hasher from now on.
    rehash = (
        "from django.contrib.auth.hashers import make_password\n"
        "from portail.accounts.models import User\n"
        "User.objects.filter(username__startswith='seed').exclude(password__startswith='argon2$')"
        ".update(password=make_password('SeedParent1'))\n"
    )
    subprocess.run([python, "manage.py", "shell", "-c", rehash], cwd=ROOT, env=env, check=True)
    ports = [PORT + i for i in range(SERVERS)]
    env["LOAD_HOSTS"] = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    servers = [
        subprocess.Popen(gunicorn_command("portail.wsgi", port), cwd=ROOT, env=env)
        for port in ports
    ]
    try:
        for _ in range(60):
            try:
                for port in ports:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/compte/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        started = time.time()
        locust = subprocess.Popen(
            [
                str(bindir / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--host=http://127.0.0.1:{PORT}",
                f"--run-time={MAX_SECONDS}s",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
        )
        database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
        sampler = CpuSampler(
            {f"app_{i + 1}" if SERVERS > 1 else "app": [p.pid] for i, p in enumerate(servers)}
            | {"load_generator": [locust.pid]},
            database,
        )
        sampler.start()
        locust.wait(timeout=MAX_SECONDS + 120)
        sampler.stop.set()
        seconds = round(time.time() - started)
        rss = [kb for server in servers for kb in worker_rss_kb(server.pid)]
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
    steps = json.loads(pathlib.Path(env["LOAD_REPORT"]).read_text())
    for step in steps:
        step["cpu"] = sampler.per_request(
            step["ended_at"] - step["hold_seconds"], step["ended_at"], step["requests"]
        )
    held = [s for s in steps if s["held"]]
    summary = {
        "scenario": "opening day: login, agenda, bulk booking of the coming month, Paiements; "
        "think time 5-10 s",
        "server": f"{SERVERS} x gunicorn gthread {WORKERS} workers x {THREADS} threads, 127.0.0.1",
        "cache": os.environ.get("CACHE_URL", "local memory (per process)"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1],
        "max_parents_held": held[-1]["parents"] if held else 0,
        "requests_per_second_at_max": held[-1]["requests_per_second"] if held else None,
        "steps": steps,
        "worker_rss_mb": [round(kb / 1024, 1) for kb in rss],
        "seconds": seconds,
        "command": " ".join(
            [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("LOAD_")]
            + [f"CACHE_URL={os.environ.get('CACHE_URL', '')}"]
            + ["DATABASE_URL=" + os.environ["DATABASE_URL"], "python -W ignore bench/load.py"]
        ),
    }
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[RESULT_KEY] = summary
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
