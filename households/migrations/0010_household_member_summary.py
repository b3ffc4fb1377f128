"""The members' count, names and tags kept on the household (households/summary.py), filled in for every household."""

from django.db import migrations, models

from households.summary import refresh_with

TRIGRAM_INDEX = "households_household_member_names_trgm"


def fill(apps, schema_editor):
    Household, Resident, Tag = (apps.get_model("households", name) for name in ("Household", "Resident", "Tag"))
    refresh_with(Household, Resident, Tag, Household.objects.values_list("pk", flat=True).iterator())


def create_index(apps, schema_editor):
    # As migration 0006's: a search of three characters or more (``icontains``) reads it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{TRIGRAM_INDEX}" ON "households_household" '
                              'USING gin ((UPPER("member_names"::text)) gin_trgm_ops)')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{TRIGRAM_INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("households", "0009_tag_filter_indexes")]

    operations = [
        migrations.AddField("household", "member_count",
                            models.PositiveIntegerField(default=0, editable=False, verbose_name="members")),
        migrations.AddField("household", "member_names", models.TextField(blank=True, default="", editable=False)),
        migrations.AddField("household", "tag_ids", models.TextField(blank=True, default="", editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
