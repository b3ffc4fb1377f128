"""Views of demands (诉求) beyond the visit page: logging one without a visit (a phone call, a walk-in), the demand's
own page, and its follow-up on the rectification engine (casework/rectification.py), one small view per step.
Lookups start from ``visible_to`` (404 outside the scope), then the method (405), then the role (403)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from casework import rectification as engine
from casework.models import ResponsibilityAssignment
from core import offline
from core.audit import history_entries
from core.bounds import parse_id
from core.scoping import scoped_object
from governance.permissions import require_role

from . import figures, services
from .forms import (
    DemandCloseOutDecisionForm,
    DemandCloseOutRequestForm,
    DemandFollowUpForm,
    DemandLogForm,
    DemandLookBackForm,
    DemandRecheckForm,
    DemandReportForm,
    DemandSettleForm,
)
from .models import Demand, Household
from .permissions import REGISTRY_EDITORS

S = Demand.Status
DEMANDS = Demand.objects.select_related(
    "grid__village", "township", "household", "category", "owner", "raised_by", "visit",
).prefetch_related(Prefetch("assignments", queryset=ResponsibilityAssignment.objects.select_related("lead")))


@require_http_methods(["GET", "POST"])
def demand_log(request: HttpRequest) -> HttpResponse:
    """登记诉求: a demand heard by phone or at the village office, for a household in the user's scope. From the phone's
    queue (core/offline.py) each client id is taken once and the answer is JSON."""
    require_role(request.user, *REGISTRY_EDITORS)
    send = offline.Send(request, Demand, by_field="raised_by_id")
    answer = send.earlier()
    if answer is not None:
        return answer
    initial = {"household": parse_id(request.GET.get("household"))}
    form = DemandLogForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.demand_log(by=request.user, client_id=send.client_id, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except IntegrityError:
            answer = send.earlier()  # the same id sent twice at once: the other send made the demand
            if answer is None:
                raise
            return answer
        else:
            messages.success(request, _("Demand %(number)s recorded.") % {"number": demand.number})
            return send.made(demand)
    if send.queued:
        return offline.refused(form)
    household = None
    if not form.few_households and initial["household"]:
        household = Household.objects.visible_to(request.user).filter(pk=initial["household"]).first()
    return render(request, "households/demand_log.html", {"form": form, "household": household,
                                                          "section": "demands"})



@require_GET
def demand_figures(request: HttpRequest) -> HttpResponse:
    """The dashboard's 诉求 panel (loaded alone, htmx): open, overdue and 销号率 as of today, for the dashboard's area;
    each figure links to the demand list that shows exactly its rows."""
    village, grid = parse_id(request.GET.get("village")), parse_id(request.GET.get("grid"))
    township = parse_id(request.GET.get("township"))
    data = figures.demand_summary(request.user, village=village, grid=grid, township=township)
    area = {"grid": grid} if grid else ({"village": village} if village else ({"township": township} if township else {}))
    base = reverse("households:demand-list")
    data["urls"] = {key: f"{base}?{urlencode({**params, **area})}" for key, params in (
        ("open", {"state": "open"}), ("overdue", {"state": "overdue"}), ("closed", {"status": "closed"}))}
    data["closed_percent"] = "—" if data["closed_rate"] is None else f"{data['closed_rate'] * 100:.1f}%"
    return render(request, "households/_demand_figures.html", {"data": data})


@scoped_object(DEMANDS, methods=("GET",))
def demand_detail(request: HttpRequest, demand: Demand) -> HttpResponse:
    user = request.user
    return render(request, "households/demand_detail.html", {
        "demand": demand,
        "assignment": demand.assignment,
        "rectifications": demand.rectifications.select_related("by"),
        "rechecks": demand.rechecks.select_related("by"),
        "closeouts": demand.closeouts.select_related("requested_by", "decided_by"),
        "lookbacks": demand.lookbacks.select_related("by"),
        "pending_closeout": demand.pending_closeout() if demand.status == S.CLOSEOUT else None,
        "entries": history_entries(demand),
        "actions": [a for a in ACTIONS if a.available(demand) and a.allowed(demand, user)],
        "can_settle": demand.can_act(user) and not demand.needs_follow_up and demand.is_open,
        "can_reopen": demand.can_act(user) and not demand.needs_follow_up and demand.status == S.CLOSED,
        "settle_form": DemandSettleForm(),
        "outcome_choices": Demand.Outcome.choices,
        "section": "demands",
    })


def _workers(d: Demand, user) -> bool:
    return d.can_act(user)


def _workers_or_approvers(d: Demand, user) -> bool:
    return d.can_act(user) or d.can_approve(user)


def _approvers(d: Demand, user) -> bool:
    return d.can_approve(user)


def _approvers_but_the_requester(d: Demand, user) -> bool:
    """Whoever asked for the 销号 is neither offered nor allowed its approval."""
    pending = d.pending_closeout()
    return d.can_approve(user) and (pending is None or pending.requested_by_id != user.pk)


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    run: Callable
    form: type
    statuses: tuple
    allowed: Callable = _workers
    primary: bool = True
    when: Callable = lambda d: True

    @property
    def url_name(self) -> str:
        return f"households:demand-{self.name}"

    def available(self, demand: Demand) -> bool:
        return demand.status in self.statuses and self.when(demand)


ACTIONS = [
    Action("follow-up", gettext_lazy("Follow up with a deadline"), lambda d, by, c: services.demand_follow_up(
        demand=d, by=by, team=list(c.pop("team")), **c), DemandFollowUpForm, (S.PENDING,)),
    Action("report", gettext_lazy("Report the demand handled"), lambda d, by, c: services.demand_report(
        demand=d, by=by, **c), DemandReportForm, (S.RECTIFYING,), when=lambda d: d.needs_follow_up),
    Action("recheck", gettext_lazy("Re-check with the resident"), lambda d, by, c: engine.rectification_recheck(
        case=d, by=by, **c), DemandRecheckForm, (S.RECHECK,), _workers_or_approvers),
    Action("request-closeout", gettext_lazy("Ask for close-out"), lambda d, by, c: d.request_closeout(by=by, **c),
           DemandCloseOutRequestForm, (S.CLOSEOUT,), _workers_or_approvers, when=lambda d: d.pending_closeout() is None),
    Action("decide-closeout", gettext_lazy("Approve or send back close-out"),
           lambda d, by, c: d.decide_closeout(by=by, **c), DemandCloseOutDecisionForm, (S.CLOSEOUT,), _approvers_but_the_requester,
           when=lambda d: d.pending_closeout() is not None),
    Action("look-back", gettext_lazy("Look back"), lambda d, by, c: engine.rectification_look_back(
        case=d, by=by, **c), DemandLookBackForm, (S.CLOSED,), _approvers, primary=False,
        when=lambda d: d.needs_follow_up),
]


def action_view(action: Action):
    @scoped_object(DEMANDS, methods=("GET", "POST"), permission=action.allowed)
    def view(request: HttpRequest, demand: Demand) -> HttpResponse:
        if not action.available(demand):
            messages.error(request, _("This action is not available in the demand's current state."))
            return redirect(demand)
        form = action.form(request.POST or None, demand=demand)
        if request.method == "POST" and form.is_valid():
            try:
                action.run(demand, request.user, dict(form.cleaned_data))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": action.label})
                return redirect(demand)
        return render(request, "households/demand_action.html", {
            "demand": demand, "form": form, "action": action, "section": "demands"})

    view.__name__ = "demand_" + action.name.replace("-", "_")
    return view
