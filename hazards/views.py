"""Views of hazards: thin. Lookups start from ``visible_to`` (404 outside the scope), then the method (405), then the
role (403); the work is done by a model method (casework/rectification.py) or a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casework import rectification as engine
from casework.models import ResponsibilityAssignment
from core import offline
from core.audit import history_entries
from core.bounds import parse_id
from core.lists import ScopedListView
from core.scoping import get_visible_or_404, scoped_object
from governance.models import Grid
from governance.permissions import CASE_WORKERS, SUPERVISORS, VISIT_LOGGERS, require_role
from households.models import Household, Visit

from . import figures, ledger, services
from .filters import HazardFilter
from .forms import (
    CloseOutDecisionForm,
    CloseOutRequestForm,
    CompletionForm,
    ControlForm,
    ControlPlanForm,
    HazardFactsForm,
    HazardForm,
    LookBackForm,
    RecheckForm,
    TransferForm,
    VerifyForm,
)
from .models import Hazard
from .tables import HazardTable

S = Hazard.Status
EXPORTERS = (*CASE_WORKERS, *SUPERVISORS)


def _assignments_prefetch():
    return Prefetch("assignments", queryset=ResponsibilityAssignment.objects.select_related("lead", "supervised_by"))


HAZARDS = Hazard.objects.select_related("village", "grid", "township", "field", "household", "found_by",
                                        "reporting_head").prefetch_related(_assignments_prefetch())


def hazard_view(*, methods=("GET", "POST"), permission: Callable | None = Hazard.can_act):
    return scoped_object(HAZARDS, methods=methods, permission=permission)


# --- List and papers -----------------------------------------------------------------------------------------


class HazardListView(ScopedListView):
    model = Hazard
    table_class = HazardTable
    filterset_class = HazardFilter
    template_name = "hazards/hazard_list.html"
    title = _("Safety hazards")

    def base_queryset(self):
        return Hazard.objects.select_related("village", "grid", "field").prefetch_related(_assignments_prefetch())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["create_url_name"] = "hazards:create" if user.has_role(*VISIT_LOGGERS) else None
        context["export_url_name"] = "hazards:export" if user.has_role(*EXPORTERS) else None
        context["can_export"] = user.has_role(*EXPORTERS)
        return context


def _filtered(request):
    filterset = HazardFilter(request.GET, queryset=Hazard.objects.visible_to(request.user), request=request)
    return filterset, (filterset.qs if filterset.is_valid() else Hazard.objects.none())


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """安全隐患排查整治台账 of the filtered list, always in Chinese."""
    require_role(request.user, *EXPORTERS)
    filterset, queryset = _filtered(request)
    start, end = filterset.period
    return ledger.ledger_response(queryset=queryset, user=request.user, start=start, end=end)


@require_GET
def supervision_sheet(request: HttpRequest) -> HttpResponse:
    """重大隐患挂牌督办表: the 重大 hazards of the filtered list with their 五落实."""
    require_role(request.user, *EXPORTERS)
    _filterset, queryset = _filtered(request)
    return ledger.supervision_response(queryset=queryset.filter(grade=Hazard.Grade.MAJOR), user=request.user)


@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    """在办、逾期、重大在办、整改率 against the targets, 复查一次通过率, by field and village; each figure links to the
    list that shows exactly it. The dashboard loads the panel alone (htmx), with its own period and area."""
    f = figures.parse_filters(request.GET)
    data = figures.summary(request.user, **f, today=timezone.localdate())
    template = "hazards/_figures.html" if request.headers.get("HX-Request") else "hazards/hazard_figures.html"
    return render(request, template, {"data": data, "filters": f})


# --- Reporting ----------------------------------------------------------------------------------------------


def create(request: HttpRequest) -> HttpResponse:
    """Report a hazard, from scratch or from a visit (``?visit=<pk>``: the visit's grid and first household). From the
    phone's queue (core/offline.py) each client id is taken once and the answer is JSON."""
    require_role(request.user, *VISIT_LOGGERS)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    send = offline.Send(request, Hazard, by_field="found_by_id")
    answer = send.earlier()
    if answer is not None:
        return answer
    visit = None
    initial = {"found_on": timezone.localdate()}
    if request.GET.get("visit"):
        visit = get_visible_or_404(Visit.objects.select_related("grid"), request.user, pk=request.GET["visit"])
        household = visit.households.visible_to(request.user).first()
        initial.update({"village": visit.grid.village_id, "grid": visit.grid_id, "source": Hazard.Source.VISIT,
                        "household": household.pk if household else None, "found_on": visit.visited_on})
    form = HazardForm(request.POST or None, request.FILES or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            hazard = services.hazard_register(by=request.user, data=data, photos=form.cleaned_data["photos"],
                                              visit=visit, client_id=send.client_id)
        except ValidationError as exc:
            form.add_error(None, exc)
        except IntegrityError:
            answer = send.earlier()  # the same id sent twice at once: the other send made the hazard
            if answer is None:
                raise
            return answer
        else:
            messages.success(request, _("Hazard %(number)s reported.") % {"number": hazard.number})
            return send.made(hazard)
    if send.queued:
        return offline.refused(form)
    return render(request, "hazards/hazard_form.html", {"form": form, "visit": visit})


@require_GET
def grid_options(request: HttpRequest) -> HttpResponse:
    village = parse_id(request.GET.get("village"))
    grids = Grid.objects.visible_to(request.user).active()
    grids = grids.filter(village=village) if village else grids.none()
    return render(request, "hazards/grid_options.html", {"grids": grids})


@require_GET
def household_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of the households of one grid, in scope (the grid select reloads the household select)."""
    grid = parse_id(request.GET.get("grid"))
    households = Household.objects.visible_to(request.user)
    households = households.filter(grid=grid).order_by("pk")[:500] if grid else households.none()
    return render(request, "hazards/household_options.html", {"households": households})


# --- The hazard's page ----------------------------------------------------------------------------------------


@hazard_view(methods=("GET",), permission=None)
def detail(request: HttpRequest, hazard: Hazard) -> HttpResponse:
    user = request.user
    can_act, can_approve = hazard.can_act(user), hazard.can_approve(user)
    actions = [a for a in ACTIONS if a.available(hazard) and a.allowed(hazard, user)]
    return render(request, "hazards/hazard_detail.html", {
        "hazard": hazard,
        "assignment": hazard.assignment,
        "photos": hazard.photos.select_related("uploaded_by"),
        "rectifications": hazard.rectifications.select_related("by"),
        "rechecks": hazard.rechecks.select_related("by"),
        "closeouts": hazard.closeouts.select_related("requested_by", "decided_by"),
        "lookbacks": hazard.lookbacks.select_related("by"),
        "plan": getattr(hazard, "control_plan", None) if hazard.is_major else None,
        "pending_closeout": hazard.pending_closeout() if hazard.status == S.CLOSEOUT else None,
        "entries": history_entries(hazard),
        "actions": actions,
        "can_act": can_act or can_approve,
        "can_plan": hazard.is_major and (can_act or can_approve),
        "can_edit": can_act and hazard.is_open,
    })


@hazard_view(methods=("GET",), permission=None)
def notice(request: HttpRequest, hazard: Hazard) -> HttpResponse:
    """整改通知书 for a 限期整改 hazard with its deadline: printed on A4, always in Chinese."""
    if hazard.handling != Hazard.Handling.DEADLINE or hazard.deadline is None:
        messages.error(request, _("A rectification notice is printed for a hazard to be rectified by a deadline."))
        return redirect(hazard)
    return render(request, "hazards/hazard_notice.html", {"hazard": hazard, "today": timezone.localdate()})


@hazard_view(methods=("GET",), permission=None)
def photo(request: HttpRequest, hazard: Hazard, photo_pk: int) -> FileResponse:
    found = hazard.photos.filter(pk=photo_pk).first()
    if found is None:
        raise Http404
    try:
        handle = found.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Actions: one small view per transition --------------------------------------------------------------------


def _workers(h: Hazard, user) -> bool:
    return h.can_act(user)


def _workers_or_approvers(h: Hazard, user) -> bool:
    return h.can_act(user) or h.can_approve(user)


def _approvers(h: Hazard, user) -> bool:
    return h.can_approve(user)


def _photos(c: dict) -> dict:
    return {k: v for k, v in c.items() if k != "photos"}


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    run: Callable
    form: type
    statuses: tuple
    allowed: Callable = _workers
    primary: bool = True
    when: Callable = lambda h: True

    @property
    def url_name(self) -> str:
        return f"hazards:{self.name}"

    def available(self, hazard: Hazard) -> bool:
        return hazard.status in self.statuses and self.when(hazard)


ACTIONS = [
    Action("verify", _("Verify and set the deadline"), lambda h, by, c: services.hazard_verify(
        hazard=h, by=by, grade=c["grade"], handling=c["handling"], requirement=c["requirement"],
        deadline=c["deadline"], lead=c["lead"], responsible_unit=c["responsible_unit"], team=list(c["team"])),
        VerifyForm, (S.PENDING, S.CONTROLLED)),
    Action("complete", _("Report rectification done"), lambda h, by, c: services.hazard_report_completion(
        hazard=h, by=by, photos=c["photos"], **_photos(c)), CompletionForm, (S.RECTIFYING,)),
    Action("recheck", _("Re-check"), lambda h, by, c: services.hazard_recheck(
        hazard=h, by=by, photos=c["photos"], **_photos(c)), RecheckForm, (S.RECHECK,),
           lambda h, user: _workers_or_approvers(h, user) and h.may_recheck(user)),
    Action("request-closeout", _("Ask for close-out"), lambda h, by, c: engine.rectification_request_closeout(
        case=h, by=by, **c),
           CloseOutRequestForm, (S.CLOSEOUT,), when=lambda h: h.pending_closeout() is None),
    Action("decide-closeout", _("Approve or send back close-out"), lambda h, by, c: engine.rectification_decide_closeout(
        case=h, by=by, **c),
           CloseOutDecisionForm, (S.CLOSEOUT,), lambda h, user: _approvers(h, user) and h.may_decide_closeout(user),
           when=lambda h: h.pending_closeout() is not None),
    Action("look-back", _("Look back"), lambda h, by, c: engine.rectification_look_back(
        case=h, by=by, **c), LookBackForm, (S.CLOSED,), _approvers, primary=False),
    Action("transfer", _("Hand over to a department"), lambda h, by, c: engine.rectification_transfer(
        case=h, by=by, **c), TransferForm, (S.PENDING, S.RECTIFYING), primary=False),
    Action("control", _("Keep under control"), lambda h, by, c: engine.rectification_control(
        case=h, by=by, **c), ControlForm, (S.PENDING, S.RECTIFYING), primary=False),
]


def action_view(action: Action):
    @hazard_view(permission=action.allowed)
    def view(request: HttpRequest, hazard: Hazard) -> HttpResponse:
        if not action.available(hazard):
            messages.error(request, _("This action is not available in the hazard's current state."))
            return redirect(hazard)
        form = action.form(request.POST or None, request.FILES or None, hazard=hazard)
        if request.method == "POST" and form.is_valid():
            try:
                action.run(hazard, request.user, dict(form.cleaned_data))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": action.label})
                return redirect(hazard)
        return render(request, "hazards/hazard_action.html", {"hazard": hazard, "form": form, "action": action})

    view.__name__ = action.name.replace("-", "_")
    return view


@hazard_view(permission=_workers)
def edit(request: HttpRequest, hazard: Hazard) -> HttpResponse:
    """Correct the facts of an open hazard (place, field, responsible party, description), with history."""
    if not hazard.is_open:
        messages.error(request, _("Only an open hazard's facts can be corrected."))
        return redirect(hazard)
    form = HazardFactsForm(request.POST or None, instance=Hazard.objects.get(pk=hazard.pk))
    if request.method == "POST" and form.is_valid():
        services.hazard_edit_facts(hazard=hazard, by=request.user,
                                   data={k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(request, _("Saved."))
        return redirect(hazard)
    return render(request, "hazards/hazard_action.html", {
        "hazard": hazard, "form": form, "action": {"label": _("Correct the hazard's facts")}})


@hazard_view(permission=_workers_or_approvers)
def plan(request: HttpRequest, hazard: Hazard) -> HttpResponse:
    """五落实 of a 重大 hazard: 措施、责任人、资金、时限、应急预案, and when it was reported upward."""
    if not hazard.is_major:
        messages.error(request, _("A control plan is kept for a major hazard."))
        return redirect(hazard)
    form = ControlPlanForm(request.POST or None, hazard=hazard)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        services.hazard_save_plan(hazard=hazard, by=request.user, data=data)
        messages.success(request, _("Saved."))
        return redirect(hazard)
    return render(request, "hazards/hazard_action.html", {
        "hazard": hazard, "form": form, "action": {"label": _("Control plan")}})
