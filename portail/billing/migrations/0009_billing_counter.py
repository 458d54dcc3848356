"""DocumentCounter becomes BillingCounter and its `kind` its `series` (`kind` has other
meanings). The counter is not a sealed table: no trigger to reinstall after SQLite rebuilds."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0008_french_admin_labels"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="documentcounter", name="counter_unique_kind_year"),
        migrations.RenameModel(old_name="DocumentCounter", new_name="BillingCounter"),
        migrations.RenameField(model_name="billingcounter", old_name="kind", new_name="series"),
        migrations.AddConstraint(
            model_name="billingcounter",
            constraint=models.UniqueConstraint(
                fields=("series", "year"), name="counter_unique_series_year"
            ),
        ),
    ]
