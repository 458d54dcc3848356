import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portail.core import clock
from portail.core.seeding import SeedTown, app_steps


class Command(BaseCommand):
    help = "Build a synthetic town of N families (benchmarks, load tests). Adds to what exists."

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, required=True)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--year", type=int, help="School year (default: the current one).")

    def handle(self, *args, **options):
        started = time.monotonic()
        today = clock.today()
        town = SeedTown(
            rng=random.Random(options["seed"]),
            year=options["year"] or clock.school_year_of(today),
            today=today,
            now=clock.now(),
        )
        total = sum(1 for c in apps.get_app_configs() if c.name.startswith("portail."))
        steps = app_steps("seed")

        def progress(text):
            elapsed = time.monotonic() - started
            self.stdout.write(f"[{elapsed:6.1f}s] {text}")
            self.stdout.flush()

        town.progress = progress
        with transaction.atomic():
            for config, module in steps:
                index = list(apps.get_app_configs()).index(config)
                progress(f"{config.label} ({index + 1}/{total})…")
                module.seed(town, options["families"])
        progress(self.style.SUCCESS(f"done: {options['families']} families"))
