from django.db import migrations


def seed(apps, schema_editor):
    from monitoring.reference import ensure_reference

    ensure_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
