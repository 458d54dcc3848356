"""Reads of the core app: the state of the periodic jobs (back-office « Tâches planifiées »)."""

import datetime
from dataclasses import dataclass

from django.db.models import Max

from portail.core import clock, jobs
from portail.core.models import AgentInbox, AuditEvent, JobRun

# A run still « running » after this long was killed (timeout, restart): shown as a problem.
STALLED_AFTER = datetime.timedelta(hours=2)


@dataclass
class JobStatus:
    job: jobs.Job
    last_run: JobRun | None
    last_success: JobRun | None
    due_at: datetime.datetime  # the latest slot it should have started for by now
    next_run: datetime.datetime
    late: bool  # no run started since it was due (beyond the grace)
    failed: bool
    stalled: bool

    @property
    def problem(self) -> bool:
        return self.late or self.failed or self.stalled


def job_statuses(moment=None) -> list[JobStatus]:
    """Every registered job with its last run, its next run and what is wrong (3 queries)."""
    moment = moment or clock.now()
    names = [job.name for job in jobs.JOBS]
    latest_ids = JobRun.objects.filter(job__in=names).values("job").annotate(last=Max("id"))
    success_ids = (
        JobRun.objects.filter(job__in=names, outcome=JobRun.Outcome.OK)
        .values("job")
        .annotate(last=Max("id"))
    )
    ids = {row["last"] for row in latest_ids} | {row["last"] for row in success_ids}
    runs = {run.pk: run for run in JobRun.objects.filter(pk__in=ids)}
    latest = {row["job"]: runs[row["last"]] for row in latest_ids}
    success = {row["job"]: runs[row["last"]] for row in success_ids}
    statuses = []
    for job in jobs.JOBS:
        last = latest.get(job.name)
        # The latest slot whose grace is over: a run must have started since.
        due = job.schedule.previous(moment - job.grace)
        started_since_due = last is not None and last.started_at >= due
        running = last is not None and last.outcome == JobRun.Outcome.RUNNING
        statuses.append(
            JobStatus(
                job=job,
                last_run=last,
                last_success=success.get(job.name),
                due_at=due,
                next_run=job.schedule.next(moment),
                late=not started_since_due,
                failed=last is not None and last.outcome == JobRun.Outcome.FAILED,
                stalled=running and moment - last.started_at > STALLED_AFTER,
            )
        )
    return statuses


def jobs_needing_attention(moment=None) -> list[JobStatus]:
    return [status for status in job_statuses(moment) if status.problem]


def audit_events(household_ids=None, actor_id=None, action=None, date_from=None, date_to=None):
    """Audit events, newest first, filtered (« Journal des actions », the family record). A
    date range counts whole days in Paris time."""
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    if household_ids is not None:
        events = events.filter(household_id__in=household_ids)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    events = events.filter(clock.on_days("at", date_from, date_to))
    return events


def agent_inbox(user) -> AgentInbox:
    """The user's notices (unsaved defaults when they never looked at anything)."""
    return AgentInbox.objects.filter(user=user).first() or AgentInbox(user=user)
