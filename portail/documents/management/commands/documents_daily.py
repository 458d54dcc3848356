import datetime

from django.core.management.base import BaseCommand, CommandError

from portail.core import clock
from portail.documents import services


class Command(BaseCommand):
    help = (
        "Daily job of the supporting documents: mark expired documents « périmé », warn the "
        "families some days before, remove files of rolled-back uploads. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD); default: today.")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        day = day or clock.today()
        expired = services.expire_documents(day)
        warned = services.warn_expiring(day)
        orphans = services.remove_orphan_files(clock.now() - datetime.timedelta(days=1))
        self.stdout.write(
            f"{day}: {expired} document(s) expired, {warned} family warning(s), "
            f"{orphans} orphan file(s) removed."
        )
