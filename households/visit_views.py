"""Views of the visit diary (走访 / 民情日记): the phone-first form, the visit page with its photos, comments and
demands, the lists, and visit coverage."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core import offline
from core.bounds import as_ids
from core.lists import ScopedListView
from core.scoping import scoped_object
from governance.permissions import LEAD_OPENERS, PETITION_REGISTRARS, VISIT_LOGGERS, require_role

from . import figures, services
from .exports import Column, ExportMixin, label_of
from .filters import CoverageListFilter, DemandFilter, VisitFilter, search_households, sees_several_townships
from .forms import CommentForm, DemandForm, DemandSettleForm, VisitForm
from .models import Demand, Household, Visit
from .permissions import COMMENTERS, REGISTRY_EDITORS, visible_tags
from .tables import CadenceTable, DemandTable, FollowUpTable, VisitTable, topic_labels, visitor_label
from .views import SubnavMixin, TalliedListMixin, all_tag_names
from .visit_extensions import SectionRefused, panels_for, sections_for, sections_save

SEARCH_LIMIT = 20


class VisitListView(TalliedListMixin, SubnavMixin, ExportMixin, ScopedListView):
    model = Visit
    tally_column = "visits"
    table_class = VisitTable
    filterset_class = VisitFilter
    title = gettext_lazy("Visits")
    section = "visits"
    export_url_name = "households:visit-list"
    export_filename = gettext_lazy("visit-diary")

    def base_queryset(self):
        # A visit may cover households another household head answers for: each reader sees their own only.
        households = Household.objects.visible_to(self.request.user).only("pk", "head_name", "house_number", "address")
        return (
            Visit.objects.select_related("grid__village", "visitor", "visitor_head")
            .prefetch_related(Prefetch("households", queryset=households))
            .with_counts()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        logger = self.request.user.has_role(*VISIT_LOGGERS)
        context["create_url_name"] = "households:visit-create" if logger else None
        return context

    def export_columns(self):
        return [
            Column(_("Date"), lambda v: v.visited_on),
            Column(_("Visited households"), lambda v: "、".join(str(h) for h in v.households.all())),
            Column(_("Method"), label_of(Visit, "method")),
            Column(_("Four topics"), topic_labels),
            Column(_("Visitor"), visitor_label),
            Column(_("Village"), lambda v: v.grid.village.name),
            Column(_("Grid"), lambda v: v.grid.name),
            Column(_("Notes"), lambda v: v.notes),
        ]


def _households_for_form(request: HttpRequest, form: VisitForm) -> tuple[list, list]:
    """(households offered with a tick box, the ticked ones): a household head's own households first; for
    others the households passed in the link, then those not visited for 30 days in their scope."""
    user = request.user
    visible = Household.objects.visible_to(user).select_related("grid__village")
    chosen_ids = as_ids(form.data.getlist("households") if form.is_bound else request.GET.getlist("household"))
    chosen = list(visible.filter(pk__in=chosen_ids))
    if user.role == user.Role.HOUSEHOLD_HEAD:
        offered = list(visible.filter(household_head=user.household_head_id).order_by("house_number", "pk")[:50])
    else:
        offered = list(figures.households_not_visited(user, days=30).select_related("grid__village")[:8])
    seen = {h.pk for h in chosen}
    return chosen + [h for h in offered if h.pk not in seen], [h.pk for h in chosen]


@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *VISIT_LOGGERS)
    # A visit sent again (the phone's queue retrying after a lost answer) is answered as when it was made.
    send = offline.Send(request, Visit, by_field="visitor_id",
                        url=lambda visit: reverse("households:visit-detail", args=[visit.pk]))
    answer = send.earlier()
    if answer is not None:
        return answer
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user)
    valid = request.method == "POST" and form.is_valid()
    offered, chosen = _households_for_form(request, form)
    # The other apps' sections (visit_extensions): they see the ticked households, and save with the visit.
    ticked = form.cleaned_data["households"] if valid else [h for h in offered if h.pk in chosen]
    sections = sections_for(request.user, request.POST or None, households=ticked)
    if valid and all([s.is_valid() for s in sections]):
        try:
            visit, said = _visit_save(request, form, sections, send.client_id)
        except ValidationError as exc:
            form.add_error("photos", exc)
        except SectionRefused:
            pass
        except IntegrityError:
            answer = send.earlier()  # the same id sent twice at once: the other send made the visit
            if answer is None:
                raise
            return answer
        else:
            messages.success(request, " ".join([_("Visit saved."), *said]))
            return send.made(visit)
    if send.queued:
        return offline.refused(form, *sections)
    return render(request, "households/visit_form.html", {
        "form": form, "offered": offered, "chosen": chosen, "section": "visits", "sections": sections,
        "max_photos": settings.HOUSEHOLDS_PHOTOS_PER_VISIT, "max_photo_mb": settings.HOUSEHOLDS_PHOTO_MAX_MB,
        "phrases": VISIT_PHRASES,
    })



#: 常用语: a tap puts one into the notes (the visit form's quick picks).
VISIT_PHRASES = (
    gettext_lazy("Everyone at home is well."),
    gettext_lazy("Explained the medical insurance payment policy."),
    gettext_lazy("The elderly person lives alone; reminded the family to call often."),
    gettext_lazy("No disputes or hazards found."),
    gettext_lazy("The house is safe; no leaks or cracks."),
    gettext_lazy("Asked about work and income; nothing unusual."),
)


@transaction.atomic
def _visit_save(request: HttpRequest, form: VisitForm, sections: list, client_id=None) -> tuple[Visit, list[str]]:
    """The visit and its sections, all or nothing: the visit, and what the sections said."""
    data = form.cleaned_data
    visit = services.visit_log(
        by=request.user, households=data["households"], visited_on=data["visited_on"], method=data["method"],
        topics=form.topics, notes=data["notes"], photos=data["photos"], demand=form.demand, client_id=client_id,
    )
    return visit, sections_save(sections, visit=visit, by=request.user)


@require_GET
def visit_household_search(request: HttpRequest) -> HttpResponse:
    """htmx: households in scope matching a name or house number, as tick boxes for the visit form."""
    query = request.GET.get("q", "").strip()
    households = []
    if query:
        households = list(
            search_households(Household.objects.visible_to(request.user), query,
                              index_alone=sees_several_townships(request))
            .select_related("grid__village")[:SEARCH_LIMIT]
        )
    return render(request, "households/_household_choices.html",
                  {"offered": households, "chosen": [], "query": query, "limit": SEARCH_LIMIT})


VISITS = Visit.objects.select_related("grid__village", "visitor", "visitor_head")


@scoped_object(VISITS)
def visit_detail(request: HttpRequest, visit: Visit) -> HttpResponse:
    user = request.user
    # Of the households and demands of the visit, those the user may see: a household head sees their own.
    households = visit.households.visible_to(user).select_related("grid__village").prefetch_related(
        Prefetch("tags", queryset=visible_tags(user), to_attr="shown_tags"))
    return render(request, "households/visit_detail.html", {
        "visit": visit,
        "households": households,
        "photos": visit.photos.all(),
        "comments": visit.comments.select_related("author"),
        "demands": visit.demands.visible_to(user).select_related("household"),
        "comment_form": CommentForm(),
        "demand_form": DemandForm(visit=visit, user=user),
        "outcome_choices": Demand.Outcome.choices,
        "can_comment": user.has_role(*COMMENTERS),
        "can_raise": user.has_role(*VISIT_LOGGERS),
        "can_raise_petition": user.has_role(*PETITION_REGISTRARS),
        "can_open_lead": user.has_role(*LEAD_OPENERS),
        "can_handle": user.has_role(*REGISTRY_EDITORS),
        "first_household": households[0] if households else None,
        "panels": panels_for(visit=visit, households=households, user=user),
        "section": "visits",
    })


@scoped_object(VISITS, methods=("POST",))
def visit_comment(request: HttpRequest, visit: Visit) -> HttpResponse:
    require_role(request.user, *COMMENTERS)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.visit_comment(visit=visit, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Comment saved."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("households:visit-detail", visit.pk)


@scoped_object(VISITS, kwarg="visit_pk")
def visit_photo(request: HttpRequest, visit: Visit, pk: int) -> FileResponse:
    """A photo, only for those who may see its visit; never cached by shared caches."""
    photo = visit.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@scoped_object(VISITS, methods=("POST",))
def demand_create(request: HttpRequest, visit: Visit) -> HttpResponse:
    require_role(request.user, *VISIT_LOGGERS)
    form = DemandForm(request.POST, visit=visit, user=request.user)
    if form.is_valid():
        try:
            services.demand_raise(visit=visit, by=request.user, content=form.cleaned_data["content"],
                                  household=form.cleaned_data["household"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Demand recorded."))
    else:
        messages.error(request, _("Describe the demand."))
    return redirect("households:visit-detail", visit.pk)


@scoped_object(Demand.objects.all(), methods=("POST",), permission=Demand.can_act)
def demand_status(request: HttpRequest, demand: Demand) -> HttpResponse:
    """即办即结 (settled without follow-up) or reopened; a followed-up demand goes through its own page's steps."""
    form = DemandSettleForm(request.POST)
    if form.is_valid():
        outcome, note = form.cleaned_data["outcome"], form.cleaned_data["note"]
        try:
            if outcome == "reopen":
                demand.reopen(by=request.user)
            else:
                demand.settle(by=request.user, outcome=outcome, note=note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Demand updated."))
    else:
        messages.error(request, _("Choose how the demand was settled."))
    if demand.visit_id and request.POST.get("next") != "demand":
        return redirect("households:visit-detail", demand.visit_id)
    return redirect(demand)


class DemandListView(SubnavMixin, ExportMixin, ScopedListView):
    model = Demand
    table_class = DemandTable
    filterset_class = DemandFilter
    title = gettext_lazy("Demands")
    section = "demands"
    export_url_name = "households:demand-list"
    export_filename = gettext_lazy("demand-ledger")

    def base_queryset(self):
        return Demand.objects.select_related("grid__village", "household", "category", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        logger = self.request.user.has_role(*REGISTRY_EDITORS)
        context["create_url_name"] = "households:demand-log" if logger else None
        return context

    def export_columns(self):
        return [
            Column(_("Raised on"), lambda d: timezone.localdate(d.created_at)),
            Column(_("number"), lambda d: d.number),
            Column(_("Demand"), lambda d: d.content),
            Column(_("Household"), lambda d: str(d.household) if d.household else ""),
            Column(_("demand channel"), label_of(Demand, "channel")),
            Column(_("demand handling level"), label_of(Demand, "level")),
            Column(_("demand category"), lambda d: d.category.name if d.category_id else ""),
            Column(_("Handle by"), lambda d: d.deadline or ""),
            Column(_("person responsible for the demand"), lambda d: str(d.owner) if d.owner_id else ""),
            Column(_("Status"), label_of(Demand, "status")),
            Column(_("demand outcome"), label_of(Demand, "outcome")),
            Column(_("closed out at"), lambda d: timezone.localdate(d.closed_at) if d.closed_at else ""),
            Column(_("Handling note"), lambda d: d.note),
            Column(_("Village"), lambda d: d.grid.village.name),
            Column(_("Grid"), lambda d: d.grid.name),
        ]


# --- Coverage -------------------------------------------------------------------------------------------


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "village")
    if level not in figures.LEVELS:
        level = "village"
    return render(request, "households/coverage.html", {
        "level": level,
        "levels": [("village", _("By village")), ("grid", _("By grid")), ("head", _("By household head"))],
        "rows": figures.coverage(request.user, level=level),
        "total": figures.coverage_total(request.user),
        "groups": figures.special_group_counts(request.user),
        "section": "coverage",
    })


class _FollowUpListView(SubnavMixin, ExportMixin, ScopedListView):
    model = Household
    filterset_class = CoverageListFilter

    def households(self):
        raise NotImplementedError

    def get_table_kwargs(self):
        # «记民情日记» on each row only for those who log visits (a supervisor reads the list).
        return {} if self.request.user.has_role(*VISIT_LOGGERS) else {"exclude": ("log",)}

    def get_queryset(self):
        user = self.request.user
        return self.households().select_related("grid__village", "household_head").with_member_summary(user)

    def export_columns(self):
        return [
            Column(_("Head of household"), lambda h: h.head_name),
            Column(_("House number"), lambda h: h.house_number),
            Column(_("Village"), lambda h: h.grid.village.name),
            Column(_("Grid"), lambda h: h.grid.name),
            Column(_("Linked household head"), lambda h: h.household_head.name if h.household_head else ""),
            Column(_("Last visit"), lambda h: h.last_visit or ""),
            Column(_("Special groups"), all_tag_names),
        ]


class NotVisitedListView(_FollowUpListView):
    table_class = FollowUpTable
    title = gettext_lazy("Not visited in 90 days")
    section = "coverage"
    export_url_name = "households:not-visited"
    export_filename = gettext_lazy("not-visited")
    export_title = "90天未走访农户清单"  # a paper: Chinese whatever the UI language

    def households(self):
        return figures.households_not_visited(self.request.user, days=90)


class PastCadenceListView(_FollowUpListView):
    table_class = CadenceTable
    title = gettext_lazy("Past their care cadence")
    section = "coverage"
    export_url_name = "households:past-cadence"
    export_filename = gettext_lazy("past-cadence")
    export_title = "超期未关爱走访农户清单"

    def households(self):
        return figures.households_past_cadence(self.request.user)

    def export_columns(self):
        return [*super().export_columns(), Column(_("Cadence (days)"), lambda h: h.cadence)]
