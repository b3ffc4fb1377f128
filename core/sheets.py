"""The page of an official paper exported to Excel (台账, 花名册, any list): A4, one page wide, the title rows repeated
on every printed page, the header frozen on screen, 第 N 页 共 M 页 in the footer, a CJK font, and rows as tall as
their text.

Row heights: a spreadsheet does not grow a wrapped row when a program writes it, and LibreOffice and Excel print a row
without a height at one line, so the rest of the text runs over the next rows. The height is worked out here from
the text and the column's width: a CJK character takes two width units, other characters one (a column width is
counted in digits of the default font)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl.utils import get_column_letter

#: The font of every paper: 宋体 on the clerk's Windows machine; LibreOffice on Linux takes a CJK font for it
#: (fonts-noto-cjk).
CJK_FONT = "宋体"
BODY_SIZE = 10
#: Points per line of text at ``BODY_SIZE``, and the room above and below it in a cell.
LINE_POINTS = 14.5
ROW_PADDING = 4
PAGE_FOOTER = "第 &P 页 共 &N 页"
PAPERSIZE_A4 = "9"  # Worksheet.PAPERSIZE_A4 (a write-only sheet does not carry the constant)
#: A column never wider than this (a wrapped column rather than a page of one column).
MAX_WIDTH = 48


def print_as_ledger(ws, widths, *, frozen: str | None = "A5", title_rows: str | None = "3:4",
                    landscape: bool = True, footer: str = PAGE_FOOTER) -> None:
    set_widths(ws, widths)
    if frozen:
        ws.freeze_panes = frozen
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.footer = 0.3
    if footer:
        # HeaderFooter rather than ws.oddFooter: a write-only sheet has only the former.
        ws.HeaderFooter.oddFooter.center.text = footer
        ws.HeaderFooter.oddFooter.center.size = BODY_SIZE
        ws.HeaderFooter.oddFooter.center.font = CJK_FONT


def set_widths(ws, widths: Iterable[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def workbook_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Text and its room -------------------------------------------------------------------------------------


def text_width(text: str) -> int:
    """Width in column units: a CJK (or any non-ASCII) character two, an ASCII one. UTF-8 gives it at C speed: an
    ASCII character is one byte, a CJK character three."""
    return (len(text.encode("utf-8")) + len(text)) // 2


def lines_needed(value, width: float) -> int:
    """How many lines ``value`` takes, wrapped in a column ``width`` units wide (a little narrower than the column:
    the cell has margins, and a line breaks before a character that does not fit)."""
    if value is None or value == "":
        return 1
    text = value if isinstance(value, str) else display_text(value)
    room = max(2.0, width - 1.5)
    lines = 0
    for paragraph in text.split("\n"):
        full = text_width(paragraph)
        if full <= room:
            lines += 1
            continue
        lines += _wrapped(paragraph, room)
    return max(1, lines)


def _wrapped(paragraph: str, room: float) -> int:
    lines, used = 1, 0
    for char in paragraph:
        w = 1 if char < "\u0080" else 2
        if used + w > room:
            lines, used = lines + 1, 0
        used += w
    return lines


def row_height(values: Sequence, widths: Sequence[float], *, size: float = BODY_SIZE, min_lines: int = 1) -> float:
    """The height (points) of a row whose cells wrap: the tallest cell's lines."""
    lines = max([min_lines, *(lines_needed(v, w) for v, w in zip(values, widths, strict=False))])
    return round(lines * LINE_POINTS * size / BODY_SIZE + ROW_PADDING, 1)


def fit_rows(ws, first: int, last: int, widths: Sequence[float], *, size: float = BODY_SIZE) -> None:
    """Give rows ``first``..``last`` of a normal sheet their height; a merged cell counts with its merged width."""
    spans = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row == merged.max_row and first <= merged.min_row <= last:
            spans[(merged.min_row, merged.min_col)] = sum(widths[merged.min_col - 1:merged.max_col])
            for col in range(merged.min_col + 1, merged.max_col + 1):
                spans[(merged.min_row, col)] = None
    for row in range(first, last + 1):
        values, room = [], []
        for col in range(1, len(widths) + 1):
            span = spans.get((row, col), widths[col - 1])
            if span is None:
                continue
            values.append(ws.cell(row, col).value)
            room.append(span)
        ws.row_dimensions[row].height = row_height(values, room, size=size)


def fitted_widths(headers: Sequence[str], sample: Iterable[Sequence], *, minimum: float = 6,
                  maximum: float = MAX_WIDTH) -> list[float]:
    """Column widths for a list: the widest of the header and the sampled values, within bounds."""
    widest = [text_width(str(h)) for h in headers]
    for row in sample:
        for i, value in enumerate(row[:len(widest)]):
            widest[i] = max(widest[i], text_width(display_text(value)))
    return [min(maximum, max(minimum, w + 2)) for w in widest]


# --- Dates as the 公文 writes them -------------------------------------------------------------------------------

#: The number format of a date cell: 2026年11月20日, whatever the machine's locale.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def chinese_date(value: dt.date | None) -> str:
    """2026年11月20日 (GB/T 9704: the year in full, no leading zeros)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def display_text(value) -> str:
    """What a cell shows, for measuring: dates as ``chinese_date``, numbers as written, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


# --- Styles --------------------------------------------------------------------------------------------------


