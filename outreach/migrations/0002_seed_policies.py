"""The policies a township explains to start with; kept as data, editable in the admin."""

from django.db import migrations

POLICIES = [
    ("medical-insurance", "医保缴费"), ("pension", "城乡居民养老保险"), ("anti-relapse", "防返贫监测帮扶"),
    ("anti-fraud", "防范电信网络诈骗"), ("forest-fire", "森林防火"), ("electricity", "安全用电"),
    ("drowning", "防溺水"), ("anti-drug", "禁毒"), ("law", "法律法规（民法典）"), ("land", "土地政策"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("outreach", "Policy")
    for position, (code, name) in enumerate(POLICIES, start=1):
        Policy.objects.get_or_create(code=code, defaults={"name": name, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
