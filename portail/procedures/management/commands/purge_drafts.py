import datetime

from django.core.management.base import BaseCommand

from portail.core import clock
from portail.procedures.services import purge_drafts, purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete draft requests untouched for PROCEDURES_DRAFT_RETENTION_DAYS days, and requests "
        "without an account whose confirmation link has expired. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, date=None, **options):
        day = date or clock.today()
        count = purge_drafts(day)
        self.stdout.write(f"{count} draft(s) purged.")
        count = purge_unconfirmed(day)
        self.stdout.write(f"{count} unconfirmed request(s) purged.")
