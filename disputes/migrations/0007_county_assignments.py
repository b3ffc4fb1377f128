"""Mark the 包案 of the disputes already at the county level as cases of the county (their overdue escalation
reaches the county's leaders)."""

from django.db import migrations


def mark_county_cases(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Assignment = apps.get_model("casework", "ResponsibilityAssignment")
    Dispute = apps.get_model("disputes", "Dispute")
    case_type = ContentType.objects.filter(app_label="disputes", model="dispute").first()
    if case_type is None:  # a new database: no assignment yet
        return
    at_county = Dispute.objects.filter(level="county").values("pk")
    Assignment.objects.filter(case_type=case_type, case_id__in=at_county).update(at_county=True)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("disputes", "0006_closing_outcome_and_closeouts"),
        ("casework", "0004_assignment_at_county"),
    ]

    operations = [
        migrations.RunPython(mark_county_cases, migrations.RunPython.noop),
    ]
