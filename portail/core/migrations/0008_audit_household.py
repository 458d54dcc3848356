

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_french_admin_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='household_id',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='family'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['household_id', '-at'], name='audit_household_at'),
        ),
    ]
