"""Papers of monitoring, always in Chinese: the 防止返贫监测对象台账 (.xlsx), the rows of the 纳入/消除 公示名单
(name and village only: never ID number, phone, bank account or health, as county rules require) and, in
templates/monitoring/plan_print.html, the 一户一策帮扶计划表."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from core.sheets import LedgerSheet, chinese_date, workbook_bytes
from households.exports import XLSX_TYPE, neutralise

from .models import SecurityCheck

LANGUAGE = "zh-hans"
COLUMNS = [
    ("序号", 5, False), ("编号", 13, False), ("村（社区）", 9, False), ("户主", 8, False), ("人数", 5, False),
    ("监测类型", 12, False), ("风险类型", 16, True), ("识别日期", 12, False),
    ("计划", 6, False), ("已落实", 6, False), ("三保障及饮水", 16, True), ("状态", 10, False),
    ("消除日期", 12, False), ("是否录入国家系统", 8, False),
]
EMPTY_TEXT = "暂无防止返贫监测对象。"
#: What a 公示名单 row carries: nothing else, ever.
PUBLICITY_FIELDS = ("index", "village", "name", "members", "type")


def _cases(queryset):
    return (queryset.select_related("household", "village", "type")
            .prefetch_related("risk_kinds", "measures",
                              Prefetch("checks", queryset=SecurityCheck.objects.order_by("-checked_on", "-pk")))
            .order_by("found_on", "number"))


def ledger_rows(queryset):
    for index, c in enumerate(_cases(queryset), start=1):
        measures = list(c.measures.all())
        checks = list(c.checks.all())
        problems = checks[0].problems if checks else None
        yield [
            index, c.number, c.village.name, c.household.head_name, c.members, c.type.name,
            "、".join(r.name for r in c.risk_kinds.all()), chinese_date(c.found_on),
            len(measures), sum(1 for m in measures if m.done_on),
            "未检查" if problems is None else ("、".join(problems) + "存在问题" if problems else "均有保障"),
            c.get_status_display(), chinese_date(c.eliminated_on), "是" if c.national_entered_on else "否",
        ]


def build_ledger(*, queryset, township_name: str) -> bytes:
    from openpyxl import Workbook

    with translation.override(LANGUAGE):
        wb = Workbook()
        ws = wb.active
        ws.title = "防止返贫监测对象台账"
        sheet = LedgerSheet(ws, headers=[h for h, _w, _l in COLUMNS], widths=[w for _h, w, _l in COLUMNS],
                            groups=[(9, 10, "帮扶措施")],
                            left={i for i, (_h, _w, left) in enumerate(COLUMNS, start=1) if left})
        sheet.head(title=f"{township_name}防止返贫监测对象台账", unit=f"填报单位：{township_name}（盖章）",
                   period=f"截至：{chinese_date(timezone.localdate())}")
        for values in ledger_rows(queryset):
            sheet.row([neutralise(v) for v in values])
        if not sheet.count:
            sheet.empty_line(EMPTY_TEXT)
        sheet.total([(1, 2, "合计"), (3, len(COLUMNS), f"共{sheet.count}户")])
        sheet.signatures(["审核人：", "填报人：", f"填报日期：{chinese_date(timezone.localdate())}"])
        sheet.finish()
        return workbook_bytes(wb)


def ledger_response(*, queryset, township_name: str) -> HttpResponse:
    response = HttpResponse(build_ledger(queryset=queryset, township_name=township_name), content_type=XLSX_TYPE)
    name = f"防止返贫监测对象台账-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def publicity_rows(cases) -> list[dict]:
    """Name and village (and household size and type): the only things a 公示名单 shows."""
    with translation.override(LANGUAGE):
        return [dict(zip(PUBLICITY_FIELDS, (i, c.village.name, c.household.head_name, c.members, c.type.name),
                         strict=True))
                for i, c in enumerate(cases, start=1)]
