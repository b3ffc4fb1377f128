# The heartbeat table, made in governance (governance_heartbeat), now core's: state only, no table changes.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables are there already, under the names they were made with: only Django's idea of them moves.
            state_operations=[
                migrations.CreateModel(
                    name='Heartbeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=32, unique=True)),
                        ('at', models.DateTimeField()),
                    ],
                    options={
                        'verbose_name': 'heartbeat',
                        'verbose_name_plural': 'heartbeats',
                        'db_table': 'governance_heartbeat',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
