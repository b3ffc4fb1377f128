"""Streaming exports of any scoped list to CSV or XLSX, reusable by every app.

Rows come from ``queryset.iterator(chunk_size=2000)``, so a 100,000-row export never holds its rows in memory;
when every column names the ``field`` it reads, rows are read as tuples of those values (``values_list``), each
value given to the column's ``format``, and no model instance is built (a 100,000-row export spent most of its time
building them: docs/benchmarks.md).
CSV is written as the response streams; XLSX goes through openpyxl's write-only mode into a temporary file that
is then streamed. Text cells that a spreadsheet would read as a formula (= + - @, tab, CR) are neutralised with
a leading apostrophe (OWASP "CSV injection"). Values are written exactly as the columns give them: masking is
the caller's business (the registry's columns mask ID numbers and phones).

    columns = [Column(_("Name"), lambda r: r.name), Column(_("ID number"), lambda r: r.masked_id_number)]
    columns = [Column(_("Name"), field="name"), Column(_("ID number"), field="id_number", format=mask_id_number)]
    return export_response(queryset=qs, columns=columns, filename="residents", fmt=request.GET.get("format"))
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from core.sheets import (
    BODY_SIZE,
    CJK_FONT,
    DATE_FORMAT,
    chinese_date,
    fitted_widths,
    print_as_ledger,
    row_height,
)

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
#: Rows of a CSV file sent to the client at once (a response chunk each, not a chunk a row).
LINES_PER_CHUNK = 500
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column of an export: ``value(obj)`` of each model instance; or, with ``field`` (a ``values()`` lookup or an
    annotation of the queryset), ``format(value)`` of that field's value (the value itself without ``format``)."""

    header: str
    value: Callable[[Any], Any] | None = None
    field: str = ""
    format: Callable[[Any], Any] | None = None


