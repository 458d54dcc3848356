import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or refresh) the demo town « Viry ». Idempotent: run it as often as you like."

    def handle(self, *args, **options):
        # Each app may ship a `demo.py` with `load(stdout)`; they run in INSTALLED_APPS order,
        # which follows the apps' dependencies.
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("portail."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo town loaded."))
