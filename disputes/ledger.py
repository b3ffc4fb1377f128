"""矛盾纠纷排查化解台账: the dispute ledger as .xlsx in the official layout, and as streamed .csv.

The ledger is a form sent upwards, so it is always written in Chinese whatever the UI language is: a title row
with the township and the period, two header rows with merged cells, the fixed columns, and the
填报单位（盖章） line over the table and the 审核人 / 填报人 / 联系电话 / 填报日期 line under it; a 合计 line, and a
本期无… line when nothing was registered. Core's LedgerSheet gives each row the height of its text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from casework.batching import attach_assignments
from core.sheets import LedgerSheet, chinese_date, workbook_bytes
from governance.reporting import reporting_unit
from households.exports import XLSX_TYPE, neutralise
from households.exports import csv_lines as export_csv_lines

from .models import Dispute

LEDGER_LANGUAGE = "zh-hans"


#: (header, width, left-aligned) of each column, in order. Literal Chinese: the ledger is a paper sent upwards.
COLUMNS = [
    ("序号", 5, False), ("编号", 13, False), ("登记日期", 12, False), ("村（社区）", 9, False), ("来源", 9, False),
    ("当事人", 12, True), ("纠纷类型", 10, False), ("简要情况", 34, True), ("涉及人数", 6, False),
    ("金额（元）", 11, False), ("风险等级", 7, False),
    ("化解层级", 7, False), ("调解方式", 9, False), ("调解员", 10, False), ("化解结果", 14, True),
    ("化解日期", 12, False),
    ("包案领导", 9, False), ("责任单位", 12, False), ("办结时限", 12, False),
    ("回访", 16, True), ("履行情况", 8, False), ("结案情况", 12, True), ("是否销号", 6, False),
]
PEOPLE_COLUMN, AMOUNT_COLUMN = 9, 10
EMPTY_TEXT = "本期无矛盾纠纷排查化解事项。"


def columns() -> list[str]:
    return [head for head, _width, _left in COLUMNS]


#: (first column, last column, caption) of the header cells that span several columns; 1-based.
def header_groups() -> list[tuple[int, int, str]]:
    return [(12, 16, "化解情况"), (17, 19, "包案责任")]


def ledger_queryset(queryset):
    # Assignments attached to each chunk read, one query (casework.batching), as the list does.
    return (
        queryset.select_related("village").prefetch_related("parties", "mediators")
        .after_fetch(attach_assignments).order_by("registered_on", "number")
    )


def ledger_rows(queryset) -> Iterator[list]:
    """One list per dispute, in the order of ``columns()``, as the paper shows it (dates 2026年11月20日); read in the
    ledger's language (the caller's ``translation.override``)."""
    yes, no = _("Yes"), _("No")
    for index, d in enumerate(ledger_queryset(queryset).iterator(chunk_size=2000), start=1):
        a = d.assignment
        yield [
            index, d.number, chinese_date(d.registered_on), d.village.name, d.get_source_display(),
            "、".join(p.name for p in d.parties.all()), d.get_kind_display(), _brief(d), d.people_involved,
            f"{d.amount:,.2f}" if d.amount is not None else "", d.get_risk_display(),
            d.get_level_display(), d.get_method_display() if d.method else "",
            "、".join(m.name for m in d.mediators.all()), d.result_label(), chinese_date(d.mediation_ended_on),
            str(a.lead) if a else "", a.responsible_unit if a else "", chinese_date(a.deadline) if a else "",
            _follow_up(d), d.get_fulfilment_display() if d.fulfilment else "", _closing(d), yes if d.is_closed else no,
        ]


def _closing(d: Dispute) -> str:
    """结案情况: the 到位 outcome of a closed dispute, or that its close-out awaits approval."""
    if d.is_closed:
        return d.get_closing_outcome_display() if d.closing_outcome else ""
    return d.get_status_display() if d.status == Dispute.Status.CLOSE_REQUESTED else ""


def _follow_up(d: Dispute) -> str:
    if not d.follow_up_on:
        return ""
    notes = " ".join(d.follow_up_notes.split())
    return f"{chinese_date(d.follow_up_on)}：{notes}" if notes else chinese_date(d.follow_up_on)


def _brief(d: Dispute) -> str:
    text = " ".join(d.description.split())
    return text if len(text) <= 300 else text[:299] + "…"


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    if not start and not end:
        return "统计期间：全部"
    return f"统计期间：{chinese_date(start) if start else '…'}至{chinese_date(end) if end else '…'}"


def _filename(extension: str) -> str:
    return f"矛盾纠纷排查化解台账-{timezone.localdate():%Y%m%d}.{extension}"


# --- xlsx ---------------------------------------------------------------------------------------------------


def build_xlsx(*, queryset, user, township_name: str = "", start=None, end=None) -> bytes:
    """``township_name`` is kept for callers of old; the title names the unit the filer reports for."""
    from openpyxl import Workbook

    with translation.override(LEDGER_LANGUAGE):
        wb = Workbook()
        ws = wb.active
        ws.title = "矛盾纠纷排查化解台账"
        unit = reporting_unit(user) or township_name
        sheet = LedgerSheet(ws, headers=columns(), widths=[w for _h, w, _l in COLUMNS], groups=header_groups(),
                            left={i for i, (_h, _w, left) in enumerate(COLUMNS, start=1) if left})
        sheet.head(title=f"{unit}矛盾纠纷排查化解台账", unit=f"填报单位：{unit}（盖章）", period=period_label(start, end))
        people, amount, succeeded, closed = 0, Decimal(0), 0, 0
        for values in ledger_rows(queryset):
            sheet.row([neutralise(v) for v in values])
            people += values[PEOPLE_COLUMN - 1]
            amount += Decimal(values[AMOUNT_COLUMN - 1].replace(",", "") or 0)
            succeeded += values[14].startswith(str(Dispute.Outcome.SUCCESS.label))
            closed += values[-1] == _("Yes")
        if not sheet.count:
            sheet.empty_line(EMPTY_TEXT)
        sheet.total([
            (1, 2, "合计"), (3, PEOPLE_COLUMN - 1, f"共{sheet.count}件，调解成功{succeeded}件，已销号{closed}件"),
            (PEOPLE_COLUMN, PEOPLE_COLUMN, people), (AMOUNT_COLUMN, AMOUNT_COLUMN, f"{amount:,.2f}"),
        ])
        sheet.signatures([
            "审核人：", f"填报人：{user}", f"联系电话：{getattr(user, 'phone', '') or ''}",
            f"填报日期：{chinese_date(timezone.localdate())}",
        ])
        sheet.finish()
        return workbook_bytes(wb)


def xlsx_response(*, queryset, user, township_name: str = "", start=None, end=None) -> HttpResponse:
    body = build_xlsx(queryset=queryset, user=user, township_name=township_name, start=start, end=end)
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=_filename("xlsx"))
    return response


# --- csv ------------------------------------------------------------------------------------------------------


def csv_lines(queryset) -> Iterable[str]:
    return export_csv_lines(columns(), ledger_rows(queryset), language=LEDGER_LANGUAGE)


def csv_response(*, queryset) -> StreamingHttpResponse:
    name = _filename("csv")
    response = StreamingHttpResponse(csv_lines(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
