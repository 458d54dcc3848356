# The agenda's closed day was `Closure`, which read like the account's `ClosureRequest`
# (issue 16): the model is now `ClosedDay`. Same rows, table renamed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0005_french_admin_labels"),
        ("families", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="Closure", new_name="ClosedDay"),
        migrations.AlterField(
            model_name="closedday",
            name="school",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="closed_days",
                to="families.school",
                verbose_name="school",
            ),
        ),
    ]
