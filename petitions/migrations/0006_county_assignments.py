"""Mark the 包案 of the petitions registered at the county as cases of the county (their overdue escalation
reaches the county's leaders)."""

from django.db import migrations


def mark_county_cases(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Assignment = apps.get_model("casework", "ResponsibilityAssignment")
    Petition = apps.get_model("petitions", "Petition")
    case_type = ContentType.objects.filter(app_label="petitions", model="petition").first()
    if case_type is None:  # a new database: no assignment yet
        return
    at_county = Petition.objects.filter(registered_by__role__in=["county_staff", "county_leader"]).values("pk")
    Assignment.objects.filter(case_type=case_type, case_id__in=at_county).update(at_county=True)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("petitions", "0005_not_accepted"),
        ("casework", "0004_assignment_at_county"),
    ]

    operations = [
        migrations.RunPython(mark_county_cases, migrations.RunPython.noop),
    ]
