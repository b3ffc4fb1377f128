"""The dashboard (统计) and the responsibility-assignment list behind its overdue and supervision figures."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casework.models import AssignmentCheck, ResponsibilityAssignment
from core.lists import ScopedListView
from core.scoping import get_visible_or_404
from governance.models import Township, User
from governance.permissions import RoleRequiredMixin
from honours.board import dashboard_lists

from . import figures
from .county import county_figures
from .filters import AssignmentFilter
from .forms import DashboardFilterForm, default_start
from .tables import AssignmentTable


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Every role sees its own scope; a household head sees the households linked to them (no filter needed)."""
    user, today = request.user, timezone.localdate()
    if figures.is_personal(user):
        return render(request, "dashboards/dashboard_home.html", {
            "data": figures.dashboard(user, figures.Filters(), today=today), "form": None,
            "honours": dashboard_lists(user, today=today),
        })
    form = DashboardFilterForm(request.GET, user=user, today=today)
    form.is_valid()
    f = form.filters()
    data = figures.dashboard(user, f, today=today)
    return render(request, "dashboards/dashboard_home.html", {
        "data": data, "form": form, "filters": f, "default_start": default_start(today),
        "year_start": today.replace(month=1, day=1), "month_start": today.replace(day=1),
        "charts": data["charts"], "honours": dashboard_lists(user, today=today),
        "assessment_card": _assessment_card(user),
    })


def _assessment_card(user) -> dict | None:
    """考核's star distribution, 不合格 list and trend (assessment/figures.py), when that app is installed."""
    from django.apps import apps

    if not apps.is_installed("assessment"):
        return None
    from assessment.figures import star_card

    return star_card(user)


@require_GET
def county(request: HttpRequest) -> HttpResponse:
    """The county's townships side by side (``?township=<pk>``: that township's villages side by side), for county
    users and the superuser; out of scope 404, another role 403."""
    user = request.user
    if not (user.is_superuser or user.is_county_user):
        raise PermissionDenied
    township = None
    if request.GET.get("township"):
        township = get_visible_or_404(Township.objects.all(), user, pk=request.GET["township"])
    data = county_figures(user, today=timezone.localdate(), township=township)
    return render(request, "dashboards/county.html", {"data": data, "township": township})


def four_done_count():
    """How many of the 四包 are ticked off: one subquery per page, not a query per row."""
    done = (AssignmentCheck.objects.filter(assignment=OuterRef("pk"), done=True).order_by()
            .values("assignment").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(done), 0)


class AssignmentListView(RoleRequiredMixin, ScopedListView):
    """Every 包案 the user may see, filtered by state, supervision, case type and village. Not for household heads:
    their dashboard is the households linked to them."""

    allowed_roles = tuple(role for role in User.Role.values if role != User.Role.HOUSEHOLD_HEAD)
    model = ResponsibilityAssignment
    table_class = AssignmentTable
    filterset_class = AssignmentFilter
    title = _("Responsibility assignments")

    def base_queryset(self):
        return ResponsibilityAssignment.objects.select_related("lead", "village", "case_type").annotate(
            four_done=four_done_count())
