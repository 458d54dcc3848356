import datetime

from django.core.management.base import BaseCommand

from portail.core import clock
from portail.procedures.services import purge_drafts


class Command(BaseCommand):
    help = "Delete draft requests untouched for PROCEDURES_DRAFT_RETENTION_DAYS days. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, date=None, **options):
        count = purge_drafts(date or clock.today())
        self.stdout.write(f"{count} draft(s) purged.")
