"""The dashboard's figures alone (without the whole `bench.run`), on a seeded database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_lists .venv/bin/python -m bench.dashboard

Writes them under `dashboard` of the town's size key in bench/results.json."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main():
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.core.signals import request_started
    from django.db import reset_queries

    from bench.measures import dashboard
    from bench.run import RESULTS
    from portail.families.models import Household

    request_started.disconnect(reset_queries)
    families = Household.objects.count()
    figures = dashboard(user=None, families=families)
    figures["families"] = families
    figures["command"] = "python -m bench.dashboard " + " ".join(sys.argv[1:])
    label = sys.argv[1] if len(sys.argv) > 1 else "12000"
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored.setdefault(label, {})["dashboard"] = figures
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
