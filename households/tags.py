"""The special groups (特殊群体) every township starts with. Reference data: ensured after every migrate and
flush, so that tests which truncate tables find them too."""

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
    # Set and cleared by monitoring's housing checks (鉴定等级 C/D, then A/B): a care cadence of its own.
    ("house-unsafe", "住房不安全", "poverty_watch", True),
]


def ensure_tags(tag_model=None) -> None:
    if tag_model is None:
        from .models import Tag as tag_model
    existing = set(tag_model.objects.values_list("code", flat=True))
    tag_model.objects.bulk_create(
        tag_model(code=code, name=name, category=category, applies_to_households=for_households, sort_order=order)
        for order, (code, name, category, for_households) in enumerate(TAGS)
        if code not in existing
    )
