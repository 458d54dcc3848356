"""Django's `flush`, able to empty the sealed tables on SQLite.

SQLite empties a table with DELETE, which the seal triggers refuse (PostgreSQL uses TRUNCATE,
which is not a DELETE event). Emptying the whole database is an owner's operation (the test
runner between transactional tests, a developer resetting the demo), not a change of records:
the `sealed_*` triggers are dropped, the tables emptied and the triggers put back, in one
transaction. Nothing else lifts them."""

from django.core.management.commands import flush
from django.db import connections, transaction


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND name LIKE 'sealed\\_%' ESCAPE '\\'"
                )
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            try:
                super().handle(**options)
            finally:
                with connection.cursor() as cursor:
                    for _name, sql in triggers:
                        cursor.execute(sql)
