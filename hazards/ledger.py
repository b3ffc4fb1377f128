"""安全隐患排查整治台账 and 重大隐患挂牌督办表 as .xlsx in the official layout of the dispute ledger: a title row with
the township and the period, two header rows with merged cells, the rows, and the 填报单位 / 填报人 / 填报日期 row.

Papers sent upwards are always in Chinese whatever the UI language: the text here is literal Chinese, and the
choice labels are read under ``translation.override("zh-hans")``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from casework.models import ResponsibilityAssignment
from core.sheets import chinese_date, print_as_ledger, workbook_bytes
from governance.reporting import reporting_unit
from households.exports import XLSX_TYPE, neutralise

from .models import Hazard

LANGUAGE = "zh-hans"

#: (caption, [column captions]) — a group of one column is merged over both header rows.
LEDGER_HEADERS = [
    ("序号", None), ("编号", None), ("排查日期", None), ("村/网格", None), ("地点或户", None), ("领域", None),
    ("隐患描述", None), ("等级", None), ("责任主体/责任人", None),
    ("整改情况", ["整改措施", "整改时限", "包案领导/责任单位", "整改完成日期"]),
    ("复查销号", ["复查人/日期/结论", "销号日期"]),
    ("备注", None),
]
LEDGER_WIDTHS = (6, 14, 11, 16, 16, 12, 36, 8, 18, 30, 11, 20, 11, 24, 11, 16)

SUPERVISION_HEADERS = [
    ("序号", None), ("编号", None), ("村/网格", None), ("领域", None), ("隐患描述", None), ("责任主体", None),
    ("五落实", ["整改措施", "责任人", "整改资金", "整改时限", "应急预案"]),
    ("挂牌督办", ["包案领导", "责任单位", "督办等级", "上报日期"]),
    ("状态", None),
]
SUPERVISION_WIDTHS = (6, 14, 16, 12, 30, 16, 28, 10, 12, 11, 24, 10, 14, 10, 11, 10)


def _queryset(queryset):
    return (
        queryset.select_related("village", "grid", "field", "household", "control_plan")
        .prefetch_related(
            Prefetch("assignments", queryset=ResponsibilityAssignment.objects.select_related("lead")),
            "rectifications", Prefetch("rechecks", to_attr="checks"),
        )
        .order_by("found_on", "number")
    )


def _place(h: Hazard) -> str:
    parts = [str(h.household)] if h.household_id else []
    if h.place:
        parts.append(h.place)
    return " ".join(parts)


def _recheck_text(h: Hazard) -> str:
    return "；".join(f"{c.by} {c.on:%Y-%m-%d} {'合格' if c.passed else '不合格'}" for c in h.checks)


def _remark(h: Hazard) -> str:
    notes = []
    if h.status == Hazard.Status.TRANSFERRED:
        notes.append(f"已移交{h.transferred_to}（回执：{h.transfer_receipt}）")
    elif h.status == Hazard.Status.CONTROLLED:
        notes.append(f"管控中：{h.control_note}")
    elif h.status != Hazard.Status.CLOSED:
        notes.append(str(h.get_status_display()))
    if h.round > 1:
        notes.append(f"第{h.round}轮整改")
    if h.is_overdue:
        notes.append("逾期")
    return "；".join(notes)


def ledger_rows(queryset) -> Iterator[list]:
    with translation.override(LANGUAGE):
        for index, h in enumerate(_queryset(queryset), start=1):
            a = h.assignment
            rectifications = list(h.rectifications.all())
            last = rectifications[-1] if rectifications else None
            yield [
                index, h.number, h.found_on, f"{h.village.name}/{h.grid.name}", _place(h), h.field.name,
                " ".join(h.description.split()), str(h.get_grade_display()),
                f"{h.get_party_kind_display()}：{h.party_name}",
                last.measures if last else h.requirement, h.deadline,
                f"{a.lead}/{a.responsible_unit}" if a else "", last.done_on if last else None,
                _recheck_text(h), h.closed_at.date() if h.closed_at else None, _remark(h),
            ]


def supervision_rows(queryset) -> Iterator[list]:
    with translation.override(LANGUAGE):
        for index, h in enumerate(_queryset(queryset), start=1):
            a = h.assignment
            plan = getattr(h, "control_plan", None)
            yield [
                index, h.number, f"{h.village.name}/{h.grid.name}", h.field.name, " ".join(h.description.split()),
                h.party_name, plan.measures if plan else "", plan.owner if plan else "", plan.funds if plan else "",
                plan.time_limit if plan else None, plan.contingency if plan else "",
                str(a.lead) if a else "", a.responsible_unit if a else "",
                str(a.get_supervision_level_display()) if a and a.supervision_level else "",
                plan.reported_up_on if plan else None, str(h.get_status_display()),
            ]


def _period(start, end) -> str:
    if not start and not end:
        return "排查时段：全部"
    return f"排查时段：{chinese_date(start) if start else '…'}至{chinese_date(end) if end else '…'}"


def build_sheet(*, title: str, subtitle: str, headers, widths, rows, user, sheet_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    last = sum(len(cols) if cols else 1 for _cap, cols in headers)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)

    ws.cell(1, 1, title).font = Font(size=16, bold=True)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, subtitle)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)

    col = 1
    for caption, cols in headers:
        if cols:
            ws.cell(3, col, caption)
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(cols) - 1)
            for offset, sub in enumerate(cols):
                ws.cell(4, col + offset, sub)
            col += len(cols)
        else:
            ws.cell(3, col, caption)
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            col += 1
    for row in (3, 4):
        for c in range(1, last + 1):
            cell = ws.cell(row, c)
            cell.font = Font(bold=True)
            cell.alignment = centre
            cell.border = border

    row_no = 4
    for row_no, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row_no, c, neutralise(value))
            cell.border = border
            cell.alignment = wrap if isinstance(value, str) and len(value) > 12 else centre
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"

    filer_row = row_no + 2
    third = max(1, last // 3)
    for first, end_col, text in (
        (1, third, f"填报单位：{reporting_unit(user)}"),
        (third + 1, 2 * third, f"填报人：{user}"),
        (2 * third + 1, last, f"填报日期：{timezone.localdate().isoformat()}"),
    ):
        ws.cell(filer_row, first, text)
        ws.merge_cells(start_row=filer_row, start_column=first, end_row=filer_row, end_column=end_col)
    print_as_ledger(ws, widths)
    return workbook_bytes(wb)


def _response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}-{timezone.localdate().isoformat()}.xlsx")
    return response


def build_ledger(*, queryset, user, start=None, end=None) -> bytes:
    township = user.township.name if user.township_id else ""
    return build_sheet(title=f"{township}安全隐患排查整治台账", subtitle=_period(start, end), headers=LEDGER_HEADERS,
                       widths=LEDGER_WIDTHS, rows=ledger_rows(queryset), user=user, sheet_name="隐患台账")


def ledger_response(*, queryset, user, start=None, end=None) -> HttpResponse:
    return _response(build_ledger(queryset=queryset, user=user, start=start, end=end), "安全隐患排查整治台账")


def build_supervision(*, queryset, user) -> bytes:
    township = user.township.name if user.township_id else ""
    return build_sheet(title=f"{township}重大隐患挂牌督办表", subtitle=f"截至{timezone.localdate():%Y年%m月%d日}",
                       headers=SUPERVISION_HEADERS, widths=SUPERVISION_WIDTHS, rows=supervision_rows(queryset),
                       user=user, sheet_name="挂牌督办")


def supervision_response(*, queryset, user) -> HttpResponse:
    return _response(build_supervision(queryset=queryset, user=user), "重大隐患挂牌督办表")
