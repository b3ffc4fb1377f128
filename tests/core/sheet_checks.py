"""What a clerk notices on an exported paper, asserted with openpyxl: the print setup, the widths, the frozen header,
the CJK font, rows as tall as their text."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.sheets import CJK_FONT, PAGE_FOOTER, lines_needed


def workbook_of(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body))


def in_english(client: Client) -> Client:
    """One click on "English", as a user would."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def assert_prints_right(ws, *, frozen: str, title_rows: str | None, landscape: bool = True) -> None:
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.freeze_panes == frozen
    if title_rows:
        assert ws.print_title_rows == title_rows
    assert ws.oddFooter.center.text == PAGE_FOOTER
    widths = [ws.column_dimensions[c].width for c in _letters(ws)]
    assert all(w and w >= 4 for w in widths), widths


def assert_cjk_font_everywhere(ws) -> None:
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value not in (None, "")}
    assert fonts == {CJK_FONT}, fonts


def assert_rows_fit_their_text(ws, first: int, last: int) -> None:
    """Every cell's text fits in its row's height at its column's width."""
    widths = {c: ws.column_dimensions[c].width for c in _letters(ws)}
    merged_tails = {(cell.row, cell.column) for r in ws.merged_cells.ranges for cell in _cells(ws, r)[1:]}
    for row in range(first, last + 1):
        assert ws.row_dimensions[row].height, f"row {row} has no height"
        for cell in ws[row]:
            if cell.value in (None, "") or (cell.row, cell.column) in merged_tails:
                continue
            rows, cols = [row], [cell.column]
            for r in ws.merged_cells.ranges:
                if r.min_row == row and r.min_col == cell.column:
                    rows, cols = range(r.min_row, r.max_row + 1), range(r.min_col, r.max_col + 1)
            height = sum(ws.row_dimensions[r].height or 15 for r in rows)
            width = sum(widths[get_column_letter(c)] for c in cols)
            assert height >= 14 * lines_needed(cell.value, width), (row, cell.coordinate, cell.value, height)


def _cells(ws, cell_range):
    return [ws.cell(r, c) for r in range(cell_range.min_row, cell_range.max_row + 1)
            for c in range(cell_range.min_col, cell_range.max_col + 1)]


def _letters(ws):
    return [get_column_letter(c) for c in range(1, ws.max_column + 1)]
