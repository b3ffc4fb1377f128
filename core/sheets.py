"""The page of an official ledger (台账) exported to Excel: A4 landscape, one page wide, the title rows repeated on
every printed page, the header frozen on screen."""

from __future__ import annotations

import io

from openpyxl.utils import get_column_letter


def print_as_ledger(ws, widths, *, frozen: str = "A5", title_rows: str = "3:4") -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = frozen
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
