"""The monthly report as a workbook: one sheet, the title, the reporting unit and period, then each part's tables,
A4 portrait, one page wide, the title rows repeated. Chinese whatever the UI language, like every official paper."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core.sheets import print_as_ledger, workbook_bytes

from .registry import Figure

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"


def _cell(ws, row: int, col: int, value, *, bold=False, box=True, align="center"):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = Font(name=FONT, size=11, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if box:
        cell.border = BOX
    return cell


def _value(figure: Figure):
    return figure.value


def report_workbook(*, title: str, unit: str, period_label: str, made_on: str, parts, numerals) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    width = max([len(t.columns) for p in parts for t in p.tables] or [2])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    head = _cell(ws, 1, 1, f"{title}（{period_label}）", bold=True, box=False)
    head.font = Font(name=FONT, size=16, bold=True)
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    _cell(ws, 2, 1, f"报送单位：{unit}（盖章）　　报送日期：{made_on}", box=False, align="left")
    row = 4
    for number, part in zip(numerals, parts, strict=False):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        text = "".join(str(s) for s in part.sentence)
        _cell(ws, row, 1, f"{number}、{part.heading}。{text}", bold=not text, box=False, align="left")
        if text:
            ws.row_dimensions[row].height = 18 * (1 + len(text) // 45)
        row += 1
        for table in part.tables:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(table.columns))
            _cell(ws, row, 1, table.caption, bold=True, box=False)
            row += 1
            for col, name in enumerate(table.columns, start=1):
                _cell(ws, row, col, name, bold=True)
            row += 1
            lines = [*table.rows, *([table.total] if table.total else [])]
            for label, figures in lines:
                _cell(ws, row, 1, label, align="left", bold=label == "合计")
                for col, figure in enumerate(figures, start=2):
                    _cell(ws, row, col, _value(figure))
                row += 1
            row += 1
    _cell(ws, row, 1, "填报人：", box=False, align="left")
    _cell(ws, row, 3, "审核人：", box=False, align="left")
    _cell(ws, row, 5, "联系电话：", box=False, align="left")
    print_as_ledger(ws, [18] + [12] * (width - 1), frozen="A3", title_rows="1:2")
    ws.page_setup.orientation = "portrait"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    return workbook_bytes(wb)
