"""`make bench-import`: 12,000 families with their children and opening balances, imported from
generated files (the « Arpège » mapping of docs/import/) into an empty PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import python -m bench.import_bench

Measures the dry run and the confirmed run of each file (the task's work, in this process), then
checks the ledger. The target: the confirmed runs of the town in under 2 minutes.
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

LEVELS = ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"]
SCHOOLS = ["École du Chef-Lieu", "École de Malagny", "École de Veigy"]
FIRST = ["Léa", "Hugo", "Chloé", "Noël", "Inès", "Théo", "Zoé", "Maël", "Anaïs", "Jérôme"]
LAST = ["Martin", "Lefèvre", "Müller", "Gaël", "Dubois", "Périer", "Nguyen", "Bernard"]


def generate(families: int, seed: int = 17) -> tuple[bytes, bytes]:
    """The households' and the children's files, Arpège-like (Windows-1252, « ; »)."""
    rng = random.Random(seed)
    households, children = io.StringIO(), io.StringIO()
    h = csv.writer(households, delimiter=";")
    c = csv.writer(children, delimiter=";")
    h.writerow(
        ["N° famille", "Nom famille", "Adresse", "Complément", "CP", "Ville", "QF", "Solde",
         "Date solde", "Nom resp. 1", "Prénom resp. 1", "Lien resp. 1", "Courriel resp. 1",
         "Tél. resp. 1", "Nom resp. 2", "Prénom resp. 2", "Courriel resp. 2"]
    )  # fmt: skip
    c.writerow(["N° enfant", "N° famille", "Nom", "Prénom", "Né(e) le", "École", "Niveau", "PAI",
                "Allergies"])  # fmt: skip
    child = 0
    for n in range(1, families + 1):
        last = f"{rng.choice(LAST)}{n}"
        balance = f"{rng.randint(-3000, 20000) / 100:.2f}".replace(".", ",")
        email = f"parent{n}@example.org" if rng.random() < 0.9 else ""
        second = rng.random() < 0.6
        h.writerow(
            [f"F{n:06d}", f"Famille {last}", f"{n} rue des Écoles", "", "74580", "Viry",
             rng.randint(300, 2500), balance, "31/08/2026", last, rng.choice(FIRST), "Mère",
             email, "06 12 34 56 78", last if second else "", rng.choice(FIRST) if second else "",
             f"second{n}@example.org" if second else ""]
        )  # fmt: skip
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            child += 1
            born = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 2900))
            c.writerow(
                [f"E{child:07d}", f"F{n:06d}", last, rng.choice(FIRST), born.strftime("%d/%m/%Y"),
                 rng.choice(SCHOOLS), rng.choice(LEVELS), "Oui" if rng.random() < 0.05 else "Non",
                 "arachide" if rng.random() < 0.03 else ""]
            )  # fmt: skip
    return households.getvalue().encode("cp1252"), children.getvalue().encode("cp1252")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=12000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from portail.families.models import Household, School
    from portail.imports import execution, services
    from portail.imports.models import ImportRun

    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    if Household.objects.exists():
        sys.exit("The benchmark needs an empty database (make bench-import recreates it).")
    for name in SCHOOLS:
        School.objects.get_or_create(name=name)
    with open("docs/import/arpege.json", encoding="utf-8") as f:
        mapping = services.load_mapping_file(json.load(f))

    t0 = time.perf_counter()
    households, children = generate(args.families)
    results = {"families": args.families, "generate_s": round(time.perf_counter() - t0, 1)}
    total_confirmed = 0.0
    for kind, name, content in (
        ("households", "familles.csv", households),
        ("children", "enfants.csv", children),
    ):
        run = ImportRun(mapping=mapping, kind=kind, file_name=name)
        run.file.save(name, SimpleUploadedFile(name, content), save=False)
        run.save()
        t0 = time.perf_counter()
        run = execution.execute(run.pk, confirm=False)
        dry = time.perf_counter() - t0
        assert run.status == "checked", (run.status, run.error, run.counts)
        ImportRun.objects.filter(pk=run.pk).update(status="running")
        t0 = time.perf_counter()
        run = execution.execute(run.pk, confirm=True)
        real = time.perf_counter() - t0
        assert run.status == "done", (run.status, run.error, run.counts)
        total_confirmed += real
        results[kind] = {"lines": run.total, "dry_run_s": round(dry, 1), "import_s": round(real, 1)}
        print(f"{kind}: {run.total} lines, dry run {dry:.1f} s, import {real:.1f} s", flush=True)
    t0 = time.perf_counter()
    call_command("check_ledger")
    results["check_ledger_s"] = round(time.perf_counter() - t0, 1)
    results["confirmed_total_s"] = round(total_confirmed, 1)
    print(json.dumps(results, ensure_ascii=False))
    if total_confirmed >= 120:
        sys.exit(f"Too slow: {total_confirmed:.0f} s for the confirmed runs (target < 120 s)")


if __name__ == "__main__":
    main()
