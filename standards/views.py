"""The GB/T 31000-2015 page of a township: pick a data set and a period, read the validation report, export.

Who: the township's staff and supervisors, the county's staff and leaders (403 for the other roles); a township out
of scope is 404. Full ID numbers: township staff of that township only, with a reason, logged in the reveal log
before the file is written (as the resident roster's full export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from core.addresses import client_ip
from core.scoping import get_visible_or_404
from governance.models import Township, User
from households.exports import csv_response, xlsx_response
from households.forms import FullExportForm
from households.models import RevealLog
from households.permissions import may_export_full

from . import gbt31000
from .forms import SelectionForm

R = User.Role
EXPORTERS = (R.TOWNSHIP_STAFF, R.SUPERVISOR, R.COUNTY_STAFF, R.COUNTY_LEADER)
PAGE_PROBLEMS = 300


def _township(request: HttpRequest, pk: int) -> Township:
    township = get_visible_or_404(Township.objects, request.user, pk=pk)
    if not (request.user.is_superuser or request.user.has_role(*EXPORTERS)):
        raise PermissionDenied
    return township


def _selection(request: HttpRequest, township: Township, form: SelectionForm, *, full_ids: bool = False):
    data = form.cleaned_data
    return gbt31000.Selection(user=request.user, township=township, dataset=data["dataset"], start=data["start"],
                              end=data["end"], full_ids=full_ids)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or request.user.has_role(*EXPORTERS)):
        raise PermissionDenied
    townships = list(Township.objects.visible_to(request.user).order_by("code"))
    if len(townships) == 1:
        return redirect("standards:township", township=townships[0].pk)
    return render(request, "standards/index.html", {"townships": townships, "section": "standards"})


def _get_only(request: HttpRequest) -> HttpResponse | None:
    """After the access checks (so that a township out of scope is 404 whatever the method)."""
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET"])


def township_page(request: HttpRequest, township: int) -> HttpResponse:
    place = _township(request, township)
    if refused := _get_only(request):
        return refused
    form = SelectionForm(request.GET if request.GET else None)
    report = None
    if form.is_valid():
        with translation.override("zh-hans"):
            report = gbt31000.validate(_selection(request, place, form))
    return render(request, "standards/township.html", {
        "township": place, "form": form, "report": report, "query": request.GET.urlencode(),
        "problems": report.problems[:PAGE_PROBLEMS] if report else [], "page_problems": PAGE_PROBLEMS,
        "full_export": may_export_full(request.user) and request.user.township_id == place.pk,
        "section": "standards",
    }, status=200 if form.is_valid() else 400)


def _file(selection: gbt31000.Selection, fmt: str, *, note: str = "") -> HttpResponse:
    with translation.override("zh-hans"):
        mapper = gbt31000.Mapper(selection)
        title = f"{gbt31000.DATASETS[selection.dataset]}{note}"
        filename = f"GBT31000-{selection.dataset}-{selection.township.code}-{selection.start:%Y%m%d}-{selection.end:%Y%m%d}"
        if fmt == "csv":
            return csv_response(mapper.rows(), mapper.headers, filename)
        text_columns = [i for i, e in enumerate(mapper.elements) if e.sensitive or e.source == "township.code"]
        return xlsx_response(mapper.rows(), mapper.headers, filename, sheet=selection.dataset,
                             text_columns=text_columns, title=str(title), unit=selection.township.name)


def export(request: HttpRequest, township: int) -> HttpResponse:
    place = _township(request, township)
    if refused := _get_only(request):
        return refused
    form = SelectionForm(request.GET)
    if not form.is_valid():
        return township_page(request, township)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return _file(_selection(request, place, form), fmt)


def export_full(request: HttpRequest, township: int) -> HttpResponse:
    place = _township(request, township)
    if not (may_export_full(request.user) and request.user.township_id == place.pk):
        raise PermissionDenied
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    selection_form = SelectionForm(request.GET)
    form = FullExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and selection_form.is_valid():
        selection = _selection(request, place, selection_form, full_ids=True)
        with translation.override("zh-hans"):
            count = gbt31000.validate(selection).records
            RevealLog.objects.create(
                township=place, resident=None, field=RevealLog.Field.ID_NUMBER, user=request.user,
                subject=f"GB/T 31000 {gbt31000.DATASETS[selection.dataset]}（{count}条）"[:64],
                reason=form.cleaned_data["reason"].strip()[:200], ip_address=client_ip(request),
            )
        return _file(selection, form.cleaned_data["format"], note="（含完整身份证号）")
    return render(request, "standards/export_full.html", {
        "township": place, "form": form, "selection_form": selection_form, "query": request.GET.urlencode(),
        "section": "standards",
    }, status=400 if request.method == "POST" else 200)
