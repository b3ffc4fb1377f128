"""On PostgreSQL, an index of the characters of each household's searched text and of each resident's name
(core.lists.contains, ``characters_indexed``): a search of one or two characters, which no trigram index serves, finds
its rows there instead of reading the text of every household or name in view (a county's 300,000 households and
million residents against a township's 15,000 and 50,000)."""

from django.db import migrations

# (index, table, column)
INDEXES = [
    ("households_household_search_chars", "households_household", "search_text"),
    ("households_resident_name_chars", "households_resident", "name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table, column in INDEXES:
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                                  f'USING gin ((string_to_array("{column}", NULL)))')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _table, _column in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("households", "0023_grid_tag_tally")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
