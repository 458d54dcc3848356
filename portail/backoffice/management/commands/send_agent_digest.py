from django.core.management.base import BaseCommand

from portail.backoffice import services
from portail.core import clock
from portail.core.dates import day_option


class Command(BaseCommand):
    help = "Daily digest of new work to the agents who asked for it. Idempotent for a day."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD); default: today.")

    def handle(self, *args, **options):
        day = day_option(options["date"], clock.today())
        sent = services.send_daily_digests(day)
        self.stdout.write(f"{day}: {sent} digest(s) sent.")
