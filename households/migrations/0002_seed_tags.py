from django.db import migrations

# (code, Chinese name, category, applies to households)
TAGS = [
    ("elderly-alone", "独居老人", "special", False),
    ("elderly-left-behind", "留守老人", "special", False),
    ("children-left-behind", "留守儿童", "special", False),
    ("disabled", "残疾人", "special", False),
    ("subsistence", "低保/特困", "special", True),
    ("veteran", "退役军人", "special", False),
    ("watch-unstable", "脱贫不稳定户", "poverty_watch", True),
    ("watch-edge", "边缘易致贫户", "poverty_watch", True),
    ("watch-sudden", "突发严重困难户", "poverty_watch", True),
    ("focus-prestige", "有威信的", "focus", False),
    ("focus-disciplined", "受过党纪法规处理的", "focus", False),
    ("focus-policy-doubts", "对落实政策有疑议的", "focus", False),
    ("focus-relocation", "征地拆迁户", "focus", True),
    ("focus-poor", "生活贫困户", "focus", True),
]


def seed(apps, schema_editor):
    Tag = apps.get_model("households", "Tag")
    for order, (code, name, category, for_households) in enumerate(TAGS):
        Tag.objects.update_or_create(
            code=code,
            defaults={"name": name, "category": category, "applies_to_households": for_households, "sort_order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