class PaperStyles:
    """The fonts, borders and alignments of an official table, made once per workbook."""

    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=CJK_FONT, size=16, bold=True)
        self.head = Font(name=CJK_FONT, size=BODY_SIZE, bold=True)
        self.body = Font(name=CJK_FONT, size=BODY_SIZE)
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center", wrap_text=True)

    def style(self, cell, *, font=None, alignment=None, border: bool = True):
        cell.font = font or self.body
        cell.alignment = alignment or self.centre
        if border:
            cell.border = self.border
        return cell


# --- An official ledger: title, unit and period, grouped two-row header, rows, 合计, signatures -------------------


class LedgerSheet:
    """Writes a ledger top to bottom on a normal sheet::

        sheet = LedgerSheet(ws, headers=[...], widths=[...], groups=[(7, 8, "化解情况")], left={4, 6})
        sheet.head(title="青石镇…台账", unit="填报单位：青石镇（盖章）", period="统计期间：全部")
        for values in rows:
            sheet.row(values)
        sheet.empty_line("本期无…") if not sheet.count else None
        sheet.total([(1, 2, "合计"), (3, 8, "共 3 件"), (9, 9, 12)])
        sheet.signatures(["审核人：", "填报人：张三", "联系电话：", "填报日期：2026年11月20日"])
        sheet.finish()

    Every row gets the height of its text (``row_height``); the header rows repeat on every printed page."""

    HEAD_FIRST = 3

    def __init__(self, ws, *, headers: Sequence[str], widths: Sequence[float],
                 groups: Sequence[tuple[int, int, str]] = (), left: Iterable[int] = ()):
        self.ws, self.headers, self.widths = ws, list(headers), list(widths)
        self.groups, self.left = list(groups), frozenset(left)
        self.last = len(self.headers)
        self.styles = PaperStyles()
        self.next = 1
        self.count = 0

    def head(self, *, title: str, unit: str, period: str) -> None:
        ws, s = self.ws, self.styles
        self._merged(1, 1, self.last, title, font=s.title, alignment=s.centre, border=False)
        ws.row_dimensions[1].height = 30
        split = max(1, self.last // 2)
        self._merged(2, 1, split, unit, alignment=s.left, border=False)
        self._merged(2, split + 1, self.last, period, alignment=s.right, border=False)
        ws.row_dimensions[2].height = row_height([unit, period], [sum(self.widths[:split]),
                                                                  sum(self.widths[split:])])
        grouped = {col for first, end, _caption in self.groups for col in range(first, end + 1)}
        for first, end, caption in self.groups:
            ws.cell(3, first, caption)
            ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=end)
        for col, header in enumerate(self.headers, start=1):
            if col in grouped:
                ws.cell(4, col, header)
            else:
                ws.cell(3, col, header)
                ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        for row in (3, 4):
            for col in range(1, self.last + 1):
                s.style(ws.cell(row, col), font=s.head)
        ws.row_dimensions[3].height = row_height([c for _f, _e, c in self.groups] or [""],
                                                 [sum(self.widths[f - 1:e]) for f, e, _c in self.groups] or [99])
        ws.row_dimensions[4].height = row_height(self.headers, self.widths)
        self.next = 5

    def row(self, values: Sequence) -> None:
        ws, s, row = self.ws, self.styles, self.next
        for col, value in enumerate(values, start=1):
            s.style(ws.cell(row, col, value), alignment=s.wrap if col in self.left else s.centre)
        ws.row_dimensions[row].height = row_height(values, self.widths)
        self.next += 1
        self.count += 1

    def line(self, parts: Sequence[tuple[int, int, object]], *, bold: bool = False, border: bool = True) -> None:
        """A row of merged spans: ``(first column, last column, value)``."""
        s, row = self.styles, self.next
        values, room = [], []
        for first, end, value in parts:
            self._merged(row, first, end, value, font=s.head if bold else s.body,
                         alignment=s.centre if border else s.left, border=border)
            values.append(value)
            room.append(sum(self.widths[first - 1:end]))
        self.ws.row_dimensions[row].height = row_height(values, room)
        self.next += 1

    def empty_line(self, text: str) -> None:
        self.line([(1, self.last, text)])

    def total(self, parts: Sequence[tuple[int, int, object]]) -> None:
        covered = {c for first, end, _v in parts for c in range(first, end + 1)}
        rest = [(c, c, "") for c in range(1, self.last + 1) if c not in covered]
        self.line(sorted([*parts, *rest], key=lambda p: p[0]), bold=True)

    def signatures(self, texts: Sequence[str]) -> None:
        self.ws.row_dimensions[self.next].height = 10  # a gap between the table and the signatures
        self.next += 1
        share = max(1, self.last // len(texts))
        parts = []
        for i, text in enumerate(texts):
            first = i * share + 1
            end = self.last if i == len(texts) - 1 else first + share - 1
            parts.append((first, end, text))
        self.line(parts, border=False)

    def finish(self) -> None:
        print_as_ledger(self.ws, self.widths, frozen="A5", title_rows="3:4")

    def _merged(self, row, first, end, value, *, font=None, alignment=None, border=True):
        ws, s = self.ws, self.styles
        if end > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=end)
        for col in range(first, end + 1):
            cell = ws.cell(row, col)
            if border:
                cell.border = s.border
        cell = ws.cell(row, first, value)
        s.style(cell, font=font, alignment=alignment, border=border)