def label_of(model, field_name: str) -> Callable[[Any], str]:
    """``obj.get_<field>_display()`` without its cost per row: the labels are translated once per export."""
    labels = {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
    return lambda obj: labels.get(getattr(obj, field_name), getattr(obj, field_name))


def choice_label(model, field_name: str) -> Callable[[Any], str]:
    """For a ``field`` column: the stored value's label, translated once per export."""
    labels = {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
    return lambda value: labels.get(value, value)


def joined(separator: str = "、") -> Callable[[Any], str]:
    """For a ``field`` column holding a list (an ``ArraySubquery``): its items joined (SQLite joins them itself)."""
    return lambda values: values if isinstance(values, str) else separator.join(values or ())


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet will show, never evaluate. Numbers and dates pass; text gets a guard if needed."""
    if type(value) is str:  # most cells: one test of the first character
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        # Spreadsheets know no time zones: local time, as text.
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, (int, float, dt.date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows_of(queryset, columns: list[Column]) -> Iterator[list[Any]]:
    if columns and all(c.field for c in columns) and hasattr(queryset, "values_list"):
        yield from _rows_of_values(queryset, columns)
        return
    iterator = queryset.iterator(chunk_size=CHUNK) if hasattr(queryset, "iterator") else iter(queryset)
    for obj in iterator:
        yield [neutralise(c.value(obj)) for c in columns]


def _rows_of_values(queryset, columns: list[Column]) -> Iterator[list[Any]]:
    """The rows as tuples of the columns' fields (each read once), every value formatted and neutralised."""
    fields = list(dict.fromkeys(c.field for c in columns))
    cells = [(fields.index(c.field), c.format) for c in columns]
    values = queryset.prefetch_related(None).values_list(*fields).iterator(chunk_size=CHUNK)
    for row in values:
        yield [neutralise(row[i] if fmt is None else fmt(row[i])) for i, fmt in cells]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _stamped(filename: str, ext: str) -> str:
    return f"{filename}-{timezone.localdate():%Y%m%d}.{ext}"


def csv_lines(headers: list[str], rows: Iterable[list[Any]], *, language: str | None = None,
              neutralised: bool = False) -> Iterator[str]:
    """The lines of a CSV file, made while the response streams: a BOM (Excel opens UTF-8 Chinese only with it),
    the header, the rows, every cell neutralised (``neutralised``: the rows' cells already are, ``rows_of``), in
    ``language`` (default: the request's, captured now, because the rows are made after the view has returned).
    Lines are yielded ``LINES_PER_CHUNK`` at a time."""
    writer = csv.writer(_Echo())
    language = language or translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            yield "\ufeff" + writer.writerow([neutralise(h) for h in headers])
            chunk = []
            for row in rows:
                chunk.append(writer.writerow(row if neutralised else [neutralise(v) for v in row]))
                if len(chunk) == LINES_PER_CHUNK:
                    yield "".join(chunk)
                    chunk = []
            if chunk:
                yield "".join(chunk)

    return lines()


def csv_response(rows: Iterable[list[Any]], headers: list[str], filename: str, *,
                 neutralised: bool = False) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(headers, rows, neutralised=neutralised),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _stamped(filename, "csv"))
    response["Cache-Control"] = "no-store"
    return response


#: Rows read before the widths are set (a write-only sheet takes its widths before its first row).
WIDTH_SAMPLE = 300
PAPER_LANGUAGE = "zh-hans"


def xlsx_response(rows: Iterable[list[Any]], headers: list[str], filename: str, sheet: str = "",
                  text_columns: Iterable[int] = (), *, title: str = "", unit: str = "") -> FileResponse:
    """A list as a paper: with ``title``, a title row (the unit's name before it) and a line with the unit and the
    date over the header, a count under the rows; without, the header on the first row (an import template). Widths
    from the header and the first rows, the header frozen and repeated on every printed page, A4 one page wide,
    page numbers, 宋体, rows as tall as their text.

    ``text_columns`` (0-based) are formatted as text ("@"), whole columns: Excel then keeps an 18-digit ID number
    typed into them as it is instead of turning it into a number with 15 significant digits."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=(sheet or title or filename)[:31])
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    text_columns = frozenset(text_columns)
    widths = fitted_widths(headers, sample)
    for index in text_columns:
        widths[index] = max(widths[index], 22)
        worksheet.column_dimensions[get_column_letter(index + 1)].number_format = "@"
    # Widths, panes and the page before the first row: a write-only sheet writes its columns and views with it.
    header_row = 3 if title else 1
    print_as_ledger(worksheet, widths, frozen=f"A{header_row + 1}", title_rows=f"{header_row}:{header_row}",
                    landscape=sum(widths) > 100)
    paper = _StreamedPaper(workbook, worksheet, widths, text_columns)
    if title:
        paper.title_rows(f"{unit}{title}", unit=unit, columns=len(headers))
    paper.header(headers)
    count = 0
    for row in itertools.chain(sample, rows):
        paper.row(row)
        count += 1
    if title:
        paper.closing_line("无符合条件的记录。" if not count else f"共{count}条记录")
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=_stamped(filename, "xlsx"),
        content_type=XLSX_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


class _StreamedPaper:
    """The rows of a write-only sheet, each cell styled by name (one lookup a cell, not a style object hashed) and
    each row given its height as it goes."""

    def __init__(self, workbook, worksheet, widths, text_columns):
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

        self.ws, self.widths, self.text_columns = worksheet, widths, text_columns
        self.next = 1
        body = Font(name=CJK_FONT, size=BODY_SIZE)
        wrap = Alignment(vertical="center", wrap_text=True)
        thin = Side(style="thin")
        ruled, bare = Border(left=thin, right=thin, top=thin, bottom=thin), Border()
        for name, font, alignment, number_format, border in (
            ("lht-body", body, wrap, "General", ruled),
            ("lht-text", body, wrap, "@", ruled),
            ("lht-date", body, Alignment(vertical="center"), DATE_FORMAT, ruled),
            ("lht-head", Font(name=CJK_FONT, size=BODY_SIZE, bold=True),
             Alignment(horizontal="center", vertical="center", wrap_text=True), "General", ruled),
            ("lht-title", Font(name=CJK_FONT, size=16, bold=True), Alignment(horizontal="center", vertical="center"),
             "General", bare),
            ("lht-note", body, Alignment(vertical="center"), "General", bare),
        ):
            workbook.add_named_style(NamedStyle(name=name, font=font, alignment=alignment,
                                                number_format=number_format, border=border))

    def _append(self, cells, height: float) -> None:
        self.ws.row_dimensions[self.next].height = height
        self.ws.append(cells)
        self.next += 1

    def _cell(self, value, style: str):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value)
        cell.style = style
        return cell

    def title_rows(self, title: str, *, unit: str, columns: int) -> None:
        from openpyxl.worksheet.cell_range import CellRange

        self._append([self._cell(title, "lht-title")], 30)
        today = chinese_date(timezone.localdate())
        line = f"单位：{unit}　　导出日期：{today}" if unit else f"导出日期：{today}"
        self._append([self._cell(line, "lht-note")], row_height([""], [1]))
        self.ws.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=columns, max_row=1))

    def header(self, headers) -> None:
        self._append([self._cell(neutralise(h), "lht-head") for h in headers], row_height(headers, self.widths))

    def row(self, values) -> None:
        cells = []
        for i, value in enumerate(values):
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                style = "lht-date"
            else:
                style = "lht-text" if i in self.text_columns else "lht-body"
            cells.append(self._cell(value, style))
        self._append(cells, row_height(values, self.widths))

    def closing_line(self, text: str) -> None:
        self._append([self._cell(text, "lht-note")], row_height([""], [1]))


def export_response(*, queryset, columns: list[Column], filename: str, fmt: str | None, title: str = "",
                    unit: str = "", text_columns: Iterable[int] = ()):
    """The export of ``queryset`` (already scoped and filtered) in ``fmt``: "csv" or "xlsx"; 404 for others. The
    caller chooses the language (a paper: ``translation.override(PAPER_LANGUAGE)``)."""
    if fmt not in FORMATS:
        raise Http404
    headers = [str(c.header) for c in columns]
    rows = rows_of(queryset, columns)
    if fmt == "csv":
        return csv_response(rows, headers, filename, neutralised=True)
    return xlsx_response(rows, headers, filename, title=title or filename, unit=unit, text_columns=text_columns)


class ExportMixin:
    """For a ScopedListView: ``?format=csv`` or ``?format=xlsx`` exports the filtered (not paginated) list.

    Subclasses give ``export_columns()`` and ``export_filename`` (the title too, unless ``export_title``);
    ``export_queryset()`` may add prefetching. An export is a paper: Chinese whatever the UI language, its title
    headed by the unit of who exports (``governance.reporting``)."""

    export_filename = "export"
    export_title = ""

    def export_columns(self) -> list[Column]:
        raise NotImplementedError

    def export_queryset(self, queryset):
        return queryset

    def export_text_columns(self) -> Iterable[int]:
        return ()

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if not fmt:
            return super().get(request, *args, **kwargs)
        return self.export(fmt)

    def filtered_queryset(self):
        filterset = self.get_filterset(self.get_filterset_class())
        valid = not filterset.is_bound or filterset.is_valid()
        return filterset.qs if valid else filterset.queryset.none()

    def export(self, fmt: str | None, columns: list[Column] | None = None, title_note: str = ""):
        from governance.reporting import reporting_unit

        with translation.override(PAPER_LANGUAGE):
            return export_response(
                queryset=self.export_queryset(self.filtered_queryset()), columns=columns or self.export_columns(),
                filename=str(self.export_filename), fmt=fmt, title=str(self.export_title or self.export_filename)
                + title_note, unit=reporting_unit(self.request.user), text_columns=self.export_text_columns(),
            )
