"""Views of disputes: thin. Lookups start from ``visible_to`` (404 outside the scope), then the method is checked
(405), then the role (403); the work is done by a model method or a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casework.batching import attach_assignments, attach_list_assignments
from casework.cases import TransitionError
from casework.forms import SuperviseForm
from casework.models import ResponsibilityAssignment
from core.addresses import client_ip
from core.audit import history_entries
from core.bounds import parse_id
from core.concurrency import Conflict, VersionedFormMixin, conflict_response, save_versioned
from core.lists import ScopedListView
from core.normalise import normalize_search
from core.scoping import get_visible_or_404, scoped_object
from governance.models import Grid
from governance.permissions import CASE_WORKERS, SUPERVISORS, VISIT_LOGGERS, require_role
from households.idnumbers import normalize
from households.models import Household, Resident, Visit
from households.permissions import may_reveal
from households.phones import normalize_phone

from . import figures, ledger, papers, services
from .filters import DisputeFilter
from .forms import (
    AssignmentForm,
    CloseForm,
    CloseOutDecisionForm,
    DisputeForm,
    DisputeUpdateForm,
    FailureForm,
    FollowUpForm,
    FulfilmentForm,
    HandDownForm,
    LevelForm,
    PartyAddForm,
    PeriodForm,
    ReferForm,
    ReopenForm,
    SessionForm,
    StartMediationForm,
    SuccessForm,
    party_data,
    party_formset,
)
from .models import Dispute, Party
from .tables import DisputeTable

S = Dispute.Status
EXPORTERS = (*CASE_WORKERS, *SUPERVISORS)


def _assignments_prefetch():
    return Prefetch("assignments", queryset=ResponsibilityAssignment.objects.select_related("lead", "supervised_by"))


def dispute_view(*, methods=("GET", "POST"), permission: Callable | None = Dispute.can_act):
    """A dispute's page or action: in scope (404), by method (405), then whether the user may act (403)."""
    return scoped_object(
        Dispute.objects.select_related("village", "grid", "township").prefetch_related(_assignments_prefetch()),
        methods=methods, permission=permission,
    )


