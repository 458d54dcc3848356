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
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
PORT = int(os.environ.get("LOAD_PORT", "8765"))
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
    server = subprocess.Popen(gunicorn_command("portail.wsgi", PORT), cwd=ROOT, env=env)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/compte/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        started = time.time()
        subprocess.run(
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
            timeout=MAX_SECONDS + 120,
        )
        seconds = round(time.time() - started)
        rss = worker_rss_kb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    steps = json.loads(pathlib.Path(env["LOAD_REPORT"]).read_text())
    held = [s for s in steps if s["held"]]
    summary = {
        "scenario": "opening day: login, agenda, bulk booking of the coming month, Paiements; "
        "think time 5-10 s",
        "server": f"gunicorn gthread {WORKERS} workers x {THREADS} threads, 127.0.0.1",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1],
        "max_parents_held": held[-1]["parents"] if held else 0,
        "requests_per_second_at_max": held[-1]["requests_per_second"] if held else None,
        "steps": steps,
        "worker_rss_mb": [round(kb / 1024, 1) for kb in rss],
        "seconds": seconds,
        "command": " ".join(
            [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("LOAD_")]
            + ["DATABASE_URL=" + os.environ["DATABASE_URL"], "python -W ignore bench/load.py"]
        ),
    }
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored["load"] = summary
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
