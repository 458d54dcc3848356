from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portail.core.systemd import units


class Command(BaseCommand):
    help = (
        "Write the systemd units of the web server, the task worker and every periodic job "
        "(from portail/core/jobs.py) into deploy/systemd; --check only compares."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / "deploy" / "systemd"))
        parser.add_argument("--check", action="store_true", help="Fail when the files differ.")

    def handle(self, *args, output, check=False, **options):
        folder = Path(output)
        wanted = units()
        present = {p.name for p in folder.glob("portail-*")} if folder.is_dir() else set()
        stale = sorted(present - set(wanted))
        differ = sorted(
            name
            for name, text in wanted.items()
            if not (folder / name).is_file() or (folder / name).read_text() != text
        )
        if check:
            if stale or differ:
                raise CommandError(f"out of date: {', '.join(differ + stale)}")
            self.stdout.write("deploy/systemd matches the job registry.")
            return
        folder.mkdir(parents=True, exist_ok=True)
        for name in stale:
            (folder / name).unlink()
        for name in differ:
            (folder / name).write_text(wanted[name])
        self.stdout.write(f"{len(differ)} written, {len(stale)} removed in {folder}.")
