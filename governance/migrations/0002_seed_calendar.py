from django.db import migrations

FIRST_YEAR = 2024


def seed(apps, schema_editor):
    from governance.workdays import calendar_rows_from_package

    CalendarDay = apps.get_model("governance", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name)
        for day, kind, name in calendar_rows_from_package(FIRST_YEAR)
        if day not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
