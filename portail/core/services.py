"""Writes of the core app: runs of the periodic jobs (`core.jobs`)."""

import io
import logging
import traceback

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from portail.core import audit, clock, jobs
from portail.core.models import AgentInbox, JobRun
from portail.core.signals import job_started_failing

logger = logging.getLogger(__name__)

OUTPUT_LIMIT = 4000  # characters of output kept (the end, where errors are)


def _claim(job: jobs.Job, slot, trigger: str) -> JobRun | None:
    """The run's row, or None when another process already claimed this (job, slot)."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name, slot=slot, trigger=trigger, started_at=clock.now()
            )
    except IntegrityError:
        return None


def run_job(job: jobs.Job, *, slot=None, trigger: str = "manual") -> JobRun | None:
    """Run one job's command once for `slot` and record how it went.

    The one wrapper of both schedulers: the (job, slot) row is inserted (committed) before the
    command starts, so a second scheduler asking for the same slot gets None and runs nothing.
    A manual run (slot None) always runs.
    """
    run = _claim(job, slot, trigger)
    if run is None:
        return None
    out = io.StringIO()
    exit_code = 0
    try:
        call_command(job.command, *job.arguments(slot or clock.now()), stdout=out, stderr=out)
    except CommandError as exc:
        exit_code = exc.returncode or 1
        out.write(f"\n{exc}\n")
    except SystemExit as exc:
        exit_code = exc.code if isinstance(exc.code, int) else 1
    except Exception:  # noqa: BLE001 - any failure of a job is recorded, never lost
        exit_code = 1
        out.write("\n" + traceback.format_exc())
    run.finished_at = clock.now()
    run.exit_code = exit_code
    run.outcome = JobRun.Outcome.OK if exit_code == 0 else JobRun.Outcome.FAILED
    run.output = out.getvalue()[-OUTPUT_LIMIT:]
    run.save(update_fields=["finished_at", "exit_code", "outcome", "output"])
    if exit_code:
        logger.error("job %s failed (exit %s): %s", job.name, exit_code, run.output[-500:])
        _tell_new_failure(run)
    retention = clock.now() - settings.JOB_RUNS_RETENTION
    JobRun.objects.filter(job=job.name, started_at__lt=retention).delete()
    return run


def run_due(job: jobs.Job, *, trigger: str, moment=None) -> list[JobRun]:
    """Run the job's due slots not run yet (oldest first); the runs this process made."""
    moment = moment or clock.now()
    done = set(
        JobRun.objects.filter(job=job.name, slot__in=job.due_slots(moment)).values_list(
            "slot", flat=True
        )
    )
    runs = []
    for slot in job.due_slots(moment):
        if slot not in done and (run := run_job(job, slot=slot, trigger=trigger)):
            runs.append(run)
    return runs


def run_all_due(*, trigger: str, moment=None) -> list[JobRun]:
    """One pass of the scheduler: every registered job's due slots."""
    runs = []
    for job in jobs.JOBS:
        runs += run_due(job, trigger=trigger, moment=moment)
    return runs


def _tell_new_failure(run: JobRun) -> None:
    previous = (
        JobRun.objects.filter(job=run.job, started_at__lte=run.started_at)
        .exclude(pk=run.pk)
        .exclude(outcome=JobRun.Outcome.RUNNING)
        .order_by("-started_at", "-pk")
        .first()
    )
    if previous is None or previous.outcome == JobRun.Outcome.OK:
        for receiver, error in job_started_failing.send_robust(sender=JobRun, run=run):
            if isinstance(error, Exception):
                logger.error("alert of %s failed in %s: %r", run.job, receiver, error)


# --- agents' notices of new work (core.models.AgentInbox) ---

SEEN_FIELDS = {"requests": "requests_seen_at", "documents": "documents_seen_at"}


def mark_seen(user, area: str) -> None:
    """The agent has just looked at this queue: its « nouveau » badge starts again from now."""
    AgentInbox.objects.update_or_create(user=user, defaults={SEEN_FIELDS[area]: clock.now()})


def set_daily_digest(user, wanted: bool) -> None:
    AgentInbox.objects.update_or_create(user=user, defaults={"daily_digest": wanted})
    audit.record(user, "core.daily_digest", user, wanted=wanted)
