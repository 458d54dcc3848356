from django.core.management.base import BaseCommand

from portail.agenda.services import sync_holiday_closures
from portail.core import clock
from portail.core.models import TownSettings


class Command(BaseCommand):
    help = "Store the public and school holidays of a school year as closed days (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="School year's first year (default: current).")

    def handle(self, *args, **options):
        year = options["year"] or clock.school_year_of(clock.today())
        zone = TownSettings.current().school_zone
        created = sync_holiday_closures(year, zone)
        self.stdout.write(f"{created} closed day(s) added for {year}-{year + 1} ({zone}).")
