import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    # Existing addresses keep working: their token's SHA-256 (as core.tokens.hash_token) is kept.
    CalendarFeed = apps.get_model("agenda", "CalendarFeed")
    for feed in CalendarFeed.objects.all():
        feed.token_hash = hashlib.sha256(feed.token.encode("utf-8")).hexdigest()
        feed.save(update_fields=["token_hash"])


def forget_feeds(apps, schema_editor):
    # Going back: the plain tokens cannot be recovered; parents create new addresses.
    apps.get_model("agenda", "CalendarFeed").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("agenda", "0002_calendar_feed"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.RunPython(migrations.RunPython.noop, forget_feeds),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
