"""The 安全隐患 part of a round's statistics workbook (casework/rounds_sheet.py): a sheet 分领域分村统计, a block of
rows per village — one per field (the round's fields, and any other field a hazard was found in) and the village's
小计 — with 排查户（处）数, 发现, 已整改, 整改率, 逾期 and 零报告. Nine columns print one page wide on A4 landscape,
however many fields the round names. Always Chinese (literal here). Registered from ``HazardsConfig.ready``."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from casework.models import Campaign
from casework.rectification import RECTIFIED_STATUSES, RectificationStatus
from casework.rounds_sheet import SheetSection, register_sheet_section

from .models import Hazard, HazardField

TITLE = "安全隐患排查整治分领域统计表"
HEADS = ["序号", "村（社区）", "领域", "排查户（处）数", "发现隐患数", "已整改", "整改率", "逾期未整改", "零报告"]
GROUPS = [("隐患整改情况", 5, 8)]
WIDTHS = (6, 16, 16, 14, 12, 10, 10, 12, 10)


def _rate(done: int, found: int) -> str:
    return f"{done * 100.0 / found:.1f}%" if found else "—"


def counts(*, lines, user, today=None) -> dict[tuple[int, int], dict]:
    """(village id, field id) → found, rectified, overdue: the hazards ``user`` sees linked to ``lines``. One query."""
    today = today or timezone.localdate()
    rows = (Hazard.objects.visible_to(user).filter(found_in_return__in=[r.pk for r in lines]).order_by()
            .values("found_in_return__village", "field")
            .annotate(found=Count("pk"), rectified=Count("pk", filter=Q(status__in=RECTIFIED_STATUSES)),
                      overdue=Count("pk", filter=Q(status=RectificationStatus.RECTIFYING, deadline__lt=today))))
    return {(r["found_in_return__village"], r["field"]): r for r in rows}


def section(*, campaign: Campaign, lines, user) -> SheetSection:
    found = counts(lines=lines, user=user)
    named = list(HazardField.objects.filter(name__in=campaign.topics)) if campaign.topics else []
    others = HazardField.objects.filter(pk__in={f for _v, f in found}).exclude(pk__in=[f.pk for f in named])
    fields = sorted({*named, *others}, key=lambda f: (f.position, f.pk))
    villages: dict[int, list] = defaultdict(list)
    for line in lines:
        villages[line.village_id].append(line)
    body, index = [], 0
    grand = {"checked": 0, "found": 0, "rectified": 0, "overdue": 0, "zero": 0}
    for village_id, own in sorted(villages.items(), key=lambda item: item[1][0].village.name):
        name = own[0].village.name
        submitted = [r for r in own if r.submitted_at is not None]
        checked = sum(r.checked_count or 0 for r in submitted)
        zero = sum(r.zero_report for r in submitted)
        sub = {"found": 0, "rectified": 0, "overdue": 0}
        for field in fields:
            c = found.get((village_id, field.pk), {"found": 0, "rectified": 0, "overdue": 0})
            index += 1
            body.append([index, name, field.name, "", c["found"], c["rectified"], _rate(c["rectified"], c["found"]),
                         c["overdue"], ""])
            for key in sub:
                sub[key] += c[key]
        body.append(["", name, "小计", checked if submitted else None, sub["found"], sub["rectified"],
                     _rate(sub["rectified"], sub["found"]), sub["overdue"], f"{zero}份" if submitted else "未报"])
        grand["checked"] += checked
        grand["zero"] += zero
        for key in sub:
            grand[key] += sub[key]
    body.append(["合计", f"{len(villages)}个村", "", grand["checked"], grand["found"], grand["rectified"],
                 _rate(grand["rectified"], grand["found"]), grand["overdue"], f"{grand['zero']}份"])
    return SheetSection(title=TITLE, heads=HEADS, widths=WIDTHS, groups=GROUPS, rows=body)


def register() -> None:
    register_sheet_section(Campaign.Kind.HAZARDS, section)
