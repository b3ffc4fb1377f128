"""红黑榜 pages: the rules, each list (draft → awaiting approval → published), the poster, the follow-ups and the
hygiene score sheets. Seeing is scoping (404 outside); acting is by role and part (403 inside)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.lists import ScopedListView
from core.scoping import scoped_object
from governance.models import User
from governance.permissions import CASE_WORKERS, require_role

from . import services
from .filters import HygieneInspectionFilter
from .forms import DecideForm, DraftForm, FollowUpCloseForm, HygieneInspectionForm, ListDefinitionForm
from .models import Entry, FollowUp, HygieneInspection, ListDefinition, ListIssue, TransitionRefused
from .tables import HygieneInspectionTable

R = User.Role
#: Draft the rules and the lists, write the reasons: the township's staff.
LIST_KEEPERS = (R.TOWNSHIP_STAFF,)
INSPECTORS = CASE_WORKERS


def _keeps(user) -> bool:
    return user.has_role(*LIST_KEEPERS)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    issues = (ListIssue.objects.visible_to(user).select_related("definition", "village", "approved_by")
              .order_by("-period_end", "-pk")[:100])
    return render(request, "honours/index.html", {
        "definitions": ListDefinition.objects.visible_to(user).select_related("village"),
        "issues": issues, "today": today, "may_keep": _keeps(user),
        "may_inspect": user.has_role(*INSPECTORS),
    })


@require_http_methods(["GET", "POST"])
def definition_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *LIST_KEEPERS)
    if request.user.township_id is None:
        raise PermissionDenied
    form = ListDefinitionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        definition = form.save()
        messages.success(request, _("The rule is saved: draft its first list."))
        return redirect(definition)
    return render(request, "honours/definition_form.html", {"form": form})


@scoped_object(ListDefinition.objects.select_related("village", "created_by"))
def definition_detail(request: HttpRequest, definition: ListDefinition) -> HttpResponse:
    start, end = definition.period_of(timezone.localdate())
    return render(request, "honours/definition_detail.html", {
        "definition": definition, "issues": definition.issues.order_by("-period_end", "-pk"),
        "may_keep": _keeps(request.user), "form": DraftForm(initial={"start": start, "end": end}),
    })


@scoped_object(ListDefinition.objects.all(), methods=("POST",), permission=lambda d, u: _keeps(u))
def definition_draft(request: HttpRequest, definition: ListDefinition) -> HttpResponse:
    form = DraftForm(request.POST)
    if not form.is_valid():
        return render(request, "honours/definition_detail.html", {
            "definition": definition, "issues": definition.issues.order_by("-period_end", "-pk"),
            "may_keep": True, "form": form}, status=400)
    issue = services.issue_draft(definition=definition, by=request.user, start=form.cleaned_data["start"],
                                 end=form.cleaned_data["end"], today=timezone.localdate())
    messages.success(request, _("The list is drafted from the figures: write the reason of each entry."))
    return redirect(issue)


ISSUES = ListIssue.objects.select_related("definition", "village", "township", "drafted_by", "submitted_by",
                                          "approved_by").prefetch_related(
    Prefetch("entries", queryset=Entry.objects.select_related("follow_up__owner")))


def _issue_context(issue: ListIssue, user, today) -> dict:
    entries = list(issue.entries.all())
    return {
        "issue": issue, "definition": issue.definition, "today": today,
        "red": [e for e in entries if e.board == Entry.Board.RED],
        "black": [e for e in entries if e.board == Entry.Board.BLACK],
        "excluded": [e for e in entries if e.board == Entry.Board.EXCLUDED],
        "may_edit": _keeps(user) and issue.status == ListIssue.Status.DRAFT,
        "may_decide": issue.may_decide(user),
        "decide_form": DecideForm(),
        "closable": [e.follow_up for e in entries if e.board == Entry.Board.BLACK and hasattr(e, "follow_up")
                     and e.follow_up.may_close(user)],
    }


@scoped_object(ISSUES)
def issue_detail(request: HttpRequest, issue: ListIssue) -> HttpResponse:
    return render(request, "honours/issue_detail.html", _issue_context(issue, request.user, timezone.localdate()))


@scoped_object(ListIssue.objects.all(), methods=("POST",), permission=lambda i, u: _keeps(u))
def issue_reasons(request: HttpRequest, issue: ListIssue) -> HttpResponse:
    reasons = {int(key[7:]): value for key, value in request.POST.items()
               if key.startswith("reason_") and key[7:].isdigit()}
    try:
        services.entries_reasons_set(issue=issue, reasons=reasons)
    except TransitionRefused:
        messages.error(request, _("Only a draft's reasons can be changed."))
        return redirect(issue)
    if request.POST.get("submit"):
        try:
            issue.submit(by=request.user)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect(issue)
        messages.success(request, _("Submitted: a supervisor who did not draft it approves it."))
    else:
        messages.success(request, _("Reasons saved."))
    return redirect(issue)


@scoped_object(ListIssue.objects.select_related("definition"), methods=("POST",),
               permission=lambda i, u: u.has_role(R.SUPERVISOR, R.COUNTY_LEADER))
def issue_decide(request: HttpRequest, issue: ListIssue) -> HttpResponse:
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to send back."))
        return redirect(issue)
    try:
        if form.cleaned_data["decision"] == "approve":
            follow_ups = services.issue_approve(issue=issue, by=request.user, today=timezone.localdate())
            messages.success(request, _("Published; %(n)s rectification follow-ups opened.") % {"n": len(follow_ups)})
        else:
            issue.send_back(by=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Sent back to the drafter."))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect(issue)


@scoped_object(ISSUES)
def issue_poster(request: HttpRequest, issue: ListIssue) -> HttpResponse:
    return render(request, "honours/issue_poster.html", _issue_context(issue, request.user, timezone.localdate()))


@scoped_object(FollowUp.objects.select_related("entry__issue"), methods=("POST",),
               permission=lambda f, u: f.may_close(u))
def follow_up_close(request: HttpRequest, follow_up: FollowUp) -> HttpResponse:
    form = FollowUpCloseForm(request.POST)
    if form.is_valid():
        services.follow_up_close(follow_up=follow_up, by=request.user, on=timezone.localdate(),
                                 note=form.cleaned_data["note"])
        messages.success(request, _("The rectification is recorded as done."))
    else:
        messages.error(request, _("Say what was done."))
    return redirect(follow_up.entry.issue)


class InspectionListView(ScopedListView):
    model = HygieneInspection
    table_class = HygieneInspectionTable
    filterset_class = HygieneInspectionFilter
    title = gettext_lazy("Hygiene inspections")
    create_url_name = "honours:inspection-create"

    def base_queryset(self):
        return self.model.objects.select_related("household__grid__village", "inspector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.user.has_role(*INSPECTORS):
            context["create_url_name"] = None
        return context


@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *INSPECTORS)
    form = HygieneInspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        inspection = form.save(commit=False)
        inspection.inspector = request.user
        inspection.save()
        messages.success(request, _("Score sheet saved: %(total)s points.") % {"total": inspection.total})
        return redirect("honours:inspection-list")
    return render(request, "honours/inspection_form.html", {"form": form})
