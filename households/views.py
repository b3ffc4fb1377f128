"""Views of the registry: households (the 360° page), residents, sensitive values, linking to household heads,
roster import. Visits and coverage are in visit_views.py. Lookups in scope (404 outside), then roles (403)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Func, OuterRef, Prefetch, Q, Subquery, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.addresses import client_ip
from core.audit import history_entries
from core.bounds import parse_id
from core.concurrency import Conflict, conflict_response, save_versioned
from core.lists import ScopedListView
from core.scoping import scoped_object
from governance.models import Grid, HouseholdHead, Village
from governance.permissions import VISIT_LOGGERS, require_role

from . import imports, services, tally
from .exports import (
    PAPER_LANGUAGE,
    Column,
    ExportMixin,
    choice_label,
    csv_response,
    joined,
    label_of,
    xlsx_response,
)
from .filters import HouseholdFilter, ResidentFilter, RevealLogFilter
from .forms import FullExportForm, HouseholdForm, ImportForm, LinkForm, ResidentForm, RevealForm
from .idnumbers import mask_id_number, mask_phone
from .models import Demand, Household, Resident, RevealLog, RosterImport, Tag, Visit
from .permissions import IMPORTERS, REGISTRY_EDITORS, REVEAL_LOG, may_export_full, may_reveal, visible_tags
from .tables import HouseholdTable, ResidentTable, RevealLogTable


def _tags_prefetch(user, lookup: str = "tags") -> Prefetch:
    return Prefetch(lookup, queryset=visible_tags(user), to_attr="shown_tags")


def _tag_names(obj) -> str:
    return "、".join(t.name for t in obj.shown_tags)


def all_tag_names(household) -> str:
    """An export's "special groups" of a household read ``with_member_summary``."""
    return "、".join(t.name for t in household.all_tags)


class SubnavMixin:
    """The registry's own sections, shown above its lists."""

    template_name = "households/list.html"
    section = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


# --- Households -----------------------------------------------------------------------------------------


class TalliedListMixin:
    """A list of households, residents or visits whose only filters are places counts its rows from the grids'
    tallies (households/tally.py): an exact «共 N 条» without counting a county's rows on every page."""

    tally_column: str

    def tallied_count(self) -> int | None:
        grids = self.filterset.place_grids()
        return tally.total(self.tally_column, grids) if grids is not None else None

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if pagination and (count := self.tallied_count()) is not None:
            pagination = {**pagination, "known_count": count}
        return pagination


class HouseholdListView(TalliedListMixin, SubnavMixin, ExportMixin, ScopedListView):
    model = Household
    tally_column = "households"
    table_class = HouseholdTable
    filterset_class = HouseholdFilter
    title = gettext_lazy("Households")
    section = "households"
    export_url_name = "households:list"
    export_filename = gettext_lazy("household-roster")

    def base_queryset(self):
        return (
            Household.objects.select_related("grid__village", "household_head")
            # Only what the table shows: the rows are built without the other columns' parsing.
            .only("head_name", "house_number", "address", "residence_type", "member_count", "tag_ids", "grid__name",
                  "grid__village__name", "household_head__name")
            .with_member_summary(self.request.user)
        )

    def tallied_count(self) -> int | None:
        # A search for one character (a surname), or a special group, with nothing else but places: the grids'
        # households with the character or the tag, kept by the database.
        if (searched := self.filterset.tallied_search()) is not None:
            return tally.total_with_character(*searched)
        grids = self.filterset.place_grids(also=("tag",))
        if grids is None:
            return None
        tag = self.filterset.form.cleaned_data.get("tag") if self.filterset.is_bound else None
        return tally.total_with_tag(tag.pk, grids) if tag else tally.total(self.tally_column, grids)

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if pagination and (self.request.GET.get("q") or (
                "known_count" not in pagination and self.request.GET.get("tag"))):
            # A search, or a tag with other filters: every key read once, counted and sliced
            # (KeysFirstPaginator.all_keys); a search whose count is known reads them only for a page deep in it.
            pagination = {**pagination, "all_keys": True}
        return pagination

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_role(*REGISTRY_EDITORS):
            context["create_url_name"] = "households:create"
        else:
            context["create_url_name"] = None
        return context

    def export_columns(self):
        return [
            Column(_("Head of household"), lambda h: h.head_name),
            Column(_("House number"), lambda h: h.house_number),
            Column(_("Home address"), lambda h: h.address),
            Column(_("Village"), lambda h: h.grid.village.name),
            Column(_("Grid"), lambda h: h.grid.name),
            Column(_("Linked household head"), lambda h: h.household_head.name if h.household_head else ""),
            Column(_("Residence type"), label_of(Household, "residence_type")),
            Column(_("Members"), lambda h: h.member_count),
            Column(_("Special groups"), all_tag_names),
        ]


