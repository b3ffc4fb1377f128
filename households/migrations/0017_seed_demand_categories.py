"""The demand categories (诉求类别), kept as data, editable in the admin."""

from django.db import migrations

CATEGORIES = [
    ("policy", "政策咨询"), ("income", "就业增收"), ("social-security", "社会保障"), ("medical", "医疗卫生"),
    ("education", "教育"), ("housing", "住房安全"), ("infrastructure", "水电路等基础设施"),
    ("environment", "人居环境"), ("land", "土地山林"), ("dispute", "矛盾调处"), ("other", "其他"),
]


def seed(apps, schema_editor):
    DemandCategory = apps.get_model("households", "DemandCategory")
    for position, (code, name) in enumerate(CATEGORIES, start=1):
        DemandCategory.objects.update_or_create(code=code, defaults={"name": name, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("households", "0016_demands_on_rectification_engine")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
