import datetime

from django.core.management.base import BaseCommand

from portail.accounts.services import purge_unactivated
from portail.core import clock


class Command(BaseCommand):
    help = "Delete accounts whose activation link was not followed within 24 hours (daily job)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Run as of the end of this day (YYYY-MM-DD, at most now); default: now.",
        )

    def handle(self, *args, date=None, **options):
        # Never later than now: an account younger than the delay is never deleted.
        now = min(clock.end_of_day(date), clock.now()) if date else clock.now()
        count = purge_unactivated(now)
        self.stdout.write(f"{count} unactivated account(s) deleted")
