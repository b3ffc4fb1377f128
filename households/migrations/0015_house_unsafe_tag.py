from django.db import migrations


def seed(apps, schema_editor):
    from households.tags import ensure_tags

    ensure_tags(apps.get_model("households", "Tag"))


class Migration(migrations.Migration):
    """The 住房不安全 tag that monitoring's housing checks set and clear (households/tags.py)."""

    dependencies = [("households", "0014_visit_order_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
