from django.db import migrations


def seed(apps, schema_editor):
    from households.tags import ensure_tags

    ensure_tags(apps.get_model("households", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
