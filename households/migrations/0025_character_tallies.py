"""Each grid's households by character of their searched text (``GridCharTally``) and each township's residents by
character of their name (``TownshipNameTally``), households/tally.py: the household and resident lists searched for one
character count their matches from these instead of reading every one (a county's 10,450 households and 10,625
residents for 王)."""

import django.db.models.deletion
from django.db import migrations, models

from households import tally

KINDS = ("characters", "names")


def install(apps, schema_editor):
    """The triggers that keep the tallies by character, then every grid and township counted once (PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        for statement in tally.install_keyed_sql(kind):
            schema_editor.execute(statement)
        schema_editor.execute(tally.backfill_keyed_sql(kind))


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        for statement in tally.uninstall_sql(kind=kind):
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0012_messenger_ids"),
        ("households", "0024_search_characters"),
    ]

    operations = [
        migrations.CreateModel(
            name="GridCharTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("character", models.CharField(max_length=1, verbose_name="character")),
                ("households", models.IntegerField(default=0, verbose_name="households")),
                ("grid", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                           to="governance.grid", verbose_name="grid")),
            ],
            options={
                "verbose_name": "grid tally by character",
                "verbose_name_plural": "grid tallies by character",
                "constraints": [models.UniqueConstraint(fields=("character", "grid"), include=("households",),
                                                        name="households_gridchartally_one")],
            },
        ),
        migrations.CreateModel(
            name="TownshipNameTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("character", models.CharField(max_length=1, verbose_name="character")),
                ("residents", models.IntegerField(default=0, verbose_name="residents")),
                ("township", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                               to="governance.township", verbose_name="township")),
            ],
            options={
                "verbose_name": "township tally by character of names",
                "verbose_name_plural": "township tallies by character of names",
                "constraints": [models.UniqueConstraint(fields=("character", "township"), include=("residents",),
                                                        name="households_townshipnametally_one")],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
