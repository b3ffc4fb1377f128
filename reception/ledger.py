"""领导接访台账 and 领导接访情况统计表 (per leader, for a month) as one .xlsx, always Chinese (papers sent upwards)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from casework.models import ResponsibilityAssignment
from core.masking import mask_id_number
from core.sheets import LedgerSheet, chinese_date, workbook_bytes
from households.exports import XLSX_TYPE, neutralise

from .models import Leader, Reception, Session

OUTCOME_ZH = {
    "": "未办结", "answered": "当场答复", "petition": "转为信访件", "dispute": "转为矛盾纠纷", "demand": "转为诉求",
    "referred": "交办", "return_visit": "预约再访",
}
LEDGER_COLUMNS = [
    ("序号", 5), ("接访日期", 12), ("接访领导", 14), ("来访人", 12), ("身份证号", 20), ("村（社区）", 9), ("人数", 6),
    ("反映问题", 34), ("领导批示", 20), ("办理方式", 10), ("交办单位", 12), ("办结时限", 12), ("办理结果", 16),
]
STATS_COLUMNS = [
    ("接访领导", 10), ("职务", 12), ("排班场次", 8), ("到岗场次", 8), ("到岗率", 8), ("接访人次", 8), ("当场解决", 8),
    ("转信访", 8), ("转纠纷", 8), ("交办", 8), ("按期办结", 8), ("按期办结率", 10),
]


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def _assignments(receptions) -> dict[int, ResponsibilityAssignment]:
    ids = [r.pk for r in receptions if r.outcome == Reception.Outcome.REFERRED]
    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(Reception)
    return {a.case_id: a for a in ResponsibilityAssignment.objects.filter(case_type=ct, case_id__in=ids)}


def _on_time(assignment, today) -> bool:
    if assignment.closed_at is not None:
        return timezone.localdate(assignment.closed_at) <= assignment.deadline
    return False


def ledger_rows(receptions, assignments):
    for n, r in enumerate(receptions, start=1):
        a = assignments.get(r.pk)
        leaders = "、".join(f"{leader.name}" for leader in r.session.leaders.all())
        result = r.answer or (f"预约{chinese_date(r.return_on)}再访" if r.return_on else "")
        if a is not None:
            result = "已办结" if not a.is_open else "办理中"
        yield [n, chinese_date(r.session.date), leaders, r.visitor_name, mask_id_number(r.visitor_id_number),
               r.village.name if r.village else "", r.head_count, r.request, r.instruction,
               OUTCOME_ZH.get(r.outcome, r.outcome), a.responsible_unit if a else "",
               chinese_date(a.deadline) if a else "", result]


def leader_stats(sessions, receptions, assignments, today):
    """Per leader: sessions scheduled and held, walk-ins at their sessions and what became of them."""
    rows: dict[int, Counter] = defaultdict(Counter)
    leaders: dict[int, Leader] = {}
    for s in sessions:
        for leader in s.leaders.all():
            leaders[leader.pk] = leader
            rows[leader.pk]["scheduled"] += 1
            rows[leader.pk]["held"] += s.status == Session.Status.HELD
    for r in receptions:
        for leader in r.session.leaders.all():
            c = rows[leader.pk]
            leaders[leader.pk] = leader
            c["walk_ins"] += 1
            c[r.outcome or "none"] += 1
            a = assignments.get(r.pk)
            if a is not None:
                c["on_time"] += _on_time(a, today)
    result = []
    for pk, leader in sorted(leaders.items(), key=lambda item: item[1].name):
        c = rows[pk]
        rate = f"{c['held'] / c['scheduled']:.0%}" if c["scheduled"] else "—"
        on_time = f"{c['on_time'] / c['referred']:.0%}" if c["referred"] else "—"
        result.append([leader.name, leader.post, c["scheduled"], c["held"], rate, c["walk_ins"], c["answered"],
                       c["petition"], c["dispute"], c["referred"], c["on_time"], on_time])
    return result


def build_xlsx(*, user, month: dt.date) -> bytes:
    from openpyxl import Workbook

    first, last = month_bounds(month)
    leaders = Prefetch("leaders", queryset=Leader.objects.order_by("name"))
    sessions = list(Session.objects.visible_to(user).filter(date__range=(first, last)).prefetch_related(leaders))
    receptions = list(Reception.objects.visible_to(user).filter(session__date__range=(first, last))
                      .select_related("session", "village").prefetch_related(
                          Prefetch("session__leaders", queryset=Leader.objects.order_by("name")))
                      .order_by("session__date", "received_at"))
    assignments = _assignments(receptions)
    unit = user.township.name if user.township_id else ""
    period = f"{first.year}年{first.month}月"
    wb = Workbook()
    ws = wb.active
    ws.title = "领导接访台账"
    sheet = LedgerSheet(ws, headers=[h for h, _w in LEDGER_COLUMNS], widths=[w for _h, w in LEDGER_COLUMNS],
                        left={8, 9, 13})
    sheet.head(title=f"{unit}领导接访台账", unit=f"填报单位：{unit}（盖章）", period=period)
    for values in ledger_rows(receptions, assignments):
        sheet.row([neutralise(v) for v in values])
    if not sheet.count:
        sheet.empty_line("本期无来访登记。")
    sheet.total([(1, 2, "合计"), (3, len(LEDGER_COLUMNS), f"共接待来访{sheet.count}批")])
    sheet.signatures(["审核人：", f"填报人：{user}", f"填报日期：{chinese_date(timezone.localdate())}"])
    sheet.finish()
    ws2 = wb.create_sheet("领导接访情况统计表")
    stats = LedgerSheet(ws2, headers=[h for h, _w in STATS_COLUMNS], widths=[w for _h, w in STATS_COLUMNS])
    stats.head(title=f"{unit}领导接访情况统计表", unit=f"填报单位：{unit}（盖章）", period=period)
    for values in leader_stats(sessions, receptions, assignments, timezone.localdate()):
        stats.row(values)
    if not stats.count:
        stats.empty_line("本期无接访安排。")
    stats.signatures(["审核人：", f"填报人：{user}", f"填报日期：{chinese_date(timezone.localdate())}"])
    stats.finish()
    return workbook_bytes(wb)


def xlsx_response(*, user, month: dt.date) -> HttpResponse:
    response = HttpResponse(build_xlsx(user=user, month=month), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"领导接访台账-{month:%Y-%m}.xlsx")
    return response
