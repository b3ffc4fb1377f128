"""Department alert lists (部门筛查预警): upload, preview row by row, import all or nothing (``alerts.py``). Township
staff import; the township's supervisors read what was imported; nobody else reaches them (404)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.scoping import scoped_object
from governance.models import User
from governance.permissions import require_role

from . import alerts
from .forms import AlertImportForm
from .models import AlertImport

IMPORTERS = (User.Role.TOWNSHIP_STAFF,)


def _may_import(alert_import, user) -> bool:
    return user.has_role(*IMPORTERS)


@require_http_methods(["GET", "POST"])
def alert_upload(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *IMPORTERS)
    form = AlertImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert_import = alerts.alert_prepare(upload=form.cleaned_data["file"], by=request.user,
                                                department=form.cleaned_data["department"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(alert_import)
    return render(request, "monitoring/alert_upload.html", {
        "form": form, "recent": AlertImport.objects.visible_to(request.user).select_related("uploaded_by")[:10],
    })


@require_GET
def alert_template(request: HttpRequest) -> HttpResponse:
    """The list's template (.xlsx): the Chinese headers and one example row; the ID column is text."""
    require_role(request.user, *IMPORTERS)
    from openpyxl import Workbook

    headers, rows = alerts.template_rows()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "预警名单"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet["B"]:
        cell.number_format = "@"
    for column, width in zip("ABCD", (12, 22, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E9%83%A8%E9%97%A8%E9%A2%84%E8%AD%A6%E5%90%8D%E5%8D%95.xlsx"
    return response


@scoped_object(AlertImport.objects.select_related("uploaded_by"))
def alert_detail(request: HttpRequest, alert_import: AlertImport) -> HttpResponse:
    return render(request, "monitoring/alert_detail.html", {
        "alert": alert_import, "can_import": _may_import(alert_import, request.user),
        "counts": {o: alert_import.count(o) for o in ("new", "merged", "open", "error")},
    })


@scoped_object(AlertImport.objects.all(), methods=("POST",), permission=_may_import)
def alert_commit(request: HttpRequest, alert_import: AlertImport) -> HttpResponse:
    try:
        alert_import = alerts.alert_commit(alert_import=alert_import, by=request.user)
    except alerts.AlertRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)d leads opened; the village cadres are told.")
                         % {"count": len({r["case"] for r in alert_import.rows if r["outcome"] in ("new", "merged")})})
    return redirect(alert_import)
