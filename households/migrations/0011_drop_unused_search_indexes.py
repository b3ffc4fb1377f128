"""Indexes no query reads since the household carries its searched text and tags (migration 0010): a township's
residents by key (the tag filter's, migration 0009) and, on PostgreSQL, the trigram indexes of a household's head, house
number and address (migration 0006; the search and the admin read ``search_text`` and its index). Each was written on
every import and edit. (Measured on the bench's township: no scan of any of them over every page.)"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("households_household_head_name_trgm", "head_name"),
    ("households_household_address_trgm", "address"),
    ("households_household_house_number_trgm", "house_number"),
]


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _column in TRIGRAM_INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in TRIGRAM_INDEXES:
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "households_household" '
                                  f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


class Migration(migrations.Migration):
    dependencies = [("households", "0010_household_member_summary")]

    operations = [
        migrations.RemoveIndex(model_name="resident", name="households_resident_town_id"),
        migrations.RunPython(drop_trigram_indexes, create_trigram_indexes),
    ]
