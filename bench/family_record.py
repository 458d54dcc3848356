"""The agents' family record and global search on a seeded town (issue 13, item 1):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_record \\
        python -m bench.family_record --families 12000

Seeds the database to the asked size when it is smaller, then, as an agent with Django's test
client (no network): the median latency and SQL queries of the heaviest family's record (most
children and bookings), and of searches by a common first name (« lea »: many families, the
first 50 shown), a surname, a rare name, a phone number written with dots, an e-mail. Written to
bench/results.json under « family_record ». `bench.run` runs the same measure.
"""

import argparse
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=12000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command

    from bench.measures import family_record
    from bench.run import RESULTS
    from portail.families.models import Household

    call_command("migrate", verbosity=0)
    have = Household.objects.filter(name__regex=r"^Famille .* \d+$").count()
    if have < args.families:
        call_command("seed_town", families=args.families - have)
    results = family_record(None, args.families, repeat=args.repeat)
    results["command"] = f"python -m bench.family_record --families {args.families}"
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored["family_record"] = results
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
