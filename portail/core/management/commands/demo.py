from django.core.management.base import BaseCommand
from django.db import transaction

from portail.core.seeding import app_steps


class Command(BaseCommand):
    help = "Load (or refresh) the demo town « Viry ». Idempotent: run it as often as you like."

    def handle(self, *args, **options):
        # Each app may ship a `demo.py` with `load(stdout)`; they run in INSTALLED_APPS order.
        with transaction.atomic():
            for _config, module in app_steps("demo"):
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo town loaded."))
