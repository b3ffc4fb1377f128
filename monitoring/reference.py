"""The reference data monitoring starts with: types, risk kinds, measure categories and monitoring lines. Data, not
code: an administrator edits them as policy moves. Ensured by the data migration and after every migrate and flush
(tests that truncate tables find them too); existing rows are never changed."""

# (code, name, watch tag code)
TYPES = [
    ("unstable", "脱贫不稳定户", "watch-unstable"),
    ("edge", "边缘易致贫户", "watch-edge"),
    ("sudden", "突发严重困难户", "watch-sudden"),
]
RISKS = [
    ("illness", "因病"), ("disability", "因残"), ("schooling", "因学"), ("disaster", "因灾"),
    ("accident", "因意外事故"), ("business", "因产业项目失败"), ("employment", "因务工就业不稳"),
    ("labour", "缺劳动力"), ("housing", "住房安全"), ("water", "饮水安全"), ("other", "其他"),
]
# (code, name, parent code)
CATEGORIES = [
    ("industry", "产业", None),
    ("employment", "就业", None),
    ("migrant-work", "务工", "employment"), ("public-job", "公益性岗位", "employment"),
    ("training", "技能培训", "employment"), ("yulu", "雨露计划", "employment"),
    ("health", "健康医疗", None), ("education", "教育", None), ("housing", "住房", None), ("water", "饮水", None),
    ("guarantee", "综合保障", None),
    ("dibao", "低保", "guarantee"), ("tekun", "特困", "guarantee"), ("temporary-relief", "临时救助", "guarantee"),
    ("disability-allowance", "残疾人两项补贴", "guarantee"),
    ("finance", "金融", None), ("social", "社会帮扶", None), ("other", "其他", None),
]
LINES = [(2024, "8800.00"), (2025, "8800.00"), (2026, "9000.00")]


def ensure_reference(apps=None) -> None:
    get = apps.get_model if apps else _model
    MonitoringType, RiskKind = get("monitoring", "MonitoringType"), get("monitoring", "RiskKind")  # noqa: N806
    MeasureCategory, MonitoringLine = get("monitoring", "MeasureCategory"), get("monitoring", "MonitoringLine")  # noqa: N806
    have = set(MonitoringType.objects.values_list("code", flat=True))
    MonitoringType.objects.bulk_create(MonitoringType(code=c, name=n, tag_code=t, sort_order=i)
                                       for i, (c, n, t) in enumerate(TYPES) if c not in have)
    have = set(RiskKind.objects.values_list("code", flat=True))
    RiskKind.objects.bulk_create(RiskKind(code=c, name=n, sort_order=i) for i, (c, n) in enumerate(RISKS)
                                 if c not in have)
    for i, (code, name, parent) in enumerate(CATEGORIES):
        if not MeasureCategory.objects.filter(code=code).exists():
            MeasureCategory.objects.create(
                code=code, name=name, sort_order=i,
                parent=MeasureCategory.objects.get(code=parent) if parent else None)
    have = set(MonitoringLine.objects.values_list("year", flat=True))
    MonitoringLine.objects.bulk_create(MonitoringLine(year=y, amount=a) for y, a in LINES if y not in have)


def _model(app_label, name):
    from django.apps import apps

    return apps.get_model(app_label, name)
