"""矛盾纠纷排查化解台账: the dispute ledger as .xlsx in the official layout, and as streamed .csv.

The ledger is a form sent upwards, so it is always written in Chinese whatever the UI language is: a title row
with the township and the period, two header rows with merged cells, the fixed columns, and the
填报单位 / 填报人 / 填报日期 row under the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from casework.batching import attach_assignments
from core.sheets import print_as_ledger, workbook_bytes
from households.exports import XLSX_TYPE, neutralise
from households.exports import csv_lines as export_csv_lines

from .models import Dispute

LEDGER_LANGUAGE = "zh-hans"


def columns() -> list[str]:
    return [
        _("No."), _("Number"), _("Registered on"), _("Parties"), _("Dispute type"), _("Brief description"),
        _("Handling level"), _("Mediation method"), _("Lead official"), _("Responsible unit"), _("Deadline"),
        _("Result"), _("Struck off"),
    ]


#: (first column, last column, caption) of the header cells that span several columns; 1-based.
def header_groups() -> list[tuple[int, int, str]]:
    return [(7, 8, _("Resolution")), (9, 11, _("Contract responsibility"))]


def ledger_queryset(queryset):
    # Assignments attached to each chunk read, one query (casework.batching), as the list does.
    return queryset.select_related("village").prefetch_related("parties").after_fetch(attach_assignments).order_by(
        "registered_on", "number")


def ledger_rows(queryset) -> Iterator[list]:
    """One list per dispute, in the order of ``columns()``. Dates stay dates (the xlsx keeps them typed)."""
    yes, no = _("Yes"), _("No")
    for index, d in enumerate(ledger_queryset(queryset).iterator(chunk_size=2000), start=1):
        a = d.assignment
        yield [
            index, d.number, d.registered_on, "、".join(p.name for p in d.parties.all()), d.get_kind_display(),
            _brief(d), d.get_level_display(), d.get_method_display() if d.method else "",
            str(a.lead) if a else "", a.responsible_unit if a else "", a.deadline if a else None,
            d.result_label(), yes if d.is_closed else no,
        ]


def _brief(d: Dispute) -> str:
    text = " ".join(d.description.split())
    return text if len(text) <= 300 else text[:299] + "…"


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    if not start and not end:
        return _("Period: all")
    return _("Period: %(start)s to %(end)s") % {
        "start": start.isoformat() if start else "…", "end": end.isoformat() if end else "…",
    }


def filer_unit(user) -> str:
    from core.scoping import ScopeKind, scope_of

    scope = scope_of(user)
    if scope.kind in (ScopeKind.VILLAGES, ScopeKind.GRIDS, ScopeKind.HOUSEHOLDS):
        from governance.models import Village

        return "、".join(Village.objects.filter(pk__in=scope.village_ids).values_list("name", flat=True))
    if scope.kind == ScopeKind.TOWNSHIPS and user.county_id:
        return user.county.name
    return user.township.name if user.township_id else ""


def _filename(extension: str) -> str:
    return f"{_('Dispute ledger')}-{timezone.localdate().isoformat()}.{extension}"


# --- xlsx ---------------------------------------------------------------------------------------------------


def build_xlsx(*, queryset, user, township_name: str, start=None, end=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    with translation.override(LEDGER_LANGUAGE):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Dispute ledger")
        heads = columns()
        last = len(heads)
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        wrap = Alignment(vertical="center", wrap_text=True)

        ws.cell(1, 1, _("%(township)s dispute screening and resolution ledger") % {"township": township_name})
        ws.cell(1, 1).font = Font(size=16, bold=True)
        ws.cell(1, 1).alignment = centre
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        ws.row_dimensions[1].height = 30
        ws.cell(2, 1, period_label(start, end)).alignment = Alignment(horizontal="left")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)

        grouped = {}
        for first, end_col, caption in header_groups():
            ws.cell(3, first, caption)
            ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=end_col)
            for col in range(first, end_col + 1):
                grouped[col] = True
        for col, head in enumerate(heads, start=1):
            if col in grouped:
                ws.cell(4, col, head)
            else:
                ws.cell(3, col, head)
                ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        for row in (3, 4):
            for col in range(1, last + 1):
                cell = ws.cell(row, col)
                cell.font = Font(bold=True)
                cell.alignment = centre
                cell.border = border

        row_no = 4
        for row_no, values in enumerate(ledger_rows(queryset), start=5):
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row_no, col, neutralise(value))
                cell.border = border
                cell.alignment = wrap if col in (4, 6, 12) else centre
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"

        filer_row = row_no + 2
        today = timezone.localdate().isoformat()
        for first, end_col, text in (
            (1, 5, _("Reporting unit: %(unit)s") % {"unit": filer_unit(user)}),
            (6, 9, _("Filled in by: %(name)s") % {"name": user}),
            (10, last, _("Date filled in: %(date)s") % {"date": today}),
        ):
            ws.cell(filer_row, first, text)
            ws.merge_cells(start_row=filer_row, start_column=first, end_row=filer_row, end_column=end_col)

        print_as_ledger(ws, (6, 14, 12, 18, 12, 40, 10, 12, 12, 16, 12, 22, 8))
        return workbook_bytes(wb)


def xlsx_response(*, queryset, user, township_name: str, start=None, end=None) -> HttpResponse:
    body = build_xlsx(queryset=queryset, user=user, township_name=township_name, start=start, end=end)
    with translation.override(LEDGER_LANGUAGE):
        name = _filename("xlsx")
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


# --- csv ------------------------------------------------------------------------------------------------------


def csv_lines(queryset) -> Iterable[str]:
    with translation.override(LEDGER_LANGUAGE):
        headers = columns()
    return export_csv_lines(headers, ledger_rows(queryset), language=LEDGER_LANGUAGE)


def csv_response(*, queryset) -> StreamingHttpResponse:
    with translation.override(LEDGER_LANGUAGE):
        name = _filename("csv")
    response = StreamingHttpResponse(csv_lines(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
