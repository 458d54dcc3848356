"""Periodic jobs: the registry, the recorded runs, the two schedulers (loop and systemd)."""

import dataclasses
import datetime
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from portail.core import jobs, services
from portail.core.clock import PARIS
from portail.core.models import JobRun
from portail.core.systemd import units
from tests.conftest import race

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "systemd"


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


# --- the registry ---------------------------------------------------------------------------


def test_every_registered_command_exists():
    missing = {job.command for job in jobs.JOBS} - set(get_commands())
    assert not missing, missing
    assert "check_ledger" in jobs.BY_NAME


@pytest.mark.parametrize(
    ("schedule", "moment", "previous", "following"),
    [
        (
            jobs.Every(5),
            paris(2026, 12, 1, 10, 7),
            paris(2026, 12, 1, 10, 5),
            paris(2026, 12, 1, 10, 10),
        ),
        (
            jobs.Every(5),
            paris(2026, 12, 1, 10, 5),
            paris(2026, 12, 1, 10, 5),
            paris(2026, 12, 1, 10, 10),
        ),
        (
            jobs.Daily(datetime.time(0, 30)),
            paris(2026, 12, 1, 0, 10),
            paris(2026, 11, 30, 0, 30),
            paris(2026, 12, 1, 0, 30),
        ),
        # Across the spring DST change (2027-03-28): 24 wall-clock hours apart, 23 real ones.
        (
            jobs.Daily(datetime.time(4, 0)),
            paris(2027, 3, 28, 12),
            paris(2027, 3, 28, 4),
            paris(2027, 3, 29, 4),
        ),
        (
            jobs.Yearly(8, 1, datetime.time(3, 30)),
            paris(2026, 12, 1),
            paris(2026, 8, 1, 3, 30),
            paris(2027, 8, 1, 3, 30),
        ),
    ],
)
def test_schedules_previous_and_next(schedule, moment, previous, following):
    assert schedule.previous(moment) == previous
    assert schedule.next(moment) == following


def _systemd_next(expression, base):
    """The next elapses systemd computes for an OnCalendar expression (systemd-analyze)."""
    out = subprocess.run(
        [
            "systemd-analyze",
            "calendar",
            "--iterations=3",
            f"--base-time={base:%Y-%m-%d %H:%M:%S} UTC",
            expression,
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
    ).stdout
    found = []
    for line in out.splitlines():
        if "Next elapse:" in line or "Iter. #" in line:
            stamp = " ".join(line.split(":", 1)[1].split()[1:3])
            found.append(datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.UTC))
    return found


@pytest.mark.parametrize("job", jobs.JOBS, ids=lambda job: job.name)
@pytest.mark.parametrize(
    "base", [paris(2026, 12, 1, 10, 7), paris(2027, 3, 27, 23, 50), paris(2027, 10, 30, 23, 58)]
)
def test_systemd_timers_fire_when_the_registry_says(job, base):
    """The timers' OnCalendar and the in-process scheduler agree, DST changes included."""
    expected, moment = [], base
    for _ in range(3):
        moment = job.schedule.next(moment)
        expected.append(moment)
    base_utc = base.astimezone(datetime.UTC)
    assert _systemd_next(job.schedule.on_calendar(), base_utc) == expected


def test_shipped_systemd_units_match_the_registry():
    """deploy/systemd is what `manage.py systemd_units` writes: nothing missing, stale or edited."""
    shipped = {p.name: p.read_text() for p in DEPLOY.glob("portail-*")}
    assert shipped == units(), "run: manage.py systemd_units"
    call_command("systemd_units", "--check", stdout=None)


def test_shipped_units_are_valid_for_systemd():
    result = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            *sorted(str(p) for p in DEPLOY.glob("portail-*")),
        ],
        capture_output=True,
        text=True,
        cwd=DEPLOY,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # The virtualenv exists only on the production server.
        if line.strip() and "/srv/portail/venv/bin/" not in line
    ]
    assert not problems, problems
    timers = {p.stem for p in DEPLOY.glob("*.timer")}
    assert timers == {f"portail-job-{job.name}" for job in jobs.JOBS}
    assert (DEPLOY / "portail-web.service").exists() and (
        DEPLOY / "portail-worker.service"
    ).exists()


def test_systemd_units_check_fails_on_a_stale_file(tmp_path):
    call_command("systemd_units", "--output", str(tmp_path), stdout=None)
    (tmp_path / "portail-job-gone.timer").write_text("[Timer]\n")
    with pytest.raises(CommandError, match="portail-job-gone.timer"):
        call_command("systemd_units", "--output", str(tmp_path), "--check", stdout=None)


# --- recorded runs --------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(paris(2026, 12, 1, 10, 7), tick=False)
def test_a_run_is_recorded_with_its_output_and_outcome():
    run = services.run_job(jobs.get("send_emails"), slot=paris(2026, 12, 1, 10, 5), trigger="test")
    run.refresh_from_db()
    assert run.outcome == JobRun.Outcome.OK and run.exit_code == 0
    assert "e-mail(s) tried" in run.output
    assert run.finished_at is not None


