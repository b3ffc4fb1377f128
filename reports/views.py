"""The monthly reports: a form, the printable 公文-style page and the workbook. Who may: township staff, supervisors
and cadres (grid workers and household heads report nothing upward: 403). Everything is counted from what the user
sees (``visible_to``); a village outside the user's scope answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET

from core.bounds import parse_id
from core.scoping import ScopeKind, get_visible_or_404, scope_of
from governance.models import User, Village
from governance.permissions import require_role

from .forms import ReportForm
from .registry import REPORTS, Period
from .xlsx import report_workbook

R = User.Role
REPORTERS = (R.TOWNSHIP_STAFF, R.SUPERVISOR, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE)
NUMERALS = "一二三四五六七八九十"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reporting_unit(user, village: Village | None) -> str:
    """The unit the report speaks for: the village chosen, the user's villages, or the township."""
    if village is not None:
        return f"{village.township.name}{village.name}"
    scope = scope_of(user)
    township = user.township.name if user.township_id else ""
    if scope.kind in (ScopeKind.TOWNSHIP, ScopeKind.ALL):
        return township
    names = Village.objects.filter(pk__in=scope.village_ids).order_by("name").values_list("name", flat=True)
    return f"{township}{'、'.join(names)}"


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _requested(request: HttpRequest):
    """(form, report, period) from the query; the report and period are None while the form is not valid."""
    require_role(request.user, *REPORTERS)
    village = None
    if request.GET.get("village"):
        village = get_visible_or_404(Village.objects.select_related("township"), request.user,
                                     pk=parse_id(request.GET["village"]) or 0)
    form = ReportForm(request.GET or None, user=request.user)
    if not form.is_bound or not form.is_valid():
        return form, None, None
    report = REPORTS.get(form.cleaned_data["report"])
    if report is None:  # pragma: no cover - the form's choices are the registry's keys
        raise Http404
    start, end = form.cleaned_data["month"]
    return form, report, Period(request=request, start=start, end=end, village=village)


def _build(report, period: Period, request: HttpRequest) -> dict:
    with translation.override("zh-hans"):
        parts = report.build(period)
    unit = reporting_unit(request.user, period.village)
    query = urlencode({k: v for k, v in request.GET.items() if k in ("report", "month", "village")})
    return {
        "report": report, "parts": list(zip(NUMERALS, parts, strict=False)), "unit": unit,
        "title": f"{unit}{report.title}", "period_label": f"{period.start.year}年{period.start.month}月",
        "made_on": _chinese_date(timezone.localdate()), "query": query,
        "xlsx_url": f"{reverse('reports:xlsx')}?{query}",
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, report, period = _requested(request)
    context = {"form": form}
    if report is not None:
        context.update(_build(report, period, request))
        return render(request, "reports/report_page.html", context)
    return render(request, "reports/report_form.html", context)


@require_GET
def xlsx(request: HttpRequest) -> HttpResponse:
    form, report, period = _requested(request)
    if report is None:
        return render(request, "reports/report_form.html", {"form": form}, status=400)
    context = _build(report, period, request)
    body = report_workbook(
        title=context["title"], unit=context["unit"], period_label=context["period_label"],
        made_on=context["made_on"], parts=[p for _n, p in context["parts"]], numerals=NUMERALS,
    )
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{context['title']}（{context['period_label']}）.xlsx")
    return response
