# What moved out of governance (to casework and core) leaves its state here; no table changes. Run after the data migrations that read the assignment as governance's.

import django.db.models.deletion
from django.db import migrations, models


MOVED = {"casework": ("responsibilityassignment", "reminder", "notification", "notificationpreference"),
         "core": ("heartbeat",)}


def move_content_types(apps, schema_editor):
    """The content types (and with them permissions and admin log entries) follow their models to the new app. Where
    the new app has its own already (made by a ``get_for_model`` before this ran), the old one is left alone."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        for model in models:
            if not content_type.objects.filter(app_label=app_label, model=model).exists():
                content_type.objects.filter(app_label="governance", model=model).update(app_label=app_label)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('petitions', '0003_assignment_grid'),
        ('disputes', '0003_assignment_grid'),
        ('core', '0001_initial'),
        ('casework', '0001_initial'),
        ('governance', '0009_calendaryear'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables are there already, under the names they were made with: only Django's idea of them moves.
            state_operations=[
                migrations.DeleteModel(
                    name='Heartbeat',
                ),
                migrations.RemoveField(
                    model_name='notificationpreference',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='case_type',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='grid',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='lead',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='supervised_by',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='township',
                ),
                migrations.RemoveField(
                    model_name='responsibilityassignment',
                    name='village',
                ),
                migrations.AlterField(
                    model_name='historicalresponsibilityassignment_team',
                    name='responsibilityassignment',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.responsibilityassignment'),
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='NotificationPreference',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
                migrations.DeleteModel(
                    name='ResponsibilityAssignment',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
