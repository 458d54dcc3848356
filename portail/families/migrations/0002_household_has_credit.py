from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="has_credit",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="prepaid account in credit"
            ),
        ),
    ]
