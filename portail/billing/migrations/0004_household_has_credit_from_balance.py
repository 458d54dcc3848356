"""Billing keeps `Household.has_credit` (balance above zero) from now on: set it for the
households whose account is already in credit."""

from django.db import migrations


def forwards(apps, schema_editor):
    Household = apps.get_model("families", "Household")
    PrepaidAccount = apps.get_model("billing", "PrepaidAccount")
    credited = PrepaidAccount.objects.filter(balance__gt=0).values("household_id")
    Household.objects.filter(pk__in=credited).update(has_credit=True)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_cash_receipt_identity_cashier_balance"),
        ("families", "0002_household_has_credit"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