def _refuse(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- List, ledger, figures --------------------------------------------------------------------------------


class DisputeListView(ScopedListView):
    model = Dispute
    table_class = DisputeTable
    filterset_class = DisputeFilter
    template_name = "disputes/dispute_list.html"
    title = _("Disputes")

    def base_queryset(self):
        # Only the columns the table shows (a dispute row has 45, long texts among them).
        return (
            Dispute.objects.select_related("village")
            .only("number", "registered_on", "title", "kind", "village__name", "level", "status", "risk")
            # Overdue (the row's colour) is read from the assignment (Dispute.overdue): no subquery for each row.
            .after_fetch(attach_list_assignments)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["create_url_name"] = "disputes:create" if user.has_role(*VISIT_LOGGERS) else None
        context["export_url_name"] = "disputes:export" if user.has_role(*EXPORTERS) else None
        return context


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The ledger of the filtered list, as .xlsx (official layout) or .csv."""
    require_role(request.user, *EXPORTERS)
    filterset = DisputeFilter(request.GET, queryset=Dispute.objects.visible_to(request.user), request=request)
    queryset = filterset.qs if filterset.is_valid() else Dispute.objects.none()
    if request.GET.get("format") == "csv":
        return ledger.csv_response(queryset=queryset)
    start, end = filterset.period
    township = request.user.township.name if request.user.township_id else ""
    return ledger.xlsx_response(queryset=queryset, user=request.user, township_name=township, start=start, end=end)


@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    """Success rate and the share resolved at village level, per village and month (SQL aggregates)."""
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    user = request.user
    return render(request, "disputes/dispute_figures.html", {
        "form": form, "summary": figures.summary(user, start, end),
        "by_village": figures.rates_by_village(user, start, end), "by_month": figures.rates_by_month(user, start, end),
        "by_kind": figures.counts_by_kind(user, start, end), "by_level": figures.counts_by_level(user, start, end),
    })


# --- Registering and editing ---------------------------------------------------------------------------


def _from_visit(request, visit: Visit) -> tuple[dict, list[dict]]:
    grid = visit.grid
    initial = {"village": grid.village_id, "grid": grid.pk, "source": Dispute.Source.VISIT,
               "registered_on": timezone.localdate(), "description": visit.notes}
    heads = (
        Resident.objects.visible_to(request.user)
        .filter(household__in=visit.households.all(), relation=Resident.Relation.HEAD)
        .select_related("household")
    )
    parties = [{"resident": r, "name": r.name, "side": Party.Side.APPLICANT} for r in heads]
    return initial, parties


def create(request: HttpRequest) -> HttpResponse:
    """Register a dispute from scratch, or from a visit (``?visit=<pk>`` fills the place and the parties)."""
    require_role(request.user, *VISIT_LOGGERS)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    visit = None
    initial, party_initial = {"registered_on": timezone.localdate()}, None
    if request.GET.get("visit"):
        visit = get_visible_or_404(Visit.objects.select_related("grid"), request.user, pk=request.GET["visit"])
        initial, party_initial = _from_visit(request, visit)
    data = request.POST if request.method == "POST" else None
    form = DisputeForm(data, initial=initial, user=request.user)
    parties = party_formset(user=request.user, data=data, initial=party_initial)
    if data is not None and form.is_valid() and parties.is_valid():
        try:
            dispute = services.dispute_register(
                by=request.user, data=form.cleaned_data, parties=parties.parties(), visit=visit
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Dispute %(number)s registered.") % {"number": dispute.number})
            return redirect(dispute)
    return render(request, "disputes/dispute_form.html", {"form": form, "parties": parties, "visit": visit})


@dispute_view()
def update(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    if dispute.is_closed:
        messages.error(request, _("A closed dispute cannot be edited."))
        return redirect(dispute)
    form = DisputeUpdateForm(request.POST or None, instance=dispute, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.instance._change_reason = "edit"
        try:
            save_versioned(form, lambda: services.dispute_save_edit(dispute=form.save(commit=False)))
        except Conflict as conflict:
            return conflict_response(request, conflict, form, reload_url=reverse("disputes:update", args=[dispute.pk]),
                                     back_url=dispute.get_absolute_url())
        messages.success(request, _("Saved."))
        return redirect(dispute)
    return render(request, "disputes/dispute_update.html", {"form": form, "dispute": dispute})


@dispute_view()
def party_add(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    form = PartyAddForm(request.POST or None, user=request.user, prefix="party")
    if request.method == "POST" and form.is_valid():
        data = party_data(form.cleaned_data)
        try:
            services.party_add(dispute=dispute, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Party added."))
            return redirect(dispute)
    return render(request, "disputes/party_form.html", {"form": form, "dispute": dispute})


def party_remove(request: HttpRequest, pk: int) -> HttpResponse:
    party = get_visible_or_404(Party.objects.select_related("dispute"), request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not party.dispute.can_act(request.user):
        raise PermissionDenied
    try:
        services.party_remove(party=party, by=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Party removed."))
    return redirect(party.dispute)


# --- The case page ----------------------------------------------------------------------------------------


@dispute_view(methods=("GET",), permission=None)
def detail(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    user = request.user
    can_act = dispute.can_act(user)
    context = {
        "dispute": dispute,
        "assignment": dispute.assignment,
        "parties": dispute.parties.select_related("resident__household"),
        "mediators": dispute.mediators.all(),
        "sessions": dispute.sessions.select_related("recorded_by"),
        "level_changes": dispute.level_changes.select_related("changed_by", "new_handler"),
        "entries": history_entries(dispute),
        "can_act": can_act,
        "can_assign": dispute.can_assign(user) and not dispute.is_closed,
        "closeouts": dispute.closeouts.select_related("requested_by", "decided_by"),
        "can_decide_closeout": dispute.can_decide_closeout(user),
        "can_supervise": user.has_role(*SUPERVISORS) and dispute.assignment is not None,
        "actions": [a for a in ACTIONS if a.available(dispute)] if can_act else [],
        "read_only": not can_act,
    }
    return render(request, "disputes/dispute_detail.html", context)


@dispute_view(permission=None)
def agreement_print(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    """The 人民调解协议书 on A4 (Ministry of Justice format), or the 口头调解协议登记 of an oral agreement. GET prints
    ID numbers masked; POST prints the copy the parties sign, with full ID numbers, each logged as a reveal."""
    if not dispute.has_agreement:
        messages.error(request, _("This dispute has no mediation agreement to print."))
        return redirect(dispute)
    refusal = dispute.agreement_refusal()
    if refusal:
        messages.error(request, refusal)
        return redirect(dispute)
    full_ids = request.method == "POST"
    if full_ids and not may_reveal(request.user):
        raise PermissionDenied
    if dispute.is_written_agreement and not dispute.agreement_number:
        dispute.number_agreement(by=request.user)
    if full_ids:
        papers.agreement_reveal(dispute=dispute, user=request.user, ip=client_ip(request))
    context = papers.agreement_context(dispute, full_ids=full_ids)
    context["may_reveal"] = may_reveal(request.user)
    template = "disputes/dispute_agreement.html" if dispute.is_written_agreement else "disputes/dispute_oral_agreement.html"
    return render(request, template, context)


@dispute_view(methods=("GET",), permission=None)
def mediation_record(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    """调解笔录: one page per mediation session (date, place, participants, what was said, result)."""
    sessions = list(dispute.sessions.select_related("recorded_by"))
    if not sessions:
        messages.error(request, _("No mediation session has been recorded yet."))
        return redirect(dispute)
    context = papers.record_context(dispute)
    context["sessions"] = [(s, papers.paper_date(s.held_on)) for s in sessions]
    return render(request, "disputes/dispute_mediation_record.html", context)


@dispute_view(methods=("GET",), permission=None)
def follow_up_record(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    """回访记录: when and what the follow-up visit found, after the agreement or the referral."""
    if not dispute.follow_up_on:
        messages.error(request, _("The follow-up visit has not been recorded yet."))
        return redirect(dispute)
    context = papers.record_context(dispute)
    context["follow_up_date"] = papers.paper_date(dispute.follow_up_on)
    context["ended_date"] = papers.paper_date(dispute.mediation_ended_on)
    with translation.override("zh-hans"):
        context["fulfilment"] = str(dispute.get_fulfilment_display()) if dispute.fulfilment else ""
    return render(request, "disputes/dispute_follow_up_record.html", context)


# --- Actions: one small view per transition ------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    run: Callable
    form: type | None = None
    statuses: tuple = ()
    when: Callable[[Dispute], bool] = lambda d: True
    primary: bool = False

    @property
    def has_form(self) -> bool:
        return self.form is not None  # templates call classes, so they ask this instead

    @property
    def url_name(self) -> str:
        return f"disputes:{self.name}"

    def available(self, dispute: Dispute) -> bool:
        return dispute.status in self.statuses and self.when(dispute)


ACTIONS = [
    Action("accept", _("Accept"), lambda d, by, c: d.accept(by=by), statuses=(S.REGISTERED,), primary=True),
    Action("start-mediation", _("Start mediation"), lambda d, by, c: d.start_mediation(by=by, **c),
           StartMediationForm, (S.ACCEPTED, S.FAILED), primary=True),
    Action("session-add", _("Record a session"), lambda d, by, c: d.add_session(by=by, **c), SessionForm,
           (S.MEDIATING,), primary=True),
    Action("succeed", _("Record the agreement"), lambda d, by, c: d.record_success(by=by, **c), SuccessForm,
           (S.MEDIATING,)),
    Action("fail", _("Mediation failed"), lambda d, by, c: d.record_failure(by=by, **c), FailureForm,
           (S.MEDIATING,)),
    Action("refer", _("Hand over or refer"), lambda d, by, c: d.refer(by=by, **c), ReferForm, (S.FAILED,),
           primary=True),
    Action("fulfilment", _("Record fulfilment"), lambda d, by, c: d.record_fulfilment(by=by, **c), FulfilmentForm,
           (S.SUCCEEDED, S.FOLLOWED_UP)),
    Action("follow-up", _("Record the follow-up visit"), lambda d, by, c: d.follow_up(by=by, **c), FollowUpForm,
           (S.SUCCEEDED, S.REFERRED), primary=True),
    Action("close", _("Close the case"), lambda d, by, c: services.dispute_close(dispute=d, by=by, **c), CloseForm,
           (S.FOLLOWED_UP,), lambda d: not d.closing_needs_approval, primary=True),
    Action("request-close", _("Ask for close-out approval"),
           lambda d, by, c: services.dispute_close(dispute=d, by=by, **c), CloseForm, (S.FOLLOWED_UP,),
           lambda d: d.closing_needs_approval, primary=True),
    Action("reopen", _("Reopen the dispute"), lambda d, by, c: services.dispute_reopen(dispute=d, by=by, **c),
           ReopenForm, (S.CLOSED,)),
    Action("escalate", _("Escalate"), lambda d, by, c: services.dispute_change_level(dispute=d, by=by, **c), LevelForm,
           tuple(s for s in S.values if s != S.CLOSED), lambda d: d.level != Dispute.Level.COUNTY),
    Action("hand-down", _("Hand down"), lambda d, by, c: services.dispute_change_level(dispute=d, by=by, **c),
           HandDownForm,
           tuple(s for s in S.values if s != S.CLOSED), lambda d: d.level != Dispute.Level.VILLAGE),
]
ACTIONS_BY_NAME = {a.name: a for a in ACTIONS}


def _run_action(request, dispute: Dispute, action: Action, form, run: Callable) -> HttpResponse:
    """GET shows the form; a valid POST runs it. A refused transition comes back as a message."""
    if request.method == "GET" and form is not None and not action.available(dispute):
        messages.error(request, _("This action is not available in the dispute's current state."))
        return redirect(dispute)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            _save(dispute, request.user, form, run)
        except Conflict as conflict:
            return conflict_response(request, conflict, form, reload_url=request.path, back_url=dispute.get_absolute_url())
        except TransitionError as exc:
            _refuse(request, exc)
            return redirect(dispute)
        except ValidationError as exc:
            if form is None:
                _refuse(request, exc)
                return redirect(dispute)
            form.add_error(None, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": action.label})
            return redirect(dispute)
    return render(request, "disputes/dispute_action.html", {"dispute": dispute, "form": form, "action": action})


def _save(dispute: Dispute, user, form, run: Callable) -> None:
    """Run the action; a form that edits values others may have saved since it was opened checks their version."""
    data = dict(form.cleaned_data) if form is not None else {}
    data.pop("version", None)
    if isinstance(form, VersionedFormMixin):
        save_versioned(form, lambda: run(dispute, user, data), lock=dispute)
    else:
        run(dispute, user, data)


def action_view(action: Action):
    methods = ("GET", "POST") if action.form else ("POST",)

    @dispute_view(methods=methods)
    def view(request: HttpRequest, dispute: Dispute) -> HttpResponse:
        form = action.form(request.POST or None, dispute=dispute) if action.form else None
        return _run_action(request, dispute, action, form, action.run)

    view.__name__ = action.name.replace("-", "_")
    return view


DECIDE = Action("closeout-decide", _("Decide the close-out"), lambda d, by, c: None, CloseOutDecisionForm,
                (S.CLOSE_REQUESTED,))


@dispute_view(permission=Dispute.can_assign)
def closeout_decide(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    """Approve or send back a 较大/重大 dispute's close-out (township staff or a supervisor, not who asked)."""
    form = CloseOutDecisionForm(request.POST or None, dispute=dispute)

    def run(d, by, c):
        services.dispute_decide_closeout(dispute=d, by=by, approve=c["decision"] == "approve", comment=c["comment"])

    return _run_action(request, dispute, DECIDE, form, run)


ASSIGN = Action("assignment", _("Responsibility assignment"), lambda d, by, c: None, AssignmentForm,
                tuple(s for s in S.values if s != S.CLOSED))
SUPERVISE = Action("supervise", _("Put under supervision"), lambda d, by, c: None, SuperviseForm,
                   tuple(s for s in S.values if s != S.CLOSED))


@dispute_view(permission=Dispute.can_assign)
def assignment(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    """包案: the lead official, responsible unit, team and deadline (township staff and supervisors)."""
    form = AssignmentForm(request.POST or None, case=dispute)

    def run(d, by, c):
        services.dispute_assign(dispute=d, by=by, lead=c["lead"], responsible_unit=c["responsible_unit"],
                                deadline=c["deadline"], team=list(c["team"]))

    return _run_action(request, dispute, ASSIGN, form, run)


@dispute_view(permission=lambda d, u: u.has_role(*SUPERVISORS))
def supervise(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    """挂牌督办 (supervisors only)."""
    form = SuperviseForm(request.POST or None, case=dispute, assignment=dispute.assignment)

    def run(d, by, c):
        services.dispute_supervise(dispute=d, by=by, level=c["level"], comment=c["comment"])

    return _run_action(request, dispute, SUPERVISE, form, run)


# --- htmx partials -----------------------------------------------------------------------------------------


def household_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The disputes of one household, for the household page (loaded with htmx)."""
    household = get_visible_or_404(Household.objects, request.user, pk=pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    disputes = (
        Dispute.objects.visible_to(request.user).for_household(household).select_related("village")
        .after_fetch(attach_assignments).with_overdue()
    )
    return render(request, "disputes/dispute_household_panel.html", {
        "household": household, "disputes": disputes, "can_register": request.user.has_role(*VISIT_LOGGERS),
    })


@require_GET
def grid_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of the grids of one village (the village select reloads the grid select)."""
    village = parse_id(request.GET.get("village"))
    grids = Grid.objects.visible_to(request.user).active()
    grids = grids.filter(village=village) if village else grids.none()
    return render(request, "disputes/grid_options.html", {"grids": grids})


@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """Residents in scope matching a name, an ID number or a phone: at most 10, shown masked."""
    q = normalize_search(request.GET.get("q", ""))
    residents = Resident.objects.none()
    if q:
        residents = (
            Resident.objects.visible_to(request.user)
            .filter(Q(name__startswith=q) | Q(id_number=normalize(q)) | Q(phone=normalize_phone(q)))
            .select_related("household")
            .order_by("name", "pk")[:10]
        )
    return render(request, "disputes/resident_search.html", {
        "residents": residents, "prefix": request.GET.get("prefix", ""), "q": q,
    })
