import datetime

from django.core.management.base import BaseCommand

from portail.core import clock
from portail.core.dates import day_option
from portail.documents import services


class Command(BaseCommand):
    help = (
        "Daily job of the supporting documents: mark expired documents « périmé », warn the "
        "families some days before, remove files of rolled-back uploads. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD); default: today.")

    def handle(self, *args, **options):
        day = day_option(options["date"], clock.today())
        expired = services.expire_documents(day)
        warned = services.warn_expiring(day)
        orphans = services.remove_orphan_files(clock.now() - datetime.timedelta(days=1))
        self.stdout.write(
            f"{day}: {expired} document(s) expired, {warned} family warning(s), "
            f"{orphans} orphan file(s) removed."
        )
