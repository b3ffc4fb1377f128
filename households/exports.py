"""Streaming exports of any scoped list to CSV or XLSX, reusable by every app.

Rows come from ``queryset.iterator(chunk_size=2000)``, so a 100,000-row export never holds its rows in memory:
CSV is written as the response streams; XLSX goes through openpyxl's write-only mode into a temporary file that
is then streamed. Text cells that a spreadsheet would read as a formula (= + - @, tab, CR) are neutralised with
a leading apostrophe (OWASP "CSV injection"). Values are written exactly as the columns give them: masking is
the caller's business (the registry's columns mask ID numbers and phones).

    columns = [Column(_("Name"), lambda r: r.name), Column(_("ID number"), lambda r: r.masked_id_number)]
    return export_response(queryset=qs, columns=columns, filename="residents", fmt=request.GET.get("format"))
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def label_of(model, field_name: str) -> Callable[[Any], str]:
    """``obj.get_<field>_display()`` without its cost per row: the labels are translated once per export."""
    labels = {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
    return lambda obj: labels.get(getattr(obj, field_name), getattr(obj, field_name))


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet will show, never evaluate. Numbers and dates pass; text gets a guard if needed."""
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
    iterator = queryset.iterator(chunk_size=CHUNK) if hasattr(queryset, "iterator") else iter(queryset)
    for obj in iterator:
        yield [neutralise(c.value(obj)) for c in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _stamped(filename: str, ext: str) -> str:
    return f"{filename}-{timezone.localdate():%Y%m%d}.{ext}"


def csv_lines(headers: list[str], rows: Iterable[list[Any]], *, language: str | None = None) -> Iterator[str]:
    """The lines of a CSV file, made while the response streams: a BOM (Excel opens UTF-8 Chinese only with it),
    the header, the rows, every cell neutralised, in ``language`` (default: the request's, captured now,
    because the rows are made after the view has returned)."""
    writer = csv.writer(_Echo())
    language = language or translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            yield "\ufeff"
            yield writer.writerow([neutralise(h) for h in headers])
            for row in rows:
                yield writer.writerow([neutralise(v) for v in row])

    return lines()


def csv_response(rows: Iterable[list[Any]], headers: list[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _stamped(filename, "csv"))
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(rows: Iterable[list[Any]], headers: list[str], filename: str, sheet: str = "",
                  text_columns: Iterable[int] = ()) -> FileResponse:
    """``text_columns`` (0-based) are formatted as text ("@"), whole columns: Excel then keeps an 18-digit ID number
    typed into them as it is instead of turning it into a number with 15 significant digits."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=(sheet or filename)[:31])
    text_columns = frozenset(text_columns)
    for index in text_columns:
        worksheet.column_dimensions[get_column_letter(index + 1)].number_format = "@"
        worksheet.column_dimensions[get_column_letter(index + 1)].width = 22
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(worksheet, value=neutralise(header))
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    for row in rows:
        worksheet.append([_text_cell(worksheet, v) if i in text_columns else v for i, v in enumerate(row)])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=_stamped(filename, "xlsx"),
        content_type=XLSX_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


def _text_cell(worksheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = "@"
    return cell


def export_response(*, queryset, columns: list[Column], filename: str, fmt: str | None):
    """The export of ``queryset`` (already scoped and filtered) in ``fmt``: "csv" or "xlsx"; 404 for others."""
    if fmt not in FORMATS:
        raise Http404
    headers = [str(c.header) for c in columns]
    rows = rows_of(queryset, columns)
    if fmt == "csv":
        return csv_response(rows, headers, filename)
    return xlsx_response(rows, headers, filename)


class ExportMixin:
    """For a ScopedListView: ``?format=csv`` or ``?format=xlsx`` exports the filtered (not paginated) list.

    Subclasses give ``export_columns()`` and ``export_filename``; ``export_queryset()`` may add prefetching."""

    export_filename = "export"

    def export_columns(self) -> list[Column]:
        raise NotImplementedError

    def export_queryset(self, queryset):
        return queryset

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if not fmt:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        valid = not filterset.is_bound or filterset.is_valid()
        queryset = filterset.qs if valid else filterset.queryset.none()
        return export_response(
            queryset=self.export_queryset(queryset), columns=self.export_columns(),
            filename=str(self.export_filename), fmt=fmt,
        )
