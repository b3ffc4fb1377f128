from django.db import migrations


def load(apps, schema_editor):
    from standards import loader

    loader.load(apps.get_model("standards", "DataElement"), apps.get_model("standards", "CodeValue"))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
