from django.core.management.base import BaseCommand, CommandError

from portail.core import jobs, services
from portail.core.models import JobRun


class Command(BaseCommand):
    help = (
        "Run a periodic job's due slot(s) once and record the run (what the systemd timers of "
        "deploy/systemd call). A slot already run or running elsewhere is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("job", choices=[job.name for job in jobs.JOBS])
        parser.add_argument(
            "--force", action="store_true", help="Run now, outside any slot (still recorded)."
        )

    def handle(self, *args, job, force=False, **options):
        job = jobs.get(job)
        if force:
            runs = [services.run_job(job, trigger="manual")]
        else:
            runs = services.run_due(job, trigger="systemd")
        if not runs:
            self.stdout.write(f"{job.name}: nothing due (already run).")
        for run in runs:
            self.stdout.write(f"{job.name} [{run.slot or 'manual'}]: {run.outcome}\n{run.output}")
        failed = [run for run in runs if run.outcome == JobRun.Outcome.FAILED]
        if failed:
            # A non-zero exit marks the systemd unit failed (`systemctl --failed`).
            raise CommandError(f"{job.name} failed", returncode=failed[-1].exit_code or 1)
