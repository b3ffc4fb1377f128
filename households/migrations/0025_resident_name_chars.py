"""On PostgreSQL, an index of the characters of each resident's name (core.lists.contains): a one- or two-character
name search, which no trigram index serves, finds its residents there instead of reading every name in view (a
county's million residents against a township's 50,000)."""

from django.db import migrations

INDEX = "households_resident_name_chars"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "households_resident" '
                              'USING gin ((string_to_array("name", NULL)))')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("households", "0024_household_search_chars")]

    operations = [migrations.RunPython(create_index, drop_index)]
