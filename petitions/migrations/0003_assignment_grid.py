"""Fill the new grid of the petitions' responsibility assignments (包案): the grid of the petition's household
(none for a petition of the village alone)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_grid(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Assignment = apps.get_model("governance", "ResponsibilityAssignment")
    Petition = apps.get_model("petitions", "Petition")
    case_type = ContentType.objects.filter(app_label="petitions", model="petition").first()
    if case_type is None:  # a new database: no assignment yet
        return
    grid = Petition.objects.filter(pk=OuterRef("case_id")).values("household__grid_id")[:1]
    Assignment.objects.filter(case_type=case_type).update(grid_id=Subquery(grid))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("petitions", "0002_version"),
        ("governance", "0008_assignment_grid"),
    ]

    operations = [
        migrations.RunPython(fill_grid, migrations.RunPython.noop),
    ]
