"""Indexes for finding petitioners by the last digits of their ID number or phone (core/numbersearch.py): a btree on the
reversed number, whose prefix is the number's end. PostgreSQL only (the SQLite of ``make run`` needs none)."""

from django.db import migrations

INDEXES = [
    ("petitions_petitioner_id_tail", "petitions_petitioner", "id_number", ""),
    ("petitions_petitioner_phone_tail", "petitions_petitioner", "phone", ""),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column, where in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" (REVERSE("{column}") text_pattern_ops) {where}')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_rest in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_county_assignments")]
    operations = [migrations.RunPython(create, drop)]
