"""The members' count, the searched text and the tags kept on the household (households/summary.py), filled in for every
household; on PostgreSQL, the trigram index of the searched text."""

from django.db import migrations, models

from households.summary import refresh_with

# (name, index expression): a trigram index for searches of three characters or more (``icontains``, as migration
# 0006's).
INDEXES = [("households_household_search_trgm", 'gin ((UPPER("search_text"::text)) gin_trgm_ops)')]


def fill(apps, schema_editor):
    Household, Resident, Tag = (apps.get_model("households", name) for name in ("Household", "Resident", "Tag"))
    refresh_with(Household, Resident, Tag, Household.objects.values_list("pk", flat=True).iterator())


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in INDEXES:
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "households_household" USING {expression}')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _expression in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("households", "0009_tag_filter_indexes")]

    operations = [
        migrations.AddField("household", "member_count",
                            models.PositiveIntegerField(default=0, editable=False, verbose_name="members")),
        migrations.AddField("household", "search_text", models.TextField(blank=True, default="", editable=False)),
        migrations.AddField("household", "tag_ids", models.TextField(blank=True, default="", editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
