from django.db import migrations, models

from portail.families import search


def fill_search_keys(apps, schema_editor):
    """The search key of every existing household (families.search), in chunks."""
    models = [apps.get_model("families", name) for name in ("Household", "Adult", "Child", "Contact")]
    ids = list(models[0].objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        stale = search.stale_keys(models, ids[start : start + 1000])
        models[0].objects.bulk_update(stale, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("families", "0005_contact_options")]

    operations = [
        migrations.AddField(
            model_name="household",
            name="search_key",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]
