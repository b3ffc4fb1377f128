"""信访事项台账 as .xlsx in the official layout (title row, merged two-row headers, 填报 rows) and as streamed .csv.

CSV streaming and formula neutralising come from households/exports.py, shared by every export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.batching import attach_assignments
from core.sheets import print_as_ledger, workbook_bytes
from households.exports import XLSX_TYPE, csv_lines, neutralise

from .models import Petition, ProgressEntry, choice_labels
from .tables import assignment_of, attach_petitioner_names, petitioner_summary


def ledger_queryset(queryset):
    """The ledger's rows with what they show: petitioners' names and the assignment are attached to each chunk of rows
    read (``after_fetch``), one query each."""
    last_action = ProgressEntry.objects.filter(petition=OuterRef("pk")).order_by("-done_on", "-pk").values("action")
    return (
        queryset.select_related("village", "township")
        .after_fetch(attach_petitioner_names).after_fetch(attach_assignments)
        .annotate(last_action=Subquery(last_action[:1])).order_by("year", "sequence")
    )


def _handling(petition: Petition, labels: dict) -> str:
    if petition.reply_text:
        return _("Replied %(date)s: %(text)s") % {"date": petition.replied_on, "text": petition.reply_text}
    if getattr(petition, "last_action", None):
        return petition.last_action
    return labels["status"][petition.status]


def ledger_row(index: int, petition: Petition, labels: dict) -> list:
    assignment = assignment_of(petition)
    return [
        index,
        petition.number,
        petitioner_summary(petition),
        petition.accepted_on or "",
        "、".join(labels["form"][f] for f in petition.forms),
        f"【{labels['subject'][petition.subject]}】{petition.content}",
        str(assignment.lead) if assignment else "",
        assignment.responsible_unit if assignment else "",
        petition.due_on,
        _handling(petition, labels),
        labels["satisfaction"][petition.satisfaction] if petition.satisfaction else "",
        labels["yes"] if petition.is_closed else labels["no"],
    ]


def _labels() -> dict:
    return {**choice_labels(), "yes": _("Yes"), "no": _("No")}


def ledger_headers() -> list[str]:
    return [
        _("No."), _("Number"), _("Petitioners"), _("Accepted on"), _("Form of petition"), _("Issue raised"),
        _("Lead official"), _("Responsible unit"), _("Handling deadline"), _("Handling"), _("Satisfaction"),
        _("Closed out?"),
    ]


# --- CSV -------------------------------------------------------------------------------------------


def csv_response(filename: str, headers: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Streamed, with a BOM so that Excel opens the Chinese correctly, every cell neutralised."""
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ledger_csv(queryset, filename: str) -> StreamingHttpResponse:
    def rows():
        labels = _labels()
        petitions = ledger_queryset(queryset).iterator(chunk_size=500)
        for i, petition in enumerate(petitions, start=1):
            yield ledger_row(i, petition, labels)

    return csv_response(filename, ledger_headers(), rows())


# --- XLSX in the official layout -----------------------------------------------------------------

# (header, group) by column; a group header spans its columns on row 3, the others span rows 3–4.
GROUPS = {6: "assignment", 7: "assignment", 8: "handling", 9: "handling", 10: "handling", 11: "handling"}
WIDTHS = [6, 14, 18, 12, 14, 40, 12, 16, 12, 40, 10, 8]


def ledger_workbook(queryset, *, township_name: str, user, period: tuple[dt.date | None, dt.date | None]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _("Petition ledger")[:31]
    columns = len(WIDTHS)
    last = get_column_letter(columns)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = _("%(township)s petition ledger") % {"township": township_name}
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 30
    split = columns // 2
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split)
    ws.merge_cells(start_row=2, start_column=split + 1, end_row=2, end_column=columns)
    ws.cell(2, 1, _("Reporting unit: %(unit)s (seal)") % {"unit": township_name})
    ws.cell(2, split + 1, _period_text(period)).alignment = Alignment(horizontal="right")

    _write_headers(ws, border, centre)
    row = 5
    labels = _labels()
    for index, petition in enumerate(ledger_queryset(queryset).iterator(chunk_size=500), start=1):
        for col, value in enumerate(ledger_row(index, petition, labels), start=1):
            cell = ws.cell(row, col, neutralise(value) if isinstance(value, str) else value)
            cell.border = border
            cell.alignment = centre if col in (1, 2, 4, 5, 9, 11, 12) else wrap
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        row += 1

    _write_footer(ws, row + 1, columns, user)
    print_as_ledger(ws, WIDTHS)
    return workbook_bytes(wb)


def _write_headers(ws, border, centre) -> None:
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", fgColor="DDEBF7")
    group_labels = {"assignment": _("Contract responsibility"), "handling": _("Handling and close-out")}
    for col, header in enumerate(ledger_headers(), start=1):
        group = GROUPS.get(col - 1)
        if group is None:
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            ws.cell(3, col, header)
        else:
            ws.cell(4, col, header)
            if GROUPS.get(col - 2) != group:
                span = sum(1 for g in GROUPS.values() if g == group)
                ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
                ws.cell(3, col, group_labels[group])
    for row in (3, 4):
        for col in range(1, len(WIDTHS) + 1):
            cell = ws.cell(row, col)
            cell.font = Font(bold=True)
            cell.alignment = centre
            cell.border = border
            cell.fill = fill


def _write_footer(ws, row: int, columns: int, user) -> None:
    """填报 rows: who filled it in, who checked it, a phone, the date."""
    quarter = columns // 4
    parts = [
        _("Filled in by: %(name)s") % {"name": user},
        _("Checked by:"),
        _("Phone: %(phone)s") % {"phone": getattr(user, "phone", "") or ""},
        _("Date filled in: %(date)s") % {"date": timezone.localdate().strftime("%Y-%m-%d")},
    ]
    for i, text in enumerate(parts):
        start = i * quarter + 1
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=start + quarter - 1)
        ws.cell(row, start, text)


def _period_text(period) -> str:
    start, end = period
    if start or end:
        return _("Period: %(start)s to %(end)s") % {"start": start or "…", "end": end or "…"}
    return _("Period: all")


def ledger_xlsx_response(queryset, *, filename: str, **kwargs) -> HttpResponse:
    response = HttpResponse(ledger_workbook(queryset, **kwargs), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
