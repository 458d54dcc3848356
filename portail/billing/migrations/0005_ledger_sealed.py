"""Seal the money records in the database: ledger entries, cash receipts and tax certificates
are insert-only (a trigger refuses UPDATE and DELETE), authors are PROTECTed and their name is
copied on the entry. See docs/billing.md « Sealed ledger »."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SEALED = ["billing_ledgerentry", "billing_cashreceipt", "billing_taxcertificate"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION portail_refuse_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: this record is sealed (insert-only)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def seal(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, None)  # no parameters: its % are PL/pgSQL's
        for table in SEALED:
            schema_editor.execute(
                f"CREATE TRIGGER sealed_{table} BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION portail_refuse_sealed()"
            )
    elif vendor == "sqlite":
        # Trigger names start with "sealed_": the `flush` command (billing) lifts them while it
        # empties every table, and only then.
        for table in SEALED:
            for event in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER sealed_{table}_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{event} on {table} refused: this record is "
                    "sealed (insert-only)'); END"
                )


def unseal(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in SEALED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS sealed_{table} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS portail_refuse_sealed()")
    elif vendor == "sqlite":
        for table in SEALED:
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS sealed_{table}_{event}")


def copy_author_names(apps, schema_editor):
    """Entries written before the name was copied get it now (before the seal)."""
    LedgerEntry = apps.get_model("billing", "LedgerEntry")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    authors = LedgerEntry.objects.exclude(author=None).values_list("author_id", flat=True)
    for user in User.objects.filter(pk__in=authors.distinct()):
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        LedgerEntry.objects.filter(author=user).update(author_name=name[:255])


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_household_has_credit_from_balance"),
        ("families", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="author_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="author's name"),
        ),
        migrations.AlterField(
            model_name="cashreceipt",
            name="issued_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="author",
            ),
        ),
        migrations.AlterField(
            model_name="prepaidaccount",
            name="household",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="prepaid_account",
                to="families.household",
            ),
        ),
        migrations.RunPython(copy_author_names, migrations.RunPython.noop),
        migrations.RunPython(seal, unseal),
    ]
