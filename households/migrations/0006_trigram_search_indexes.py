"""Trigram indexes for the registry's text search (``icontains`` becomes ``UPPER(col) LIKE UPPER('%…%')``).

PostgreSQL only: the embedded SQLite of ``make run`` has no pg_trgm and needs none at demo size."""

from django.db import migrations

INDEXES = [
    ("households_household_head_name_trgm", "households_household", "head_name"),
    ("households_household_address_trgm", "households_household", "address"),
    ("households_household_house_number_trgm", "households_household", "house_number"),
    ("households_resident_name_trgm", "households_resident", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("households", "0005_version")]
    operations = [migrations.RunPython(create, drop)]
