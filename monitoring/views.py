"""Views of monitoring: thin. Lookups start from ``visible_to`` (404 outside the scope), then the method (405),
then the role (403); the work is done by a model method or a service.

Household heads (联户长) and grid workers reach a case of their households, but its page shows only that the
household is monitored and when to visit. Income, health and measures are for cadres and the township, masked
until revealed with a reason (``DetailReveal``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casework.cases import TransitionError
from casework.models import ResponsibilityAssignment
from core.addresses import client_ip
from core.audit import history_entries
from core.lists import ScopedListView
from core.scoping import get_visible_or_404, scoped_object
from governance.models import User
from governance.permissions import (
    LEAD_OPENERS,  # who may open a lead: township staff, cadres, grid workers
    require_role,
)
from households.models import Household, Visit

from . import papers, services
from .filters import MeasureFilter, MonitoringFilter
from .forms import (
    CaseOpenForm,
    CaseUpdateForm,
    CheckForm,
    CountyDecisionForm,
    DateForm,
    EndPublicityForm,
    MeasureDoneForm,
    MeasureForm,
    PublicityForm,
    RefuseEliminationForm,
    RejectForm,
    RevealForm,
)
from .models import Measure, MonitoringCase, sees_details
from .tables import MeasureTable, MonitoringTable

S = MonitoringCase.Status
R = User.Role
#: Who may print the ledger and the publicity lists.
PRINTERS = (R.TOWNSHIP_STAFF, R.SUPERVISOR, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE)


def _assignments():
    return Prefetch("assignments", queryset=ResponsibilityAssignment.objects.select_related("lead"))


def case_view(*, methods=("GET", "POST"), permission: Callable | None = MonitoringCase.can_act):
    return scoped_object(
        MonitoringCase.objects.select_related("household", "village", "grid", "type", "township", "contact")
        .prefetch_related(_assignments()),
        methods=methods, permission=permission,
    )


def _refuse(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- List and papers ----------------------------------------------------------------------------------------


class MonitoringListView(ScopedListView):
    model = MonitoringCase
    table_class = MonitoringTable
    filterset_class = MonitoringFilter
    template_name = "monitoring/case_list.html"
    title = _("Monitoring cases")

    def base_queryset(self):
        return (MonitoringCase.objects.select_related("household", "village", "type", "contact")
                .prefetch_related(_assignments()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["create_url_name"] = "monitoring:create" if user.has_role(*LEAD_OPENERS) else None
        context["export_url_name"] = "monitoring:ledger" if user.has_role(*PRINTERS) else None
        context["can_print"] = user.has_role(*PRINTERS)
        context["can_import_alerts"] = user.has_role(R.TOWNSHIP_STAFF)
        return context


class MeasureListView(ScopedListView):
    """一户一策 measures of the cases in scope, for those who see the plans (not grid workers, 联户长 or the county)."""

    model = Measure
    table_class = MeasureTable
    filterset_class = MeasureFilter
    title = _("Assistance measures")

    def dispatch(self, request, *args, **kwargs):
        if not sees_details(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return Measure.objects.select_related("case__village", "case__household", "category__parent", "owner")


@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """防止返贫监测对象台账 of the filtered list, as .xlsx (always in Chinese)."""
    require_role(request.user, *PRINTERS)
    filterset = MonitoringFilter(request.GET, queryset=MonitoringCase.objects.visible_to(request.user),
                                 request=request)
    queryset = filterset.qs if filterset.is_valid() else MonitoringCase.objects.none()
    township = request.user.township.name if request.user.township_id else ""
    return papers.ledger_response(queryset=queryset, township_name=township)


@require_GET
def publicity_list(request: HttpRequest) -> HttpResponse:
    """纳入 or 消除 公示名单 for printing: name and village only."""
    require_role(request.user, *PRINTERS)
    kind = "exit" if request.GET.get("kind") == "exit" else "entry"
    status = S.EXIT_PUBLICITY if kind == "exit" else S.PUBLICITY
    cases = (MonitoringCase.objects.visible_to(request.user).filter(status=status)
             .select_related("household", "village", "type").order_by("village__name", "number"))
    return render(request, "monitoring/publicity_list.html", {"rows": papers.publicity_rows(cases), "kind": kind,
                                                               "township": request.user.township})


@require_GET
def cards(request: HttpRequest) -> HttpResponse:
    """The monitoring cards of the dashboard (loaded with htmx, so the dashboard's own queries stay as they are)."""
    if request.user.role == R.HOUSEHOLD_HEAD and not request.user.is_superuser:
        return HttpResponse("")
    from core.bounds import parse_id

    from . import figures

    return render(request, "monitoring/cards.html",
                  {"cards": figures.cards(request.user, village=parse_id(request.GET.get("village")),
                                          township=parse_id(request.GET.get("township")))})


# --- Opening a lead -----------------------------------------------------------------------------------------


def create(request: HttpRequest) -> HttpResponse:
    """A 线索 (``?household=<pk>`` picks the household, e.g. from its page or a visit)."""
    require_role(request.user, *LEAD_OPENERS)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    initial = {}
    if request.GET.get("household"):
        household = get_visible_or_404(Household.objects, request.user, pk=request.GET["household"])
        initial["household"] = household.pk
    if request.GET.get("source") in MonitoringCase.Source.values:
        initial["source"] = request.GET["source"]
    visit = None
    if request.GET.get("visit"):
        # From a visit's page (households link here; they never import monitoring): found on a visit.
        visit = get_visible_or_404(Visit.objects, request.user, pk=request.GET["visit"])
        initial["source"] = MonitoringCase.Source.VISIT
        initial["lead_note"] = visit.notes
    form = CaseOpenForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                by=request.user, household=data["household"], type=data["type"], source=data["source"],
                risk_kinds=data["risk_kinds"], found_on=data["found_on"], lead_note=data["lead_note"],
                contact=data["contact"], visit=visit)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Lead %(number)s opened.") % {"number": case.number})
            return redirect(case)
    return render(request, "monitoring/case_form.html", {"form": form})


