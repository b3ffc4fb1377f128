"""The field catalogue (领域), from seed 004 and 均坪镇's list; kept as data, editable in the admin."""

from django.db import migrations

FIELDS = [
    ("fire", "用火用电/消防"), ("gas", "燃气"), ("traffic", "道路交通"), ("self-built", "农村自建房"),
    ("fireworks", "烟花爆竹"), ("food-drugs", "食品药品"), ("mining", "非煤矿山"), ("equipment", "特种设备"),
    ("forest-fire", "森林防火"), ("geology", "地质灾害"), ("drowning", "防溺水"), ("environment", "人居环境"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    HazardField = apps.get_model("hazards", "HazardField")
    for position, (code, name) in enumerate(FIELDS, start=1):
        HazardField.objects.update_or_create(code=code, defaults={"name": name, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