def _editable(request: HttpRequest) -> bool:
    return request.user.has_role(*REGISTRY_EDITORS)


@scoped_object(Household.objects.select_related("grid__village", "household_head"))
def household_detail(request: HttpRequest, household: Household) -> HttpResponse:
    """The 360° view: members, tags, household head, grid, visits, demands, and the disputes and petitions panels."""
    user = request.user
    residents = household.residents.prefetch_related(_tags_prefetch(user))
    visits = (
        Visit.objects.visible_to(user).filter(households=household)
        .select_related("visitor", "visitor_head").with_counts()[:30]
    )
    demands = Demand.objects.visible_to(user).filter(household=household).select_related("visit")[:20]
    return render(request, "households/household_detail.html", {
        "household": household,
        "residents": residents,
        "household_tags": visible_tags(user, household.tags.all()),
        "visits": visits,
        "demands": demands,
        "entries": history_entries(household),
        "can_edit": _editable(request),
        "can_visit": user.has_role(*VISIT_LOGGERS),
        "can_reveal": may_reveal(user),
        "head_phone": mask_phone(household.household_head.phone) if household.household_head else "",
        "section": "households",
    })


@scoped_object(Resident.objects.select_related("household__grid__village", "household__household_head"))
def resident_detail(request: HttpRequest, resident: Resident) -> HttpResponse:
    """One person: who they are (ID number and phone masked, revealed with a reason), their household and the groups
    the user may see. No history here: its rows would carry the full ID numbers and phones."""
    user = request.user
    return render(request, "households/resident_detail.html", {
        "r": resident,
        "household": resident.household,
        "tags": visible_tags(user, resident.tags.all()),
        "can_edit": _editable(request),
        "can_reveal": may_reveal(user),
        "section": "residents",
    })


@scoped_object(Household.objects.select_related("grid__village__township", "household_head"))
def household_card(request: HttpRequest, household: Household) -> HttpResponse:
    """一户一档: the household's card on A4, Chinese whatever the UI (the template renders it in zh-hans): the
    household, its members whole (ID numbers and phones masked), the tags the user may see, the 四个清楚 and the
    latest visits and demands."""
    user = request.user
    return render(request, "households/household_card.html", {
        "household": household,
        "residents": household.residents.prefetch_related(_tags_prefetch(user)),
        "household_tags": visible_tags(user, household.tags.all()),
        "visits": Visit.objects.visible_to(user).filter(households=household)
        .select_related("visitor", "visitor_head").order_by("-visited_on", "-pk")[:10],
        "demands": Demand.objects.visible_to(user).filter(household=household).order_by("-pk")[:10],
        "head_phone": mask_phone(household.household_head.phone) if household.household_head else "",
    })


@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *REGISTRY_EDITORS)
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        household = form.save()
        messages.success(request, _("Household saved. Now add its members."))
        return redirect("households:detail", household.pk)
    return render(request, "households/household_form.html", {"form": form, "section": "households"})


@scoped_object(Household.objects.select_related("grid__village"), methods=("GET", "POST"))
def household_update(request: HttpRequest, household: Household) -> HttpResponse:
    require_role(request.user, *REGISTRY_EDITORS)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(form, form.save)
        except Conflict as conflict:
            return conflict_response(request, conflict, form, reload_url=request.path,
                                     back_url=reverse("households:detail", args=[household.pk]))
        messages.success(request, _("Household saved."))
        return redirect("households:detail", household.pk)
    return render(request, "households/household_form.html",
                  {"form": form, "household": household, "section": "households"})


# --- Residents ------------------------------------------------------------------------------------------


