"""Petition views: thin. Lookups are scoped (404 outside), actions are POST (405 otherwise) and by role (403)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from casework.batching import attach_list_assignments
from casework.forms import SuperviseForm
from casework.models import ResponsibilityAssignment
from casework.services import assignment_for
from core.audit import history_entries
from core.bounds import as_ids, parse_id
from core.concurrency import Conflict, VersionedFormMixin, conflict_response, save_versioned
from core.lists import ScopedListView
from core.scoping import get_visible_or_404
from governance.models import Village
from households.idnumbers import normalize
from households.models import Household, Resident, Visit

from . import access, figures, forms, papers, services
from .exports import ledger_csv, ledger_xlsx_response
from .filters import PetitionFilter
from .models import CloseOut, Petition, Petitioner
from .tables import PetitionTable, attach_petitioner_names


def _list_queryset():
    return Petition.objects.select_related("village").after_fetch(attach_petitioner_names).after_fetch(
        attach_list_assignments)


class PetitionListView(ScopedListView):
    model = Petition
    table_class = PetitionTable
    filterset_class = PetitionFilter
    template_name = "petitions/petition_list.html"
    title = gettext_lazy("Petition ledger")
    export_url_name = "petitions:export"

    def base_queryset(self):
        # Only the columns the table shows and its forms, overdue and due-date cells read.
        return _list_queryset().only(
            "number", "year", "sequence", "received_on", "channel", "subject", "village__name", "due_on", "status",
            "head_count", "skip_level", "repeat_of_id",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if access.can_register(self.request.user):
            context["create_url_name"] = "petitions:create"
        return context


def export(request: HttpRequest) -> HttpResponse:
    """The 信访事项台账 of what the list shows (same filters), as .xlsx (official layout) or .csv."""
    queryset = Petition.objects.visible_to(request.user)
    filterset = PetitionFilter(request.GET, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    if request.GET.get("format") == "csv":
        return ledger_csv(rows)
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    return ledger_xlsx_response(
        rows, township_name=str(request.user.township or ""), user=request.user,
        period=(data.get("received_from"), data.get("received_to")),
    )


# --- Registration --------------------------------------------------------------------------------


def _source(request: HttpRequest) -> tuple[Visit | None, list[Household]]:
    """``?visit=<pk>`` or ``?household=<pk>``: where the petition came from (scoped: 404 if not visible)."""
    if request.GET.get("visit"):
        visit = get_visible_or_404(Visit.objects.select_related("grid"), request.user, pk=request.GET["visit"])
        return visit, list(visit.households.visible_to(request.user).select_related("grid"))
    if request.GET.get("household"):
        household = get_visible_or_404(Household.objects.select_related("grid"), request.user, pk=request.GET["household"])
        return None, [household]
    return None, []


def create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_register(request.user))
    visit, households = _source(request)
    initial = {}
    if households:
        initial["village"] = households[0].grid.village_id
        if len(households) == 1:
            initial["household"] = households[0].pk
    data = request.POST if request.method == "POST" else None
    form = forms.PetitionForm(data, user=request.user, households=households, initial=initial)
    formset = forms.PetitionerFormSet(data, prefix="petitioners", form_kwargs={"user": request.user})
    if data is not None and form.is_valid() and formset.is_valid():
        petition = _register(request, form, formset, visit)
        if petition is not None:
            if petition.repeat_of_id and Petition.objects.visible_to(request.user).filter(
                    pk=petition.repeat_of_id).exists():
                messages.warning(request, _("Registered %(number)s as a repeat petition of %(original)s.") % {
                    "number": petition.number, "original": petition.repeat_of.number})
            elif petition.repeat_of_id:  # the earlier one lies outside the user's part: not its number
                messages.warning(request, _(
                    "Registered %(number)s as a repeat petition of an earlier petition outside your area."
                ) % {"number": petition.number})
            else:
                messages.success(request, _("Registered %(number)s.") % {"number": petition.number})
            return redirect(petition)
    candidates = _candidates(request, households=households) if households else None
    return render(request, "petitions/petition_form.html", {
        "form": form, "formset": formset, "visit": visit, "households": households, "candidates": candidates,
    })


def _register(request, form, formset, visit) -> Petition | None:
    people = [services.PetitionerData(r.name, r.id_number, r.phone, r) for r in form.cleaned_data.get("residents", [])]
    seen = {p.id_number for p in people}
    for row in formset.forms:
        person = row.as_data()
        if person is not None and person.id_number not in seen:
            people.append(person)
            seen.add(person.id_number)
    data = form.cleaned_data
    try:
        return services.petition_register(
            by=request.user, township=form.township(), village=data.get("village"), household=data.get("household"),
            visit=visit, received_on=data["received_on"], channel=data["channel"], subject=data["subject"],
            content=data["content"], demands=data["demands"], head_count=data["head_count"],
            referred_by=data["referred_by"], skip_level=data["skip_level"], petitioners=people,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _candidates(request: HttpRequest, *, households=(), id_numbers=(), subject=None, township=None) -> dict:
    """Open or recent petitions of the same people (on the subject, once chosen) that the user may see, and
    whether there are others elsewhere: no number, no subject, not even how many (the check looks at every subject
    for that, so that trying subjects one by one tells nothing). Each one found elsewhere is logged as a reveal."""
    user = request.user
    township = township or user.township
    if township is None:
        return {"visible": [], "elsewhere": False}
    found = list(services.repeat_candidates(
        township=township, subject=None, id_numbers=id_numbers, households=households
    ).prefetch_related("petitioners")[:50])
    visible_ids = set(Petition.objects.visible_to(user).filter(pk__in=[p.pk for p in found]).values_list("pk", flat=True))
    outside = [p for p in found if p.pk not in visible_ids]
    if outside:
        services.repeat_check_log(user=user, petitions=outside, id_numbers=id_numbers,
                                  ip=request.META.get("REMOTE_ADDR"))
    return {
        "subject": subject,
        "visible": [p for p in found if p.pk in visible_ids and subject in (None, p.subject)][:20],
        "elsewhere": bool(outside),
    }


@require_GET
def repeat_check(request: HttpRequest) -> HttpResponse:
    """htmx: while the form is filled in, the open or recent petitions of these people on this subject. Only for
    those who register petitions: anyone else learns nothing about who has petitioned."""
    user = request.user
    access.require(access.can_register(user))
    ids = [normalize(v) for k, v in request.GET.items() if k.startswith("petitioners-") and k.endswith("-id_number") and v]
    residents = Resident.objects.visible_to(user).filter(pk__in=as_ids(request.GET.getlist("residents")))
    households = {r.household_id for r in residents}
    ids += [r.id_number for r in residents]
    household = parse_id(request.GET.get("household"))
    if household and Household.objects.visible_to(user).filter(pk=household).exists():
        households.add(household)
    village = parse_id(request.GET.get("village"))
    village = Village.objects.visible_to(user).filter(pk=village).first() if village else None
    subject = request.GET.get("subject") if request.GET.get("subject") in Petition.Subject.values else None
    candidates = _candidates(
        request, households=households, id_numbers=ids, subject=subject, township=village.township if village else None
    ) if (ids or households) else None
    return render(request, "petitions/_repeat_check.html", {"candidates": candidates})


# --- The petition page and its actions -------------------------------------------------------------


def _petition(request: HttpRequest, pk: int) -> Petition:
    return get_visible_or_404(
        Petition.objects.select_related("village", "household", "repeat_of", "registered_by", "accepted_by",
                                        "extension_approved_by", "source_visit"),
        request.user, pk=pk,
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _petition(request, pk))


def _render_detail(request: HttpRequest, petition: Petition, bound=None, status: int = 200) -> HttpResponse:
    user = request.user
    assignment = assignment_for(petition)
    if assignment is not None:
        assignment = ResponsibilityAssignment.objects.select_related("lead", "supervised_by").prefetch_related(
            "team").get(pk=assignment.pk)
    can = {
        "manage": access.can_manage(user), "work": access.can_work(user, assignment),
        "approve": access.can_approve(user, assignment), "supervise": access.can_supervise(user),
        "correct": access.can_register(user) and not petition.is_declined,
    }
    context = {
        "petition": petition, "assignment": assignment, "can": can,
        "days_left": petition.days_left(), "days_overdue": -petition.days_left(),
        "petitioners": petition.petitioners.all(),
        "progress": petition.progress.select_related("recorded_by"),
        "closeouts": petition.closeouts.select_related("requested_by", "decided_by"),
        "repeats": Petition.objects.visible_to(user).filter(repeat_of=petition).order_by("received_on"),
        "repeat_of_visible": petition.repeat_of_id is not None
        and Petition.objects.visible_to(user).filter(pk=petition.repeat_of_id).exists(),
        "entries": history_entries(petition),
        "assignment_entries": history_entries(assignment) if assignment is not None else [],
        "extension_max_days": forms.settings.PETITION_EXTENSION_MAX_DAYS,
        "notices": papers.available_notices(petition) if can["work"] else [],
        **_forms(petition, user, assignment),
    }
    context.update(bound or {})
    context["open_form"] = next(iter(bound), "") if bound else ""
    return render(request, "petitions/petition_detail.html", context, status=status)


def _forms(petition: Petition, user, assignment) -> dict:
    reply_initial = {"reply_text": petition.reply_text, "replied_on": petition.replied_on or timezone.localdate()}
    return {
        "accept_form": forms.AcceptForm(prefix="accept"),
        "decline_form": forms.DeclineForm(prefix="decline"),
        "assign_form": forms.AssignForm(prefix="assign", case=petition, assignment=assignment),
        "supervise_form": SuperviseForm(prefix="supervise", case=petition, assignment=assignment),
        "progress_form": forms.ProgressForm(prefix="progress", user=user),
        "reply_form": forms.ReplyForm(prefix="reply", petition=petition, initial=reply_initial),
        "satisfaction_form": forms.SatisfactionForm(prefix="satisfaction", initial={"satisfaction": petition.satisfaction}),
        "extend_form": forms.ExtendForm(prefix="extend"),
        "closeout_form": forms.CloseOutRequestForm(prefix="closeout"),
        "decision_form": forms.CloseOutDecisionForm(prefix="decision"),
        "reopen_form": forms.ReopenForm(prefix="reopen"),
    }


def petition_action(check: Callable[..., bool]):
    """Scoped lookup first (404 for someone else's petition, whatever the method), then POST only (405),
    then the role (403). ``check(user, assignment)`` decides who may act."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
            petition = _petition(request, pk)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            access.require(check(request.user, assignment_for(petition)))
            return view(request, petition)

        return wrapper

    return decorator


def _act(request, petition: Petition, form, perform: Callable[[dict], object], success: str) -> HttpResponse:
    """Validate, perform, say so. A rejected form or a refused transition shows the page again with the
    typed input and the reason."""
    if form.is_valid():
        try:
            if isinstance(form, VersionedFormMixin):  # it edits values someone else may have saved since
                save_versioned(form, lambda: perform(form.cleaned_data), lock=petition)
            else:
                perform(form.cleaned_data)
        except Conflict as conflict:
            return conflict_response(request, conflict, form, reload_url=petition.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(petition)
    messages.error(request, _("Nothing was changed: see the form below."))
    petition.refresh_from_db()
    return _render_detail(request, petition, {f"{form.prefix}_form": form}, status=400)


def _manager(user, assignment) -> bool:
    return access.can_manage(user)


def _supervisor(user, assignment) -> bool:
    return access.can_supervise(user)


@petition_action(_manager)
def accept(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.AcceptForm(request.POST, prefix="accept")
    return _act(request, petition, form, lambda d: services.petition_accept(
        petition=petition, by=request.user, on=d["accepted_on"]), _("Accepted; the handling clock has started."))


@petition_action(_manager)
def decline(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.DeclineForm(request.POST, prefix="decline")
    return _act(request, petition, form, lambda d: services.petition_decline(
        petition=petition, by=request.user, on=d["declined_on"], reason=d["reason"]),
        _("The petition is not accepted; the notice can be printed."))


@petition_action(_manager)
def assign(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.AssignForm(request.POST, prefix="assign", case=petition)
    return _act(request, petition, form, lambda d: services.petition_assign(
        petition=petition, by=request.user, lead=d["lead"], responsible_unit=d["responsible_unit"],
        deadline=d["deadline"], team=d["team"]), _("The responsibility assignment is saved."))


@petition_action(_supervisor)
def supervise(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = SuperviseForm(request.POST, prefix="supervise", case=petition)
    return _act(request, petition, form, lambda d: services.petition_supervise(
        petition=petition, by=request.user, level=d["level"], comment=d["comment"]), _("Supervision is saved."))


@petition_action(access.can_work)
def progress(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.ProgressForm(request.POST, prefix="progress", user=request.user)
    return _act(request, petition, form, lambda d: services.petition_progress_add(
        petition=petition, by=request.user, done_on=d["done_on"], handler=d["handler"], action=d["action"]),
        _("The progress entry is added."))


@petition_action(access.can_work)
def reply(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.ReplyForm(request.POST, prefix="reply", petition=petition)
    return _act(request, petition, form, lambda d: petition.record_reply(
        by=request.user, text=d["reply_text"], on=d["replied_on"]), _("The reply is recorded."))


@petition_action(access.can_work)
def satisfaction(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.SatisfactionForm(request.POST, prefix="satisfaction")
    return _act(request, petition, form, lambda d: petition.record_satisfaction(
        by=request.user, level=d["satisfaction"]), _("The petitioner's satisfaction is recorded."))


@petition_action(access.can_approve)
def extend(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.ExtendForm(request.POST, prefix="extend")
    return _act(request, petition, form, lambda d: services.petition_extend(
        petition=petition, by=request.user, days=d["days"], reason=d["reason"]), _("The handling time is extended."))


@petition_action(access.can_work)
def closeout_request(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.CloseOutRequestForm(request.POST, prefix="closeout")
    return _act(request, petition, form, lambda d: services.petition_closeout_request(
        petition=petition, by=request.user, outcome=d["outcome"], reason=d["dissatisfied_reason"], note=d["note"]),
        _("Close-out is requested; it waits for approval."))


@petition_action(access.can_approve)
def closeout_decide(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.CloseOutDecisionForm(request.POST, prefix="decision")
    approve = request.POST.get("decision") == CloseOut.Decision.APPROVED
    message = _("The petition is closed out.") if approve else _("The close-out request is sent back.")
    return _act(request, petition, form, lambda d: services.petition_closeout_decide(
        petition=petition, by=request.user, approve=approve, comment=d["comment"]), message)


@petition_action(_manager)
def reopen(request: HttpRequest, petition: Petition) -> HttpResponse:
    form = forms.ReopenForm(request.POST, prefix="reopen")
    return _act(request, petition, form, lambda d: services.petition_reopen(
        petition=petition, by=request.user, reason=d["reason"]), _("The petition is reopened for a new round."))


def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """更正: GET shows what was registered, POST puts it right (404 out of scope, 405, then 403 for who may not)."""
    petition = _petition(request, pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    access.require(access.can_register(request.user) and not petition.is_declined)
    data = request.POST if request.method == "POST" else None
    form = forms.CorrectionForm(data, petition=petition, may_move_clock=access.can_supervise(request.user))
    people = forms.petitioner_correction_forms(petition, data)
    if data is not None and form.is_valid() and all(f.is_valid() for _p, f in people):
        try:
            services.petition_correct(
                petition=petition, by=request.user, reason=form.cleaned_data["reason"], changes=form.changes(),
                petitioners=[(person, f.cleaned_data) for person, f in people],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The petition is corrected; the history shows what changed."))
            return redirect(petition)
    return render(request, "petitions/petition_correct.html", {"petition": petition, "form": form, "people": people})


# --- Panels and figures ----------------------------------------------------------------------------


def household_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial for the household page: the petitions of the household or of its members (by ID number)
    that the user may see."""
    household = get_visible_or_404(Household.objects, request.user, pk=pk)
    members = Resident.objects.filter(household=household).values("id_number")
    of_household = Q(household=household) | Q(pk__in=Petitioner.objects.filter(id_number__in=members).values("petition"))
    petitions = _list_queryset().visible_to(request.user).filter(of_household).order_by("-received_on", "-pk")
    return render(request, "petitions/_household_panel.html", {
        "household": household, "petitions": petitions[:20], "can_register": access.can_register(request.user),
    })


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return parse_date(request.GET.get(name) or "")
    except ValueError:
        return None


def figures_page(request: HttpRequest) -> HttpResponse:
    start, end = _date_param(request, "start"), _date_param(request, "end")
    if "start" not in request.GET:  # the year so far, unless the user chose otherwise
        start = timezone.localdate().replace(month=1, day=1)
    period = {"start": start, "end": end}
    return render(request, "petitions/petition_figures.html", {
        "start": start, "end": end, "summary": figures.summary(request.user, **period),
        "villages": figures.by_village(request.user, **period),
        "channels": figures.by_channel(request.user, **period), "forms": figures.by_form(request.user, **period),
        "subjects": figures.by_subject(request.user, **period), "months": figures.by_month(request.user, **period),
    })


def notice_view(key: str):
    """A notice to the petitioners, printed on A4 (see ``papers.NOTICES``); before its step, back to the petition."""
    notice = papers.NOTICES[key]

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        petition = _petition(request, pk)  # out of scope is 404 whatever the method
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        access.require(access.can_work(request.user, assignment_for(petition)))
        if not notice.available(petition):
            messages.error(request, _("The step this notice reports has not happened yet."))
            return redirect(petition)
        return render(request, notice.template, papers.notice_context(petition, notice))

    view.__name__ = f"notice_{key}"
    return view