@case_view()
def update(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
    if case.is_closed:
        messages.error(request, _("A closed case cannot be edited."))
        return redirect(case)
    form = CaseUpdateForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.instance._change_reason = "edit"
        form.save()
        if "type" in form.changed_data:
            case.follow_type()
        messages.success(request, _("Saved."))
        return redirect(case)
    return render(request, "monitoring/case_update.html", {"form": form, "case": case})


# --- The case page ------------------------------------------------------------------------------------------


def _detail_context(request, case: MonitoringCase, *, revealed: bool = False, reveal_form=None) -> dict:
    user = request.user
    details = case.details_visible_to(user)
    can_act = case.can_act(user)
    context = {"case": case, "details": details, "revealed": details and revealed,
               "next_visit_on": case.next_visit_on(), "reveal_form": reveal_form or RevealForm()}
    if not details:
        # The county's users record its decisions on a page without the household's income, health and plan.
        context["actions"] = [a for a in ACTIONS if a.who is _county and a.available(case, user)]
        return context
    context.update({
        "assignment": case.assignment,
        "risk_kinds": case.risk_kinds.all(),
        "measures": case.measures.select_related("category__parent", "owner"),
        "checks": case.checks.select_related("checked_by")[:5],
        "deadline": case.measures_deadline,
        "problems": case.open_problems,
        "hint": case.elimination_hint(),
        "entries": history_entries(case),
        "can_act": can_act,
        "actions": [a for a in ACTIONS if a.available(case, user)] if can_act else [],
    })
    return context


@case_view(methods=("GET",), permission=None)
def detail(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
    return render(request, "monitoring/case_detail.html", _detail_context(request, case))


@case_view(methods=("POST",), permission=MonitoringCase.details_visible_to)
def reveal(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
    """Income, health and measures in full, after a reason that is logged first."""
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            services.details_reveal(user=request.user, case=case, reason=form.cleaned_data["reason"],
                                    ip=client_ip(request))
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            return render(request, "monitoring/case_detail.html", _detail_context(request, case, revealed=True))
    return render(request, "monitoring/case_detail.html", _detail_context(request, case, reveal_form=form),
                  status=400)


@case_view(methods=("GET",), permission=MonitoringCase.details_visible_to)
def plan_print(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
    """一户一策帮扶计划表, one A4 page (always in Chinese)."""
    return render(request, "monitoring/plan_print.html", {
        "case": case, "measures": case.measures.select_related("category__parent", "owner"),
        "risk_kinds": case.risk_kinds.all(), "check": case.latest_check(), "line": case.line,
    })


# --- Measures and checks -------------------------------------------------------------------------------------


@case_view()
def measure_add(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
    form = MeasureForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Measure added."))
            return redirect(case)
    return render(request, "monitoring/case_action.html", {"case": case, "form": form, "label": _("Add a measure")})


def measure_done(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_visible_or_404(Measure.objects.select_related("case"), request.user, pk=pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    case = measure.case
    if not case.can_act(request.user):
        raise PermissionDenied
    form = MeasureDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_done(measure=measure, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Measure done."))
            return redirect(case)
    return render(request, "monitoring/case_action.html",
                  {"case": case, "form": form, "label": _("Measure done"), "subject": measure.what})


@case_view()
def check_add(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["schooling"] = data.pop("children")
        services.check_record(case=case, by=request.user, **data)
        messages.success(request, _("Check recorded."))
        return redirect(case)
    return render(request, "monitoring/case_action.html",
                  {"case": case, "form": form, "label": _("Record a security check")})


# --- Actions: one small view per transition ------------------------------------------------------------------


def _decider(case, user) -> bool:
    return case.can_decide(user)


def _worker(case, user) -> bool:
    return case.can_act(user)


def _county(case, user) -> bool:
    return case.can_record_county(user)


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    run: Callable
    form: type | None
    statuses: tuple
    who: Callable = _worker
    primary: bool = True

    @property
    def url_name(self) -> str:
        return f"monitoring:{self.name}"

    def available(self, case, user) -> bool:
        return case.status in self.statuses and self.who(case, user)


ACTIONS = [
    Action("verify", _("Home verification"), lambda c, by, d: c.verify(by=by, **d), DateForm,
           (S.LEAD, S.EXIT_APPLIED)),
    Action("start-publicity", _("Start the publicity"), lambda c, by, d: c.start_publicity(by=by, **d),
           PublicityForm, (S.VERIFYING, S.EXIT_VERIFYING)),
    Action("end-publicity", _("End the publicity"), lambda c, by, d: c.end_publicity(by=by, **d),
           EndPublicityForm, (S.PUBLICITY, S.EXIT_PUBLICITY)),
    Action("township-approve", _("Township review passed"), lambda c, by, d: c.township_approve(by=by, **d),
           DateForm, (S.TOWNSHIP_REVIEW,), _decider),
    Action("county-approve", _("Record the county's approval"), lambda c, by, d: c.county_approve(by=by, **d),
           CountyDecisionForm, (S.COUNTY_REVIEW,), _county),
    Action("reject", _("Not included"), lambda c, by, d: c.reject(by=by, **d), RejectForm,
           MonitoringCase.ENTRY_STATUSES, primary=False),
    Action("apply-exit", _("Apply for risk elimination"), lambda c, by, d: c.apply_exit(by=by, **d), DateForm,
           (S.MONITORED,), primary=False),
    Action("approve-elimination", _("Record the county's approval of elimination"),
           lambda c, by, d: c.approve_elimination(by=by, **d), CountyDecisionForm, (S.EXIT_COUNTY_REVIEW,), _county),
    Action("refuse-elimination", _("Risk not eliminated"), lambda c, by, d: c.refuse_elimination(by=by, **d),
           RefuseEliminationForm,
           (S.EXIT_APPLIED, S.EXIT_VERIFYING, S.EXIT_PUBLICITY, S.EXIT_COUNTY_REVIEW), primary=False),
]


def action_view(action: Action):
    @case_view(permission=None)  # who may act is the action's own rule (the county's users are not case workers)
    def view(request: HttpRequest, case: MonitoringCase) -> HttpResponse:
        if not action.who(case, request.user):
            raise PermissionDenied
        form = action.form(request.POST or None, case=case)
        if request.method == "GET" and case.status not in action.statuses:
            messages.error(request, _("This action is not available in the case's current state."))
            return redirect(case)
        if request.method == "POST" and form.is_valid():
            try:
                action.run(case, request.user, dict(form.cleaned_data))
            except TransitionError as exc:
                _refuse(request, exc)
                return redirect(case)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": action.label})
                return redirect(case)
        return render(request, "monitoring/case_action.html", {"case": case, "form": form, "label": action.label})

    view.__name__ = action.name.replace("-", "_")
    return view


# --- htmx partials ------------------------------------------------------------------------------------------


def household_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The monitoring episodes of one household, for the household page: for a household head, only the flag."""
    household = get_visible_or_404(Household.objects, request.user, pk=pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    cases = MonitoringCase.objects.visible_to(request.user).filter(household=household).select_related("type")
    return render(request, "monitoring/household_panel.html", {
        "household": household, "cases": cases, "can_open": request.user.has_role(*LEAD_OPENERS),
    })
