import datetime

from django.core.management.base import BaseCommand, CommandError

from portail.backoffice import services
from portail.core import clock


class Command(BaseCommand):
    help = "Daily digest of new work to the agents who asked for it. Idempotent for a day."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD); default: today.")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        day = day or clock.today()
        sent = services.send_daily_digests(day)
        self.stdout.write(f"{day}: {sent} digest(s) sent.")
