"""A round's statistics sheet (排查情况统计表) as .xlsx, in the layout of the dispute ledger (disputes/ledger.py): a
title row, the period, two header rows with merged cells, one row per village (or grid), a total, and the
填报单位 / 填报人 / 填报日期 row. It is a paper sent upwards, so it is always Chinese (literal here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.sheets import print_as_ledger, workbook_bytes
from governance.reporting import reporting_unit

from .models import Campaign, Return

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: (caption, first column, last column) of the header cells that span several columns; 1-based.
GROUPS = [("上报情况", 7, 9)]
HEADS = ["序号", "村（社区）", "网格", "排查户（处）数", "发现问题数", "零报告", "上报时间", "按时/逾期", "上报人"]
WIDTHS = (6, 16, 12, 14, 12, 8, 18, 12, 12)
STATE_WORDS = {
    Return.State.ON_TIME: "按时", Return.State.LATE: "逾期", Return.State.SILENT: "逾期未报",
    Return.State.PENDING: "未到期",
}


def rows(lines: list[Return]) -> list[list]:
    out = []
    for index, r in enumerate(lines, start=1):
        submitted = r.submitted_at is not None
        out.append([
            index, r.village.name, r.grid.name if r.grid_id else "", r.checked_count if submitted else None,
            r.found if submitted else None, ("是" if r.zero_report else "否") if submitted else "",
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if submitted else "",
            STATE_WORDS[r.current_state], str(r.submitted_by) if submitted else "",
        ])
    return out


def totals(lines: list[Return]) -> list:
    submitted = [r for r in lines if r.submitted_at is not None]
    on_time = sum(not r.is_late for r in submitted)
    return ["合计", f"{len(lines)}个", "", sum(r.checked_count or 0 for r in submitted),
            sum(r.found for r in submitted), f"{sum(r.zero_report for r in submitted)}个", f"已报{len(submitted)}个",
            f"按时{on_time}个", ""]


def sheet_title(campaign: Campaign) -> str:
    return f"{campaign.title}{'情况统计表' if campaign.title.endswith('排查') else '排查情况统计表'}"


def filer_unit(campaign: Campaign, user) -> str:
    return reporting_unit(user) or campaign.township.name


@dataclass
class SheetSection:
    """A further sheet of a round's workbook, offered by a case type for its kind of round
    (``register_sheet_section``): its own header cells, widths and body rows; casework writes it in the same layout
    (title, period, two header rows, body, 填报 row). ``groups``: (caption, first column, last column), 1-based."""

    title: str
    heads: list[str]
    widths: tuple
    rows: list[list]
    groups: list[tuple[str, int, int]] = field(default_factory=list)


_SECTIONS: dict[str, list[Callable]] = defaultdict(list)


def register_sheet_section(kind: str, build: Callable) -> None:
    """Let a case type add a sheet to the statistics workbook of its kind of round: ``build(campaign=, lines=,
    user=)`` returns a ``SheetSection`` (or None). casework imports no case type: they register from ``ready()``."""
    if build not in _SECTIONS[kind]:
        _SECTIONS[kind].append(build)


def sheet_sections(*, campaign: Campaign, lines: list[Return], user) -> list[SheetSection]:
    built = (build(campaign=campaign, lines=lines, user=user) for build in _SECTIONS.get(campaign.kind, ()))
    return [section for section in built if section is not None]


def _write(ws, *, campaign: Campaign, title: str, heads: list[str], widths, groups, body: list[list], user) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    last = len(heads)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.cell(1, 1, f"{campaign.township.name}{title}")
    ws.cell(1, 1).font = Font(size=16, bold=True)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 30
    period = (f"排查类别：{KIND_WORDS[campaign.kind]}　排查时间：{campaign.starts_on:%Y-%m-%d}至{campaign.ends_on:%Y-%m-%d}"
              f"　上报截止：{campaign.returns_due:%Y-%m-%d}")
    if campaign.topics:
        period += f"　排查内容：{'、'.join(campaign.topics)}"
    ws.cell(2, 1, period)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)

    grouped = set()
    for caption, first, end in groups:
        ws.cell(3, first, caption)
        ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=end)
        grouped |= set(range(first, end + 1))
    for col, head in enumerate(heads, start=1):
        if col in grouped:
            ws.cell(4, col, head)
        else:
            ws.cell(3, col, head)
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for row in (3, 4):
        for col in range(1, last + 1):
            ws.cell(row, col).font = Font(bold=True)
            ws.cell(row, col).alignment = centre
            ws.cell(row, col).border = border

    row_no = 4
    for row_no, values in enumerate(body, start=5):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row_no, col, value)
            cell.border = border
            cell.alignment = centre
    ws.cell(row_no, 1).font = Font(bold=True)

    filer_row = row_no + 2
    third = max(1, last // 3)
    for first, end, text in (
        (1, third, f"填报单位：{filer_unit(campaign, user)}"),
        (third + 1, 2 * third, f"填报人：{user}"),
        (2 * third + 1, last, f"填报日期：{timezone.localdate().isoformat()}"),
    ):
        ws.cell(filer_row, first, text)
        ws.merge_cells(start_row=filer_row, start_column=first, end_row=filer_row, end_column=end)

    print_as_ledger(ws, widths)


def build_xlsx(*, campaign: Campaign, lines: list[Return], user) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "排查情况统计表"
    _write(ws, campaign=campaign, title=sheet_title(campaign), heads=HEADS, widths=WIDTHS, groups=GROUPS,
           body=[*rows(lines), totals(lines)], user=user)
    for section in sheet_sections(campaign=campaign, lines=lines, user=user):
        _write(wb.create_sheet(section.title[:31]), campaign=campaign, title=section.title, heads=section.heads,
               widths=section.widths, groups=section.groups, body=section.rows, user=user)
    return workbook_bytes(wb)


KIND_WORDS = {Campaign.Kind.HAZARDS: "安全隐患", Campaign.Kind.DISPUTES: "矛盾纠纷", Campaign.Kind.POVERTY: "防返贫"}


def sheet_response(*, campaign: Campaign, lines: list[Return], user) -> HttpResponse:
    body = build_xlsx(campaign=campaign, lines=lines, user=user)
    response = HttpResponse(body, content_type=XLSX_TYPE)
    name = f"{sheet_title(campaign)}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
