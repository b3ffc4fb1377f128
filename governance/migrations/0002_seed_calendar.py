from django.db import migrations


def seed(apps, schema_editor):
    from governance.workdays import ensure_calendar

    ensure_calendar(apps.get_model("governance", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
