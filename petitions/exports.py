"""信访事项台账 as .xlsx in the official layout (title row, 填报单位 and period, merged two-row headers, a 合计 line, the
审核人 / 填报人 / 联系电话 / 填报日期 line) and as streamed .csv.

The ledger is a paper sent upwards: Chinese whatever the UI language (literal headers, choice labels read under
``translation.override``), its file name too. CSV streaming and formula neutralising come from households/exports.py,
shared by every export; the page and the rows' heights from core/sheets.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from casework.batching import attach_assignments
from core.sheets import LedgerSheet, chinese_date, workbook_bytes
from governance.reporting import reporting_unit
from households.exports import XLSX_TYPE, csv_lines, neutralise

from .models import Petition, ProgressEntry, choice_labels
from .tables import assignment_of, attach_petitioner_names, petitioner_summary

LEDGER_LANGUAGE = "zh-hans"

#: (header, width, left-aligned) of each column, in order.
COLUMNS = [
    ("序号", 5, False), ("编号", 13, False), ("来信来访日期", 12, False), ("信访形式（渠道）", 8, False),
    ("交办单位", 10, True), ("信访人", 12, True), ("人数", 5, False), ("属地村", 9, False), ("问题类别", 10, False),
    ("反映问题", 30, True), ("诉求", 20, True), ("越级", 5, False), ("重复访", 5, False), ("受理日期", 12, False),
    ("包案领导", 9, False), ("责任单位", 12, False), ("办结时限", 12, False),
    ("办理情况", 30, True), ("答复日期", 12, False), ("办结日期", 12, False), ("群众满意度", 8, False),
    ("是否销号", 6, False),
]
GROUPS = [(15, 17, "包案责任"), (18, 22, "办理落实")]
HEADCOUNT_COLUMN = 7
EMPTY_TEXT = "本期无信访事项。"
WIDTHS = [w for _h, w, _l in COLUMNS]


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
    if petition.status == Petition.Status.NOT_ACCEPTED:
        return f"{chinese_date(petition.declined_on)}不予受理：{petition.decline_reason}"
    if petition.reply_text:
        return f"{chinese_date(petition.replied_on)}答复：{petition.reply_text}"
    if getattr(petition, "last_action", None):
        return petition.last_action
    return labels["status"][petition.status]


def ledger_row(index: int, petition: Petition, labels: dict) -> list:
    assignment = assignment_of(petition)
    yes, no = labels["yes"], labels["no"]
    return [
        index,
        petition.number,
        chinese_date(petition.received_on),
        labels["channel"][petition.channel],
        petition.referred_by,
        petitioner_summary(petition),
        petition.head_count,
        petition.village.name if petition.village_id else "",
        labels["subject"][petition.subject],
        petition.content,
        petition.demands,
        yes if petition.skip_level else no,
        yes if petition.repeat_of_id else no,
        chinese_date(petition.accepted_on),
        str(assignment.lead) if assignment else "",
        assignment.responsible_unit if assignment else "",
        chinese_date(petition.due_on),
        _handling(petition, labels),
        chinese_date(petition.replied_on),
        chinese_date(timezone.localtime(petition.closed_at)) if petition.closed_at else "",
        labels["satisfaction"][petition.satisfaction] if petition.satisfaction else "",
        yes if petition.is_closed else no,
    ]


def _labels() -> dict:
    return {**choice_labels(), "yes": _("Yes"), "no": _("No")}


def ledger_headers() -> list[str]:
    return [head for head, _w, _l in COLUMNS]


def _filename(extension: str) -> str:
    return f"信访事项台账-{timezone.localdate():%Y%m%d}.{extension}"


def _rows(queryset) -> Iterable[list]:
    """Read in the ledger's language: the caller overrides it."""
    labels = _labels()
    for i, petition in enumerate(ledger_queryset(queryset).iterator(chunk_size=500), start=1):
        yield ledger_row(i, petition, labels)


# --- CSV -------------------------------------------------------------------------------------------


def csv_response(filename: str, headers: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Streamed, with a BOM so that Excel opens the Chinese correctly, every cell neutralised."""
    response = StreamingHttpResponse(csv_lines(headers, rows, language=LEDGER_LANGUAGE),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def ledger_csv(queryset, filename: str | None = None) -> StreamingHttpResponse:
    return csv_response(filename or _filename("csv"), ledger_headers(), _rows(queryset))


# --- XLSX in the official layout -----------------------------------------------------------------


def ledger_workbook(queryset, *, user, period: tuple[dt.date | None, dt.date | None], township_name: str = "") -> bytes:
    from openpyxl import Workbook

    with translation.override(LEDGER_LANGUAGE):
        wb = Workbook()
        ws = wb.active
        ws.title = "信访事项台账"
        unit = reporting_unit(user) or township_name
        sheet = LedgerSheet(ws, headers=ledger_headers(), widths=WIDTHS, groups=GROUPS,
                            left={i for i, (_h, _w, left) in enumerate(COLUMNS, start=1) if left})
        sheet.head(title=f"{unit}信访事项台账", unit=f"填报单位：{unit}（盖章）", period=_period_text(period))
        people = collective = skip = closed = 0
        yes = _("Yes")
        for values in _rows(queryset):
            sheet.row([neutralise(v) if isinstance(v, str) else v for v in values])
            people += values[HEADCOUNT_COLUMN - 1]
            collective += values[HEADCOUNT_COLUMN - 1] >= 5
            skip += values[11] == yes
            closed += values[-1] == yes
        if not sheet.count:
            sheet.empty_line(EMPTY_TEXT)
        sheet.total([
            (1, 2, "合计"),
            (3, HEADCOUNT_COLUMN - 1, f"共{sheet.count}件（集体访{collective}件，越级访{skip}件），已销号{closed}件"),
            (HEADCOUNT_COLUMN, HEADCOUNT_COLUMN, people),
        ])
        sheet.signatures([
            "审核人：", f"填报人：{user}", f"联系电话：{getattr(user, 'phone', '') or ''}",
            f"填报日期：{chinese_date(timezone.localdate())}",
        ])
        sheet.finish()
        return workbook_bytes(wb)


def _period_text(period) -> str:
    start, end = period
    if start or end:
        return f"统计期间：{chinese_date(start) if start else '…'}至{chinese_date(end) if end else '…'}"
    return "统计期间：全部"


def ledger_xlsx_response(queryset, *, filename: str | None = None, **kwargs) -> HttpResponse:
    response = HttpResponse(ledger_workbook(queryset, **kwargs), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=filename or _filename("xlsx"))
    return response