@pytest.mark.django_db
def test_a_failing_command_is_recorded_as_failed():
    job = jobs.Job(
        "broken", "bill_consumption", jobs.Daily(datetime.time(1)), "x", args=("--date=x",)
    )
    run = services.run_job(job, trigger="test")
    assert run.outcome == JobRun.Outcome.FAILED and run.exit_code == 1
    assert "--date must be YYYY-MM-DD" in run.output


@pytest.mark.django_db
def test_a_command_not_installed_is_a_failed_run_not_a_crash():
    job = jobs.Job("ghost", "no_such_command", jobs.Daily(datetime.time(1)), "x")
    run = services.run_job(job, trigger="test")
    assert run.outcome == JobRun.Outcome.FAILED
    assert "Unknown command" in run.output


@pytest.mark.django_db
def test_a_slot_runs_once_and_dated_jobs_get_their_day():
    job = jobs.get("bill_consumption")
    with time_machine.travel(paris(2026, 12, 3, 9), tick=False):
        first = services.run_due(job, trigger="test")
        again = services.run_due(job, trigger="test")
    # The last 7 nights, oldest first, each billing the day before its night.
    assert [run.slot for run in first] == [paris(2026, 11, day, 0, 30) for day in range(27, 31)] + [
        paris(2026, 12, day, 0, 30) for day in (1, 2, 3)
    ]
    assert "2026-11-26: " in first[0].output and "2026-12-02: " in first[-1].output
    assert again == []
    assert JobRun.objects.filter(job="bill_consumption").count() == 7


@pytest.mark.django_db
@time_machine.travel(paris(2026, 12, 1, 10, 7), tick=False)
def test_run_job_command_for_systemd():
    call_command("run_job", "send_emails", stdout=None)
    call_command("run_job", "send_emails", stdout=None)  # the same slot: skipped
    runs = JobRun.objects.filter(job="send_emails")
    assert [(r.slot, r.trigger) for r in runs] == [(paris(2026, 12, 1, 10, 5), "systemd")]
    call_command("run_job", "send_emails", "--force", stdout=None)
    assert JobRun.objects.filter(job="send_emails", slot=None, trigger="manual").count() == 1


@pytest.mark.django_db
def test_run_job_command_exits_non_zero_when_the_job_fails(monkeypatch):
    broken = dataclasses.replace(jobs.get("purge_drafts"), command="no_such_command")
    monkeypatch.setitem(jobs.BY_NAME, "purge_drafts", broken)
    with pytest.raises(CommandError) as failure:
        call_command("run_job", "purge_drafts", stdout=None)
    assert failure.value.returncode == 1
    assert JobRun.objects.get(job="purge_drafts").outcome == JobRun.Outcome.FAILED


@pytest.mark.django_db
@time_machine.travel(paris(2026, 12, 1, 10, 7), tick=False)
def test_scheduler_pass_runs_every_job_once():
    call_command("run_scheduler", "--once", stdout=None)
    call_command("run_scheduler", "--once", stdout=None)
    for job in jobs.JOBS:
        assert JobRun.objects.filter(job=job.name).count() == job.catch_up, job.name
    assert set(JobRun.objects.values_list("trigger", flat=True)) == {"scheduler"}


@pytest.mark.django_db
def test_old_runs_are_purged(settings):
    job = jobs.get("send_emails")
    with time_machine.travel(paris(2026, 1, 1, 10, 7), tick=False):
        services.run_job(job, slot=paris(2026, 1, 1, 10, 5), trigger="test")
    with time_machine.travel(paris(2026, 6, 1, 10, 7), tick=False):
        services.run_job(job, slot=paris(2026, 6, 1, 10, 5), trigger="test")
    assert list(JobRun.objects.values_list("slot", flat=True)) == [paris(2026, 6, 1, 10, 5)]


# --- two schedulers at once (PostgreSQL) ----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_schedulers_run_a_slot_once():
    job = jobs.get("send_emails")
    slot = paris(2026, 12, 1, 10, 5)
    results = race(*[lambda: services.run_job(job, slot=slot, trigger="race")] * 8)
    assert not [r for r in results if isinstance(r, Exception)]
    ran = [run for run in results if run is not None]
    assert len(results) == 8 and len(ran) == 1
    assert JobRun.objects.filter(job="send_emails", slot=slot).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_share_the_slots():
    """Two `run_scheduler --once` processes at once: every due slot runs in exactly one."""
    import os
    import sys

    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    command = [sys.executable, "manage.py", "run_scheduler", "--once"]
    processes = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    lines = [set(out.splitlines()) for out in outputs]
    assert not lines[0] & lines[1], "a slot ran in both processes"
    assert len(lines[0] | lines[1]) == JobRun.objects.count()
    assert JobRun.objects.count() == sum(job.catch_up for job in jobs.JOBS)


@pytest.mark.django_db
def test_administrator_reads_the_history_of_runs_but_cannot_edit_it(admin_client):
    run = services.run_job(jobs.get("send_emails"), trigger="manual")
    listing = admin_client.get("/administration/core/jobrun/")
    assert listing.status_code == 200 and "send_emails" in listing.content.decode()
    assert admin_client.get(f"/administration/core/jobrun/{run.pk}/delete/").status_code == 403
    assert admin_client.get("/administration/core/jobrun/add/").status_code == 403
