import datetime

from django.core.management.base import BaseCommand, CommandError

from portail.billing.services import BillingError, bill_consumption
from portail.core import clock
from portail.core.dates import day_option


class Command(BaseCommand):
    help = (
        "Debit the prepaid accounts for what the children consumed on a day (default: "
        "yesterday). Only a day that has ended (before today, or today after the town's closing "
        "time). Idempotent: running it again for the same day debits nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, **options):
        day = day_option(options["date"], clock.today() - datetime.timedelta(days=1))
        try:
            count = bill_consumption(day)
        except BillingError as exc:  # a day not over: refused, exit status 1
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{day.isoformat()}: {count} new debit(s).")
