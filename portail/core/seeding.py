"""Synthetic town for benchmarks and load tests: `manage.py seed_town --families N`.

Fast on PostgreSQL (COPY) and correct on SQLite (bulk_create). Deterministic for a seed.
Each area adds its part through `portail/<app>/seed.py::seed(town)`, called in app order.
"""

import contextlib
import dataclasses
import datetime
import importlib
import random

from django.apps import apps
from django.db import connection
from django.db.models import Max
from psycopg import sql

from portail.core import clock


@dataclasses.dataclass
class SeedTown:
    """What the seeding steps share."""

    rng: random.Random
    year: int  # school year's first year
    today: datetime.date
    now: datetime.datetime
    household_ids: list[int] = dataclasses.field(default_factory=list)
    # The adult of each household (in household_ids' order) who holds its account:
    # (adult_id, first name, last name, e-mail); families' step fills it, accounts' reads it.
    account_holders: list[tuple[int, str, str, str]] = dataclasses.field(default_factory=list)
    user_ids: list[int] = dataclasses.field(default_factory=list)  # the holders' accounts
    # (child_id, household_id, school_id, birth_date)
    children: list[tuple[int, int, int, datetime.date]] = dataclasses.field(default_factory=list)
    # Weekly habits booked by the agenda step: (child_id, household_id, activity_id, days)
    habits: list[tuple[int, int, int, list]] = dataclasses.field(default_factory=list)
    progress: object = None

    def step(self, text: str):
        if self.progress:
            self.progress(text)


def app_steps(module: str):
    """(app config, module) of each portal app that has `<app>/<module>.py` (`demo`, `seed`),
    in INSTALLED_APPS order, which follows the apps' layers (ARCHITECTURE.md)."""
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("portail."):
            continue
        try:
            steps.append((config, importlib.import_module(f"{config.name}.{module}")))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module}":
                raise
    return steps


def copy_rows(model, fields: list[str], rows) -> int:
    """Insert many rows fast: COPY on PostgreSQL, bulk_create elsewhere. Returns the count."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = [f'"{model._meta.get_field(f).column}"' for f in fields]
        with connection.cursor() as cursor, _without_foreign_key_triggers(cursor):
            raw = cursor.cursor  # psycopg 3 cursor
            with raw.copy(
                f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    model.objects.bulk_create(objs, batch_size=2000)
    return len(rows)


@contextlib.contextmanager
def _without_foreign_key_triggers(cursor):
    """Seeded rows reference ids the seeder just wrote: skip PostgreSQL's per-row foreign-key
    triggers (deferred to the commit, they cost more than the COPY itself). Needs a superuser,
    as the benchmark databases have; otherwise the checks run as usual."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    superuser = cursor.fetchone()[0]
    if superuser:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = origin")


def max_id(model) -> int:
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def reset_sequences(*models):
    """After COPY with explicit ids, move PostgreSQL's sequences past them."""
    if connection.vendor != "postgresql":
        return
    query = sql.SQL(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {}), 1))"
    )
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.cursor.execute(query.format(sql.Identifier(table)), [f'"{table}"'])


def analyze(*models):
    """Fresh planner statistics after a bulk load: without them PostgreSQL guesses row counts
    from an empty table and picks plans that are seconds slow."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def today_default() -> datetime.date:
    return clock.today()
