import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from portail.core import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of core.jobs when due, in a loop (started by `make run`; "
        "production uses the systemd timers of deploy/systemd). Several schedulers may run: "
        "each (job, slot) runs once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="Seconds between passes.")
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(self, *args, interval=30, once=False, **options):
        self.stopping = False
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while not self.stopping:
            try:
                for run in services.run_all_due(trigger="scheduler"):
                    self.stdout.write(f"{run.job} [{run.slot:%Y-%m-%d %H:%M}]: {run.outcome}")
            except DatabaseError:
                if once:
                    raise
                # The database is away (restart, network): try again at the next pass.
                logger.exception("scheduler pass failed")
            if once:
                break
            slept = 0.0
            while slept < interval and not self.stopping:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            # Like a request's end: drop a connection the database closed meanwhile.
            close_old_connections()

    def _stop(self, *args):
        self.stopping = True
