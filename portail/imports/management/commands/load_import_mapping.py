import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portail.imports.services import load_mapping_file


class Command(BaseCommand):
    help = "Load (or update) a saved column mapping from a JSON file, e.g. docs/import/arpege.json."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, paths, **options):
        for path in paths:
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
                mapping = load_mapping_file(data)
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            self.stdout.write(f"{mapping.name}: loaded")
