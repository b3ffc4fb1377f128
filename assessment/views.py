"""Pages of the assessment: lists, a run's breakdown with its actions, schemes, 群众评议, and the papers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.lists import ScopedListView
from core.scoping import scoped_object

from . import papers, services
from .filters import EvaluationFilter, RunFilter
from .forms import (
    AppealAnswerForm,
    AppealForm,
    EvaluationForm,
    FinaliseForm,
    ItemForm,
    ManualScoreForm,
    RunCreateForm,
    SchemeForm,
    SelfAssessForm,
)
from .models import MANAGERS, Appeal, Evaluation, Item, ManualScore, Run, Scheme, can_manage
from .tables import EvaluationTable, RunTable, SchemeTable

RUNS = Run.objects.select_related("scheme", "village", "head", "worker")


def _manager(run_or_scheme, user) -> bool:
    return can_manage(user, run_or_scheme.township_id)


def _subject(run, user) -> bool:
    return run.is_subject(user)


def _is_township_wide_manager(user) -> bool:
    return user.is_superuser or (user.role in MANAGERS and user.township_id is not None)


def _messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _act(request, run, action, *, done: str, **kwargs) -> HttpResponse:
    try:
        action(run=run, by=request.user, **kwargs)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, done)
    return redirect(run.get_absolute_url())


# --- Lists ------------------------------------------------------------------------------------------------------


class RunListView(ScopedListView):
    model = Run
    table_class = RunTable
    filterset_class = RunFilter
    template_name = "assessment/run_list.html"
    title = gettext_lazy("Assessments")

    def base_queryset(self):
        return RUNS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = _is_township_wide_manager(user)
        context["can_read_schemes"] = user.is_township_wide
        return context


class SchemeListView(ScopedListView):
    model = Scheme
    table_class = SchemeTable
    filterset_fields = ["subject_kind", "period"]
    template_name = "assessment/scheme_list.html"
    title = gettext_lazy("Assessment schemes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = _is_township_wide_manager(self.request.user) and self.request.user.township_id
        return context

    def base_queryset(self):
        return Scheme.objects.select_related("approved_by")

    def get(self, request, *args, **kwargs):
        if not request.user.is_township_wide:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)


class EvaluationListView(ScopedListView):
    model = Evaluation
    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    template_name = "assessment/evaluation_list.html"
    title = gettext_lazy("Resident evaluations")

    def base_queryset(self):
        return Evaluation.objects.select_related("household__grid__village", "head", "worker", "recorded_by")

    def get(self, request, *args, **kwargs):
        if not request.user.is_township_wide:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_record"] = _is_township_wide_manager(self.request.user)
        return context


@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    """群众评议: township staff record a sampled household's answer (never the person rated)."""
    if not _is_township_wide_manager(request.user):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_record(by=request.user, household=data["household"], result=data["result"],
                                       way=data["way"], reason=data["reason"], on=data["on"], worker=data["worker"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect("assessment:evaluation-list")
    return render(request, "assessment/form.html", {"form": form, "title": _("Record a resident evaluation")})


@require_http_methods(["GET", "POST"])
def run_create(request: HttpRequest) -> HttpResponse:
    if not _is_township_wide_manager(request.user):
        raise PermissionDenied
    form = RunCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.runs_create(scheme=form.cleaned_data["scheme"], day=form.cleaned_data["day"],
                                       by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(n)s assessments made, their figures computed.") % {"n": len(made)})
            return redirect(f"{_list_url()}?scheme={form.cleaned_data['scheme'].pk}")
    return render(request, "assessment/form.html", {"form": form, "title": _("Make the assessments of a period")})


def _list_url() -> str:
    from django.urls import reverse

    return reverse("assessment:run-list")


# --- One run ----------------------------------------------------------------------------------------------------


@scoped_object(RUNS)
def run_detail(request: HttpRequest, run: Run) -> HttpResponse:
    user = request.user
    manager = _manager(run, user)
    subject = run.is_subject(user)
    return render(request, "assessment/run_detail.html", {
        "run": run, "lines": run.lines(), "appeals": run.appeals.select_related("filed_by", "answered_by"),
        "can_manage": manager, "is_subject": subject,
        "manual_form": ManualScoreForm(run=run) if manager else None,
        "self_form": SelfAssessForm() if subject else None, "appeal_form": AppealForm() if subject else None,
        "answer_form": AppealAnswerForm(run=run) if manager else None,
        "finalise_form": FinaliseForm() if manager else None,
        "manual_pending": run.manual_scores.filter(approved_by__isnull=True).select_related("item", "entered_by"),
    })


@scoped_object(RUNS, methods=("GET",))
def run_paper(request: HttpRequest, run: Run) -> HttpResponse:
    """考核明细表 of one subject (Chinese, A4)."""
    return papers.detail(request, run)


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_recompute(request, run):
    return _act(request, run, services.run_recompute, done=_("The figures are computed again."))


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_self_open(request, run):
    return _act(request, run, services.run_open_self_assessment, done=_("Sent for self-assessment."))


@scoped_object(RUNS, methods=("POST",), permission=_subject)
def run_self_assess(request, run):
    form = SelfAssessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a score between 0 and the full score."))
        return redirect(run.get_absolute_url())
    return _act(request, run, services.run_self_assess, done=_("Your self-assessment is submitted."),
                score=form.cleaned_data["score"], note=form.cleaned_data["note"])


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_submit(request, run):
    return _act(request, run, services.run_submit, done=_("Submitted for the township's review."))


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_approve(request, run):
    return _act(request, run, services.run_approve, done=_("Approved: the result is in publicity."))


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_send_back(request, run):
    return _act(request, run, services.run_send_back, done=_("Sent back to draft."))


@scoped_object(RUNS, methods=("POST",), permission=_subject)
def run_appeal(request, run):
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the appeal is about."))
        return redirect(run.get_absolute_url())
    return _act(request, run, services.appeal_file, done=_("Your appeal is filed."), text=form.cleaned_data["text"])


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_finalise(request, run):
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The allowance must be an amount of 0 or more."))
        return redirect(run.get_absolute_url())
    return _act(request, run, services.run_finalise, done=_("Graded."), allowance=form.cleaned_data["allowance"])


@scoped_object(RUNS, methods=("POST",), permission=_manager)
def run_manual(request, run):
    form = ManualScoreForm(request.POST, run=run)
    if not form.is_valid():
        messages.error(request, _("Choose the item, give the points and the evidence."))
        return redirect(run.get_absolute_url())
    data = form.cleaned_data
    return _act(request, run, services.manual_enter, done=_("The manual score is entered; another person approves it."),
                item=data["item"], points=data["points"], evidence=data["evidence"])


def _entry_manager(entry, user) -> bool:
    return can_manage(user, entry.run.township_id)


@scoped_object(ManualScore.objects.select_related("run"), methods=("POST",), permission=_entry_manager)
def manual_approve(request, entry):
    try:
        services.manual_approve(entry=entry, by=request.user)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The manual score is approved."))
    return redirect(entry.run.get_absolute_url())


@scoped_object(Appeal.objects.select_related("run"), methods=("POST",), permission=_entry_manager)
def appeal_answer(request, appeal):
    form = AppealAnswerForm(request.POST, run=appeal.run)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(appeal.run.get_absolute_url())
    try:
        services.appeal_answer(appeal=appeal, by=request.user, answer=form.cleaned_data["answer"],
                               item=form.cleaned_data["item"], adjustment=form.cleaned_data["adjustment"])
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The appeal is answered."))
    return redirect(appeal.run.get_absolute_url())


# --- Schemes and their papers -----------------------------------------------------------------------------------


@scoped_object(Scheme.objects.select_related("approved_by", "created_by"))
def scheme_detail(request: HttpRequest, scheme: Scheme) -> HttpResponse:
    from .scoring import rule_text

    items = [(item, rule_text(item)) for item in scheme.items.all()]
    periods = Run.objects.filter(scheme=scheme).order_by("-period_start").values_list(
        "period_start", flat=True).distinct()
    manager = _manager(scheme, request.user)
    return render(request, "assessment/scheme_detail.html", {
        "scheme": scheme, "items": items, "periods": list(periods), "can_manage": manager,
        "editable": manager and not scheme.is_approved, "points_in_items": scheme.points_in_items(),
    })


@require_http_methods(["GET", "POST"])
def scheme_create(request: HttpRequest) -> HttpResponse:
    """A new scheme of the user's township, with the standard items; the supervisor (someone else) approves it."""
    from .catalogue import add_standard_items

    user = request.user
    if not _is_township_wide_manager(user) or user.township_id is None:
        raise PermissionDenied
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scheme = form.save(commit=False)
        scheme.township_id, scheme.created_by, scheme.star_bands = user.township_id, user, form.cleaned_data["bands"]
        scheme.save()
        add_standard_items(scheme)
        messages.success(request, _("The scheme is saved with the standard items; someone else approves it."))
        return redirect(scheme.get_absolute_url())
    return render(request, "assessment/form.html", {"form": form, "title": _("New assessment scheme")})


@scoped_object(Scheme.objects.all(), methods=("POST",), permission=_manager)
def scheme_approve(request, scheme):
    try:
        scheme.approve(by=request.user)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The scheme is approved."))
    return redirect(scheme.get_absolute_url())


def _item_manager(item: Item, user) -> bool:
    return can_manage(user, item.scheme.township_id)


def _locked(request: HttpRequest, scheme: Scheme) -> HttpResponse | None:
    """An approved scheme's items are fixed (its runs are scored by them): a change is a new scheme."""
    if not scheme.is_approved:
        return None
    messages.error(request, _("The scheme is approved: its items are fixed. Draft a new scheme to change them."))
    return redirect(scheme.get_absolute_url())


def _item_form(request: HttpRequest, scheme: Scheme, item: Item | None) -> HttpResponse:
    form = ItemForm(request.POST or None, instance=item or Item(scheme=scheme))
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if item is None:
            saved.position = max((i.position for i in scheme.items.all()), default=0) + 1
        saved.save()
        scheme.items_edited_by = request.user
        scheme.save(update_fields=["items_edited_by", "updated_at"])
        messages.success(request, _("The item is saved."))
        return redirect(scheme.get_absolute_url())
    title = _("Change the item") if item else _("Add an item")
    return render(request, "assessment/item_form.html", {"form": form, "title": title, "scheme": scheme, "item": item})


@scoped_object(Scheme.objects.all(), methods=("GET", "POST"), permission=_manager)
def item_create(request: HttpRequest, scheme: Scheme) -> HttpResponse:
    return _locked(request, scheme) or _item_form(request, scheme, None)


@scoped_object(Item.objects.select_related("scheme"), methods=("GET", "POST"), permission=_item_manager)
def item_edit(request: HttpRequest, item: Item) -> HttpResponse:
    return _locked(request, item.scheme) or _item_form(request, item.scheme, item)


@scoped_object(Item.objects.select_related("scheme"), methods=("POST",), permission=_item_manager)
def item_delete(request: HttpRequest, item: Item) -> HttpResponse:
    scheme = item.scheme
    locked = _locked(request, scheme)
    if locked:
        return locked
    item.delete()
    scheme.items_edited_by = request.user
    scheme.save(update_fields=["items_edited_by", "updated_at"])
    messages.success(request, _("The item is removed."))
    return redirect(scheme.get_absolute_url())


@scoped_object(Scheme.objects.select_related("township"))
def scheme_notice(request: HttpRequest, scheme: Scheme) -> HttpResponse:
    """考核结果公示: the runs of one period in publicity or graded (printable, Chinese)."""
    return papers.notice(request, scheme)


@scoped_object(Scheme.objects.select_related("township"))
def scheme_summary(request: HttpRequest, scheme: Scheme) -> HttpResponse:
    """考核汇总表 (.xlsx) of one period."""
    return papers.summary_response(request, scheme)


# --- The head's page (governance.views.HEAD_PANELS) --------------------------------------------------------------


def head_panel(request, head) -> dict | None:
    runs = list(Run.objects.visible_to(request.user).filter(head=head, status=Run.Status.FINAL)
                .select_related("scheme").order_by("-period_start")[:4])
    if not runs:
        return None
    return {"template": "assessment/_head_panel.html", "runs": runs, "latest": runs[0]}
