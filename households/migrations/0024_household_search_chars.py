"""On PostgreSQL, an index of the characters of each household's searched text (households/filters.py): a search of one
or two characters, which no trigram index serves, finds its households by the index instead of reading the text of
every household in view (a county's 300,000 against a township's 15,000)."""

from django.db import migrations

INDEX = "households_household_search_chars"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "households_household" '
                              'USING gin ((string_to_array("search_text", NULL)))')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("households", "0023_grid_tag_tally")]

    operations = [migrations.RunPython(create_index, drop_index)]
