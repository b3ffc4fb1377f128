"""The assessment's papers, Chinese whatever the UI language: 考核汇总表 (.xlsx), the per-person 考核明细表 and the
考核结果公示 (printable A4, papers/paper.html). No ID number or phone on any of them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from core.sheets import LedgerSheet, chinese_date, workbook_bytes
from households.exports import XLSX_TYPE, neutralise

from .models import Item, Run, Scheme, period_label
from .scoring import rule_text

GRADE_ZH = {Run.Grade.EXCELLENT: "优秀", Run.Grade.PASS: "合格", Run.Grade.FAIL: "不合格"}
STATUS_ZH = {Run.Status.DRAFT: "草稿", Run.Status.SELF: "自评", Run.Status.REVIEW: "镇审核",
             Run.Status.PUBLICITY: "公示中", Run.Status.APPEAL: "申诉处理", Run.Status.FINAL: "已定档"}
RENEWAL_ZH = {Run.Renewal.RENEW: "建议续聘", Run.Renewal.WATCH: "提醒谈话、跟踪观察", Run.Renewal.NOT_RENEW: "建议不再续聘"}
DUTY_ZH = {Item.Duty.COLLECT: "民情信息收集员", Item.Duty.PUBLICISE: "政策法规宣传员", Item.Duty.MEDIATE: "矛盾纠纷调解员",
           Item.Duty.SERVE: "群众贴心服务员", Item.Duty.DISCIPLINE: "纪律", Item.Duty.BONUS: "加分"}
SUBJECT_ZH = {"head": "联户长", "grid_worker": "网格员", "village": "村", "grid": "网格", "household": "户"}


def _stars(n: int | None) -> str:
    return "★" * n if n else ""


def _period(request, scheme: Scheme) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        return Run.objects.filter(scheme=scheme).order_by("-period_start").values_list(
            "period_start", flat=True).first()


def _runs(request, scheme: Scheme, start: dt.date | None, statuses=None) -> list[Run]:
    runs = (Run.objects.visible_to(request.user).filter(scheme=scheme, period_start=start)
            .select_related("scheme", "village")
            .prefetch_related(Prefetch("scheme__items", queryset=Item.objects.order_by("position", "pk")),
                              "manual_scores", "appeals"))
    if statuses:
        runs = runs.filter(status__in=statuses)
    return list(runs)


def ranked(runs: list[Run]) -> list[tuple[int, Run, object]]:
    """(rank, run, total): the graded score when there is one, else what the lines add up to now; equal totals share
    a rank (1, 2, 2, 4)."""
    totals = [(run.score if run.score is not None else run.total(), run) for run in runs]
    totals.sort(key=lambda pair: (-pair[0], pair[1].subject_name))
    result, previous, rank = [], None, 0
    for index, (total, run) in enumerate(totals, start=1):
        if total != previous:
            rank, previous = index, total
        result.append((rank, run, total))
    return result


def summary_response(request, scheme: Scheme) -> HttpResponse:
    from openpyxl import Workbook

    start = _period(request, scheme)
    runs = _runs(request, scheme, start)
    items = list(scheme.items.order_by("position", "pk"))
    label = period_label(scheme.period, start) if start else ""
    headers = [("序号", 6), ("村", 12), ("考核对象", 12), *[(i.name, 10) for i in items],
               ("合计", 8), ("星级", 9), ("等次", 8), ("排名", 6), ("补贴（元）", 10), ("状态", 9)]
    wb = Workbook()
    ws = wb.active
    ws.title = "考核汇总表"
    sheet = LedgerSheet(ws, headers=[h for h, _w in headers], widths=[w for _h, w in headers], left={3})
    unit = scheme.township.name
    sheet.head(title=f"{unit}{label}{SUBJECT_ZH.get(scheme.subject_kind, '')}考核汇总表",
               unit=f"填报单位：{unit}（盖章）", period=f"考核方案：{scheme.name}")
    for number, (rank, run, total) in enumerate(ranked(runs), start=1):
        points = {line["item"].pk: line["points"] for line in run.lines()}
        sheet.row([number, run.village.name if run.village else "", neutralise(run.subject_name),
                   *[float(points.get(i.pk, 0)) for i in items], float(total), _stars(run.stars),
                   GRADE_ZH.get(run.grade, ""), rank, float(run.allowance) if run.allowance is not None else "",
                   STATUS_ZH[run.status]])
    if not sheet.count:
        sheet.empty_line("本期无考核。")
    sheet.signatures(["审核人：", f"填报人：{request.user}", f"填报日期：{chinese_date(timezone.localdate())}"])
    sheet.finish()
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"考核汇总表-{scheme.name}-{label}.xlsx")
    return response


def detail(request, run: Run) -> HttpResponse:
    with translation.override("zh-hans"):
        lines = run.lines()
    total = run.score if run.score is not None else run.total()
    return render(request, "assessment/run_paper.html", {
        "run": run, "lines": [{**line, "duty": DUTY_ZH[line["item"].duty], "rule": rule_text(line["item"])}
                              for line in lines],
        "total": total, "grade": GRADE_ZH.get(run.grade, ""), "status": STATUS_ZH[run.status],
        "renewal": RENEWAL_ZH.get(run.renewal, ""), "subject_kind": SUBJECT_ZH.get(run.scheme.subject_kind, ""),
        "township": run.scheme.township.name, "made_on": chinese_date(timezone.localdate()),
    })


def notice(request, scheme: Scheme) -> HttpResponse:
    start = _period(request, scheme)
    published = (Run.Status.PUBLICITY, Run.Status.APPEAL, Run.Status.FINAL)
    runs = _runs(request, scheme, start, statuses=published)
    if start is None:
        raise Http404
    rows = [{"rank": rank, "run": run, "total": total, "stars": _stars(run.stars), "grade": GRADE_ZH.get(run.grade, "")}
            for rank, run, total in ranked(runs)]
    ends = max((r.publicity_to for r in runs if r.publicity_to), default=None)
    begins = min((r.publicity_from for r in runs if r.publicity_from), default=None)
    return render(request, "assessment/notice.html", {
        "scheme": scheme, "rows": rows, "label": period_label(scheme.period, start),
        "subject_kind": SUBJECT_ZH.get(scheme.subject_kind, ""), "township": scheme.township.name,
        "begins": chinese_date(begins), "ends": chinese_date(ends), "made_on": chinese_date(begins or timezone.localdate()),
    })
