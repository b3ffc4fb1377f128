"""The household heads' papers: the 联户长花名册 (roster of the heads the user sees, as the list filters them) and the
聘书 (letter of appointment) of one head. Chinese whatever the UI language; A4 (papers/paper.html)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.scoping import get_visible_or_404

from .filters import HeadFilter
from .models import HouseholdHead
from .permissions import HEAD_PAPER_READERS, require_role
from .tables import mask_phone
from .views import _count, _household_model


def _chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _unit(user, heads: list[HouseholdHead]) -> str:
    villages = sorted({h.grid.village.name for h in heads})
    township = user.township.name if user.township_id else ""
    return f"{township}{villages[0]}" if len(villages) == 1 else township


@require_GET
def head_roster(request: HttpRequest) -> HttpResponse:
    """联户长花名册 of the heads the list shows with the same filters (village, grid, status, search)."""
    require_role(request.user, *HEAD_PAPER_READERS)
    queryset = HouseholdHead.objects.visible_to(request.user).select_related("grid__village").annotate(
        household_count=_count(_household_model(), "household_head", request.user))
    filterset = HeadFilter(request.GET, queryset=queryset, request=request)
    heads = list(filterset.qs.order_by("grid__village__name", "grid__name", "name") if filterset.is_valid() else [])
    rows = [{
        "head": h, "phone": mask_phone(h.phone), "appointed": _chinese_date(h.appointed_on),
        "term_ends": _chinese_date(h.term_ends_on), "status": "在任" if h.in_office else "离任",
    } for h in heads]
    return render(request, "governance/head_roster.html", {
        "rows": rows, "unit": _unit(request.user, heads), "made_on": _chinese_date(timezone.localdate()),
    })


def head_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """聘书: the appointment of one household head, with its number, grid and term."""
    head = get_visible_or_404(HouseholdHead.objects.select_related("grid__village__township"), request.user, pk=pk)
    if request.method != "GET":  # after the lookup: out of scope is 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    require_role(request.user, *HEAD_PAPER_READERS)
    return render(request, "governance/head_certificate.html", {
        "head": head, "township": head.grid.village.township.name,
        "appointed": _chinese_date(head.appointed_on), "term_ends": _chinese_date(head.term_ends_on),
    })
