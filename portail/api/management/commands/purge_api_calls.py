from django.core.management.base import BaseCommand

from portail.api.services import purge_calls
from portail.core import clock


class Command(BaseCommand):
    help = "Delete the partner API's call log older than API_CALL_LOG_DAYS (daily job)."

    def handle(self, *args, **options):
        count = purge_calls(clock.now())
        self.stdout.write(f"{count} API call(s) purged.")