class ResidentListView(TalliedListMixin, SubnavMixin, ExportMixin, ScopedListView):
    model = Resident
    tally_column = "residents"
    table_class = ResidentTable
    filterset_class = ResidentFilter
    title = gettext_lazy("Residents")
    section = "residents"
    export_url_name = "households:resident-list"
    export_filename = gettext_lazy("resident-roster")

    def tallied_count(self) -> int | None:
        # A search for one character (a surname) with nothing else but a township: the townships' residents with the
        # character in their name, kept by the database.
        character = self.filterset.search_character()
        if character is None:
            return super().tallied_count()
        townships = self.filterset.place_townships(also=("q",))
        return tally.residents_named_with(character, townships) if townships is not None else None

    def base_queryset(self):
        return Resident.objects.select_related("household__grid__village").prefetch_related(
            _tags_prefetch(self.request.user)
        )

    def export_queryset(self, queryset):
        # The columns' fields read as tuples (households/exports.py), the groups the user may see as one array a row.
        shown = visible_tags(self.request.user, Tag.objects.filter(residents=OuterRef("pk"))).order_by(
            "sort_order", "code").values("name")
        if connection.vendor == "postgresql":
            return queryset.annotate(export_tags=ArraySubquery(shown))
        # SQLite (make run): the names joined by the database instead of an array.
        joined_names = shown.annotate(joined=Func(F("name"), Value("、"), function="GROUP_CONCAT")).values("joined")
        return queryset.annotate(export_tags=Subquery(joined_names))

    def export_text_columns(self):
        return (2, 3)  # ID number and phone: text, wide enough for 18 digits

    def export_columns(self, *, full_id_numbers: bool = False):
        return [
            Column(_("Name"), field="name"),
            Column(_("Gender"), field="gender", format=choice_label(Resident, "gender")),
            Column(_("ID number"), field="id_number", format=None if full_id_numbers else mask_id_number),
            Column(_("Phone"), field="phone", format=mask_phone),
            Column(_("Relation to head"), field="relation", format=choice_label(Resident, "relation")),
            Column(_("Status"), field="status", format=choice_label(Resident, "status")),
            Column(_("Head of household"), field="household__head_name"),
            Column(_("House number"), field="household__house_number"),
            Column(_("Village"), field="household__grid__village__name"),
            Column(_("Grid"), field="household__grid__name"),
            Column(_("Special groups"), field="export_tags", format=joined()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["full_export"] = may_export_full(self.request.user)
        return context


class ResidentFullExportView(ResidentListView):
    """The roster with full ID numbers, for the county's records: township staff only (403 for the others), after
    giving a reason, logged in the reveal log before the file is written. The list's filters ride along in the
    query string."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not may_export_full(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self._form_page(FullExportForm())

    def post(self, request, *args, **kwargs):
        form = FullExportForm(request.POST)
        if form.is_valid():
            queryset = self.filtered_queryset()
            try:
                services.roster_full_export_log(user=request.user, count=queryset.count(),
                                                reason=form.cleaned_data["reason"], ip=client_ip(request))
            except ValidationError as exc:
                form.add_error("reason", exc)
            else:
                return self.export(form.cleaned_data["format"], columns=self._full_columns(),
                                   title_note="（含完整身份证号）")
        return self._form_page(form, status=400)

    def _full_columns(self):
        with translation.override(PAPER_LANGUAGE):
            return self.export_columns(full_id_numbers=True)

    def _form_page(self, form, status: int = 200) -> HttpResponse:
        query = self.request.GET.copy()
        query.pop("format", None)
        return render(self.request, "households/resident_export_full.html", {
            "form": form, "query": query.urlencode(), "section": self.section,
        }, status=status)


@scoped_object(Household.objects.select_related("grid__village"), methods=("GET", "POST"))
def resident_create(request: HttpRequest, household: Household) -> HttpResponse:
    require_role(request.user, *REGISTRY_EDITORS)
    form = ResidentForm(request.POST or None, user=request.user, household=household)
    return _resident_form(request, form, household)


@scoped_object(Resident.objects.select_related("household__grid__village"), methods=("GET", "POST"))
def resident_update(request: HttpRequest, resident: Resident) -> HttpResponse:
    require_role(request.user, *REGISTRY_EDITORS)
    form = ResidentForm(request.POST or None, instance=resident, user=request.user, household=resident.household)
    return _resident_form(request, form, resident.household)


def _resident_form(request: HttpRequest, form: ResidentForm, household: Household) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            # The household first, as the services lock it: then the resident's row (never the other way round).
            save_versioned(form, form.save, lock=household)
        except Conflict as conflict:
            return conflict_response(request, conflict, form, reload_url=request.path,
                                     back_url=reverse("households:detail", args=[household.pk]))
        for warning in form.warnings:
            messages.warning(request, warning)
        messages.success(request, _("Resident saved."))
        return redirect("households:detail", household.pk)
    return render(request, "households/resident_form.html",
                  {"form": form, "household": household, "section": "households"})


@scoped_object(Resident.objects.all(), methods=("POST",))
def resident_reveal(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Show one full value to a user with the permission, who states why; logged before it is shown."""
    if not may_reveal(request.user):
        raise PermissionDenied
    form = RevealForm(request.POST)
    value, error = None, None
    if form.is_valid():
        try:
            value = services.sensitive_reveal(
                user=request.user, resident=resident, field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"], ip=client_ip(request),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("State why you need to see the full value.")
    context = {"resident": resident, "value": value, "error": error, "field": request.POST.get("field"),
               "form": form}
    if request.htmx:
        # htmx swaps only successful answers: the refusal is shown in place of the value.
        return render(request, "households/_revealed.html", context)
    return render(request, "households/resident_reveal.html", context, status=200 if value is not None else 400)


@method_decorator(permission_required(REVEAL_LOG, raise_exception=True), name="dispatch")
class RevealLogView(SubnavMixin, ScopedListView):
    model = RevealLog
    table_class = RevealLogTable
    filterset_class = RevealLogFilter
    title = gettext_lazy("Reveal log")
    section = "reveal-log"

    def base_queryset(self):
        return RevealLog.objects.select_related("user")


# --- Linking households to household heads (联户) --------------------------------------------------------


@require_GET
def linking_overview(request: HttpRequest) -> HttpResponse:
    """Per grid: households, household heads in office, households with no head, the busiest head."""
    user = request.user
    villages = Village.objects.visible_to(user)
    village_id = parse_id(request.GET.get("village"))
    village = villages.filter(pk=village_id).first() if village_id else None
    grids = Grid.objects.visible_to(user).active().select_related("village")
    grids = grids.filter(village=village) if village else grids
    grids = list(grids[:500])
    counts = {
        row["grid"]: row for row in Household.objects.visible_to(user).filter(grid__in=grids).order_by()
        .values("grid").annotate(total=Count("pk"), unlinked=Count("pk", filter=Q(household_head__isnull=True)))
    }
    heads = {
        row["grid"]: row["n"] for row in HouseholdHead.objects.visible_to(user).active().filter(grid__in=grids)
        .order_by().values("grid").annotate(n=Count("pk"))
    }
    rows = [{"grid": g, "households": counts.get(g.pk, {}).get("total", 0),
             "unlinked": counts.get(g.pk, {}).get("unlinked", 0), "heads": heads.get(g.pk, 0)} for g in grids]
    return render(request, "households/linking_overview.html", {
        "rows": rows, "villages": villages, "village": village, "section": "linking",
    })


@scoped_object(Grid.objects.select_related("village"), methods=("GET", "POST"))
def linking_grid(request: HttpRequest, grid: Grid) -> HttpResponse:
    """The heads of one grid with their counts (warned above the limit), and every household with its head."""
    user = request.user
    form = LinkForm(request.POST or None, grid=grid, user=user)
    if request.method == "POST":
        require_role(user, *REGISTRY_EDITORS)
        if form.is_valid():
            try:
                changed = services.households_link(by=user, grid=grid, households=list(form.cleaned_data[
                    "households"]), head=form.cleaned_data["head"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(n)s households linked.") % {"n": changed})
                return redirect("households:linking-grid", grid.pk)
    heads = (
        HouseholdHead.objects.visible_to(user).filter(grid=grid).active()
        .annotate(n=Count("households")).order_by("name")
    )
    households = (
        Household.objects.visible_to(user).filter(grid=grid).select_related("household_head")
        .order_by("household_head__name", "house_number", "pk")
    )
    return render(request, "households/linking_grid.html", {
        "grid": grid, "heads": heads, "households": households, "form": form,
        "warn_above": settings.HOUSEHOLDS_PER_HEAD_WARN_ABOVE, "can_edit": _editable(request),
        "section": "linking",
    })


# --- Roster import --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *IMPORTERS)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.user.township_id is None:
        form.add_error(None, _("Your account belongs to no township; a roster is imported into one."))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        roster_import = RosterImport.objects.create(
            township_id=request.user.township_id, uploaded_by=request.user, file_name=upload.name[:200],
            file=upload,
        )
        if upload.size <= settings.HOUSEHOLDS_IMPORT_INLINE_BYTES:
            imports.prepare(roster_import, request.user)
        else:
            from .tasks import validate_import

            transaction.on_commit(lambda: validate_import.delay(roster_import.pk, request.user.pk))
        return redirect("households:import-preview", roster_import.pk)
    recent = RosterImport.objects.visible_to(request.user).select_related("uploaded_by").defer("rows")[:10]
    return render(request, "households/import_upload.html", {
        "form": form, "recent": recent, "section": "import", "max_mb": settings.HOUSEHOLDS_IMPORT_MAX_MB,
        "max_rows": settings.ROSTER_MAX_ROWS,
    })


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    with translation.override(PAPER_LANGUAGE):
        headers, rows = imports.template_rows()
        filename = _("roster-template")
        if request.GET.get("format") == "csv":
            return csv_response(iter(rows), headers, filename)
        return xlsx_response(iter(rows), headers, filename, sheet=_("Roster"), text_columns=imports.TEXT_COLUMNS)


IMPORTS = RosterImport.objects.select_related("uploaded_by").defer(*imports.STORED_LISTS)
PROBLEMS_PER_PAGE = 200


@scoped_object(IMPORTS)
def import_preview(request: HttpRequest, roster_import: RosterImport) -> HttpResponse:
    require_role(request.user, *IMPORTERS)
    if request.GET.get("format") == "csv":
        problems = RosterImport.objects.values_list("problems", flat=True).get(pk=roster_import.pk)
        rows = ([p["row"], p.get("name", ""), p["column"], p.get("value", ""), p["message"]] for p in problems)
        with translation.override(PAPER_LANGUAGE):
            headers = [_("Row"), _("Name in the row"), _("Column"), _("Value in the file"), _("Problem")]
            return csv_response(rows, headers, _("roster-problems"))
    counts = imports.stored_counts(roster_import.pk)
    page = Paginator(range(counts["problems"]), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "households/import_preview.html", {
        "imp": roster_import, "counts": counts, "page": page, "section": "import",
        "valid_rows": max(0, roster_import.total_rows - counts["bad_rows"]),
        "problems": imports.stored_slice(roster_import.pk, "problems", page.start_index() - 1, page.end_index()),
        "warnings": imports.stored_slice(roster_import.pk, "warnings", 0, min(500, counts["warnings"])),
    })


@scoped_object(RosterImport.objects.only("township", "status", "total_rows", "processed_rows"))
def import_progress(request: HttpRequest, roster_import: RosterImport) -> HttpResponse:
    """Polled every second while the worker checks or writes: the status columns only."""
    require_role(request.user, *IMPORTERS)
    response = render(request, "households/_import_progress.html", {"imp": roster_import})
    if not roster_import.busy and request.htmx:
        # Done: reload the page to show the preview or the result.
        response["HX-Refresh"] = "true"
    return response


@scoped_object(IMPORTS, methods=("POST",))
def import_commit(request: HttpRequest, roster_import: RosterImport) -> HttpResponse:
    require_role(request.user, *IMPORTERS)
    pk = roster_import.pk
    only_valid = request.POST.get("mode") == "valid"
    if roster_import.status != RosterImport.Status.READY:
        messages.error(request, _("This import cannot be committed now."))
        return redirect("households:import-preview", pk)
    if roster_import.total_rows > settings.HOUSEHOLDS_IMPORT_INLINE_ROWS:
        from .tasks import commit_import

        RosterImport.objects.filter(pk=pk).update(status=RosterImport.Status.COMMITTING, error="")
        transaction.on_commit(lambda: commit_import.delay(pk, request.user.pk, only_valid))
        return redirect("households:import-preview", pk)
    try:
        imports.commit(roster_import, request.user, only_valid=only_valid)
    except imports.CommitRefused:
        messages.error(request, _("Nothing was imported: %(n)s rows have problems. Correct them, or import only "
                                  "the valid rows.") % {"n": len(roster_import.bad_rows)})
    else:
        messages.success(request, _("Imported %(h)s new households and %(r)s residents.") % {
            "h": roster_import.created_households, "r": roster_import.created_residents})
    return redirect("households:import-preview", pk)

