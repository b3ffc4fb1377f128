"""Fill the new grid of the disputes' responsibility assignments (包案) from their disputes."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_grid(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Assignment = apps.get_model("governance", "ResponsibilityAssignment")
    Dispute = apps.get_model("disputes", "Dispute")
    case_type = ContentType.objects.filter(app_label="disputes", model="dispute").first()
    if case_type is None:  # a new database: no assignment yet
        return
    grid = Dispute.objects.filter(pk=OuterRef("case_id")).values("grid_id")[:1]
    Assignment.objects.filter(case_type=case_type).update(grid_id=Subquery(grid))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("disputes", "0002_version"),
        ("governance", "0008_assignment_grid"),
    ]

    operations = [
        migrations.RunPython(fill_grid, migrations.RunPython.noop),
    ]
