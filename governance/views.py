"""Pages of the organisation: villages, grids, household heads (联户长), users, the holiday calendar.

Seeing is scoping (``visible_to``: 404 outside the user's part of the township); changing is by role
(403 inside). Object pages look the object up first and check the role second, so that out of scope
always answers 404. Views stay thin: forms validate, ``structure`` services act.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_tables2 import SingleTableMixin

from core import health
from core.audit import history_entries
from core.lists import ScopedListView
from core.scoping import ScopeKind, get_visible_or_404, scope_of
from core.todo import todo_for

from . import forms as f
from . import services, structure
from .filters import GridListFilter, HeadFilter, UserFilter, VillageFilter
from .models import CalendarDay, Grid, HouseholdHead, User, Village
from .permissions import (
    HEAD_PAPER_READERS,
    STRUCTURE_MANAGERS,
    RoleRequiredMixin,
    may_change_deployment,
    require_deployment_keeper,
    require_role,
)
from .tables import CalendarDayTable, GridTable, HeadTable, ReadOnlyCalendarDayTable, UserTable, VillageTable
from .workdays import is_provisional, last_confirmed_year, provisional_days, provisional_year_reached

R = User.Role
TOWNSHIP_WIDE = (R.COUNTY_LEADER, R.COUNTY_STAFF, R.TOWNSHIP_STAFF, R.SUPERVISOR)


def home(request: HttpRequest) -> HttpResponse:
    # The calendar's keeper is told on the home page when deadlines reach a year without an official arrangement.
    provisional_year = provisional_year_reached() if may_change_deployment(request.user) else None
    # 待办: each module's lines (core/todo.py), one or two queries each.
    todo = todo_for(request.user, timezone.localdate())
    return render(request, "governance/home.html", {"provisional_year": provisional_year, "todo": todo})


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results = {name: check() for name, check in health.CHECKS.items()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()}
    healthy = all(ok for ok, _ in results.values())
    body["status"] = "ok" if healthy else "fail"
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


# --- shared pieces -------------------------------------------------------------------------------------


def _count(model, path: str, user, **filters):
    """A correlated COUNT subquery of the rows ``user`` may see: one query a page whatever the number of
    rows, no join blow-up, and no figure from outside the user's scope."""
    rows = model.objects.visible_to(user).filter(**{path: OuterRef("pk")}, **filters).order_by().values(path)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def _household_model():
    # Governance does not import the households app; the reverse relation names the model.
    return Grid.households.rel.related_model


#: The scopes in which every household of a village (or grid) in view is in view: a grid worker sees their grids'
#: households only, a household head their own.
WHOLE = {
    "grid__village": (ScopeKind.ALL, ScopeKind.TOWNSHIP, ScopeKind.TOWNSHIPS, ScopeKind.VILLAGES),
    "grid": (ScopeKind.ALL, ScopeKind.TOWNSHIP, ScopeKind.TOWNSHIPS, ScopeKind.VILLAGES, ScopeKind.GRIDS),
}


def _household_count(path: str, user):
    """Households per village or grid in view (``path``). Where the user sees whole villages or grids, the place's own
    households are counted, not each tested again against the scope's grids (a county's 1,978 grids: 50 ms for a page
    of 25 villages, 2 ms without)."""
    if scope_of(user).kind not in WHOLE[path]:
        return _count(_household_model(), path, user)
    rows = _household_model().objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def can_manage(user) -> bool:
    return user.has_role(*STRUCTURE_MANAGERS)


class OrganisationListView(ScopedListView):
    template_name = "governance/list.html"
    create_roles = STRUCTURE_MANAGERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.user.has_role(*self.create_roles):
            context["create_url_name"] = None
        return context


class ScopedObjectMixin:
    """The object from the user's scope (404 outside), then the role (403 inside)."""

    allowed_roles: tuple[str, ...] = STRUCTURE_MANAGERS

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.allowed_roles:
            require_role(self.request.user, *self.allowed_roles)
        return obj


class ManageFormMixin:
    """Create and edit pages of the organisation: the form gets the user; a message after saving."""

    template_name = "governance/object_form.html"
    success_message = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.success_message or _("Saved."))
        return response


class DetailWithHistoryView(DetailView):
    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = history_entries(self.object)
        context["can_manage"] = can_manage(self.request.user)
        return context


# --- villages ------------------------------------------------------------------------------------------


class VillageListView(OrganisationListView):
    model = Village
    table_class = VillageTable
    filterset_class = VillageFilter
    title = gettext_lazy("Villages")
    create_url_name = "governance:village-create"

    def base_queryset(self):
        return Village.objects.order_by("township", "code", "name").annotate(
            grid_count=_count(Grid, "village", self.request.user, merged_into__isnull=True),
            head_count=_count(HouseholdHead, "grid__village", self.request.user, status=HouseholdHead.Status.ACTIVE),
            household_count=_household_count("grid__village", self.request.user),
        )


class VillageDetailView(DetailWithHistoryView):
    model = Village
    template_name = "governance/village_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grids"] = (
            Grid.objects.visible_to(self.request.user).filter(village=self.object)
            .select_related("leader", "merged_into")
            .annotate(
                head_count=_count(HouseholdHead, "grid", self.request.user, status=HouseholdHead.Status.ACTIVE),
                household_count=_household_count("grid", self.request.user),
            )
        )
        context["cadres"] = self.object.cadres.filter(is_active=True).order_by("role", "username")
        return context


class VillageCreateView(RoleRequiredMixin, ManageFormMixin, CreateView):
    model = Village
    form_class = f.VillageForm
    allowed_roles = STRUCTURE_MANAGERS
    extra_context = {"title": gettext_lazy("New village")}


class VillageUpdateView(ScopedObjectMixin, ManageFormMixin, UpdateView):
    model = Village
    form_class = f.VillageForm


@require_POST
def village_delete(request: HttpRequest, pk: int) -> HttpResponse:
    village = get_visible_or_404(Village.objects, request.user, pk=pk)
    require_role(request.user, *STRUCTURE_MANAGERS)
    try:
        structure.village_delete(village=village)
    except ValidationError as exc:
        _refuse(request, exc)
        return redirect(village)
    messages.success(request, _("The village was deleted."))
    return redirect("governance:village-list")


# --- grids ---------------------------------------------------------------------------------------------


class GridListView(OrganisationListView):
    model = Grid
    table_class = GridTable
    filterset_class = GridListFilter
    title = gettext_lazy("Grids")
    create_url_name = "governance:grid-create"

    def base_queryset(self):
        return Grid.objects.select_related("village", "leader", "merged_into").annotate(
            head_count=_count(HouseholdHead, "grid", self.request.user, status=HouseholdHead.Status.ACTIVE),
            household_count=_household_count("grid", self.request.user),
        )


class GridDetailView(DetailWithHistoryView):
    model = Grid
    template_name = "governance/grid_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "leader", "merged_into")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = self.object
        context["heads"] = HouseholdHead.objects.visible_to(self.request.user).filter(grid=grid).order_by(
            "status", "name"
        ).annotate(
            household_count=_count(_household_model(), "household_head", self.request.user)
        )
        context["household_count"] = _household_model().objects.visible_to(self.request.user).filter(grid=grid).count()
        context["workers"] = grid.workers.filter(is_active=True).order_by("username")
        context["merged_grids"] = grid.merged_grids.all()
        context["merge_record"] = getattr(grid, "merge_record", None)
        return context


class GridCreateView(RoleRequiredMixin, ManageFormMixin, CreateView):
    model = Grid
    form_class = f.GridForm
    allowed_roles = STRUCTURE_MANAGERS
    extra_context = {"title": gettext_lazy("New grid")}

    def get_initial(self):
        village = f.as_ids([self.request.GET.get("village", "")])
        return {"village": village[0]} if village else {}


class GridUpdateView(ScopedObjectMixin, ManageFormMixin, UpdateView):
    model = Grid
    form_class = f.GridForm


@require_http_methods(["GET", "POST"])
def grid_merge(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_visible_or_404(Grid.objects.select_related("village"), request.user, pk=pk)
    require_role(request.user, *STRUCTURE_MANAGERS)
    form = f.GridMergeForm(request.POST or None, grid=grid, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            structure.grid_merge(grid=grid, into=form.cleaned_data["into"], reason=form.cleaned_data["reason"],
                                 by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The grid was merged; its households and household heads moved."))
            return redirect(form.cleaned_data["into"])
    return render(request, "governance/grid_merge.html", {"object": grid, "form": form})


@require_POST
def grid_delete(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_visible_or_404(Grid.objects, request.user, pk=pk)
    require_role(request.user, *STRUCTURE_MANAGERS)
    try:
        structure.grid_delete(grid=grid)
    except ValidationError as exc:
        _refuse(request, exc)
        return redirect(grid)
    messages.success(request, _("The grid was deleted."))
    return redirect("governance:grid-list")


@require_GET
def grid_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of a grid select for one village (the htmx cascade of every grid picker)."""
    village = f.as_ids([request.GET.get("village", "")])
    keep = request.GET.getlist("grid") + request.GET.getlist("grids")
    grids = f.grid_choices(
        Grid.objects.visible_to(request.user).active(), village=village[0] if village else None, keep=keep
    )
    context = {"grids": grids, "selected": set(f.as_ids(keep)), "multiple": bool(request.GET.get("multiple"))}
    return render(request, "governance/grid_options.html", context)


# --- household heads (联户长) -----------------------------------------------------------------------------


class HeadListView(OrganisationListView):
    model = HouseholdHead
    table_class = HeadTable
    filterset_class = HeadFilter
    title = gettext_lazy("Household heads")
    create_url_name = "governance:head-appoint"

    def base_queryset(self):
        return HouseholdHead.objects.select_related("grid__village").annotate(
            household_count=_count(_household_model(), "household_head", self.request.user)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_role(*HEAD_PAPER_READERS):
            context["roster_url_name"] = "governance:head-roster"
        return context


#: Boxes a later module adds to a household head's page (assessment: the stars and the 续聘 hint), registered from its
#: ``ready()``: name → ``panel(request, head)`` returning a context with its ``template``, or None to show nothing.
HEAD_PANELS: dict = {}


def register_head_panel(name: str, panel) -> None:
    HEAD_PANELS[name] = panel


class HeadDetailView(DetailWithHistoryView):
    model = HouseholdHead
    template_name = "governance/head_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("grid__village")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        head = self.object
        context["terms"] = head.terms.select_related("grid", "appointed_by", "ended_by")
        households = _household_model().objects.visible_to(self.request.user).filter(household_head=head)
        context["households"] = households.order_by("house_number", "pk")[:50]
        context["household_count"] = households.count()
        context["login"] = getattr(head, "user", None)
        context["can_print"] = self.request.user.has_role(*HEAD_PAPER_READERS)
        context["head_panels"] = [p for p in (panel(self.request, head) for panel in HEAD_PANELS.values()) if p]
        return context


class HeadAppointView(RoleRequiredMixin, ManageFormMixin, CreateView):
    model = HouseholdHead
    form_class = f.HeadAppointForm
    allowed_roles = STRUCTURE_MANAGERS
    extra_context = {"title": gettext_lazy("Appoint a household head")}

    def get_initial(self):
        grid = f.as_ids([self.request.GET.get("grid", "")])
        if grid:
            found = Grid.objects.visible_to(self.request.user).active().filter(pk=grid[0]).first()
            return {"grid": found} if found else {}
        return {}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = structure.head_appoint(
                grid=data["grid"], name=data["name"], phone=data["phone"], appointed_on=data["appointed_on"],
                term_ends_on=data["term_ends_on"], certificate_number=data["certificate_number"],
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The household head was appointed."))
        return redirect(self.object)


class HeadUpdateView(ScopedObjectMixin, ManageFormMixin, UpdateView):
    model = HouseholdHead
    form_class = f.HeadEditForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        structure.head_update(head=self.object, name=data["name"], phone=data["phone"],
                              term_ends_on=data["term_ends_on"])
        messages.success(self.request, _("Saved."))
        return redirect(self.object)


def _head_for_action(request: HttpRequest, pk: int) -> HouseholdHead:
    head = get_visible_or_404(HouseholdHead.objects.select_related("grid__village"), request.user, pk=pk)
    require_role(request.user, *STRUCTURE_MANAGERS)
    return head


def _action_page(request, obj, form, template: str, act, done: str) -> HttpResponse:
    """GET shows the form; a valid POST calls ``act(data)``; a refused transition is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(obj)
    return render(request, template, {"object": obj, "form": form})


@require_http_methods(["GET", "POST"])
def head_end_term(request: HttpRequest, pk: int) -> HttpResponse:
    head = _head_for_action(request, pk)
    form = f.HeadEndTermForm(request.POST or None)
    return _action_page(
        request, head, form, "governance/head_end_term.html",
        lambda d: structure.head_end_term(head=head, on=d["ended_on"], reason=d["reason"], by=request.user),
        _("The household head has left office."),
    )


@require_http_methods(["GET", "POST"])
def head_reappoint(request: HttpRequest, pk: int) -> HttpResponse:
    head = _head_for_action(request, pk)
    form = f.HeadReappointForm(request.POST or None)
    return _action_page(
        request, head, form, "governance/head_reappoint.html",
        lambda d: structure.head_reappoint(head=head, on=d["appointed_on"], term_ends_on=d["term_ends_on"],
                                           certificate_number=d["certificate_number"], by=request.user),
        _("The household head was appointed for a new term."),
    )


@require_http_methods(["GET", "POST"])
def head_move(request: HttpRequest, pk: int) -> HttpResponse:
    head = _head_for_action(request, pk)
    form = f.HeadMoveForm(request.POST or None, head=head, user=request.user)
    return _action_page(
        request, head, form, "governance/head_move.html",
        lambda d: structure.head_move(head=head, grid=d["grid"], by=request.user),
        _("The household head now serves the new grid."),
    )


# --- users ---------------------------------------------------------------------------------------------


def _users(request: HttpRequest):
    return User.objects.manageable_by(request.user)


def _user_for_action(request: HttpRequest, pk: int, *, own_details: bool = False) -> User:
    """An account in scope (404 outside) that the user may act on: 403 without the role, or for an account at or
    above their own rank (User.ROLE_RANK); ``own_details``: one's own account too (its details, not its role)."""
    user = get_visible_or_404(_users(request), request.user, pk=pk)
    require_role(request.user, *STRUCTURE_MANAGERS)
    if not (own_details and user.pk == request.user.pk) and not request.user.outranks(user):
        raise PermissionDenied
    return user


class UserListView(RoleRequiredMixin, OrganisationListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilter
    allowed_roles = TOWNSHIP_WIDE
    title = gettext_lazy("Users")
    create_url_name = "governance:user-create"

    def get_queryset(self):
        return _users(self.request).select_related("household_head").prefetch_related(
            "villages", Prefetch("grids", Grid.objects.select_related("village"))
        )


class UserDetailView(DetailWithHistoryView):
    model = User
    template_name = "governance/user_detail.html"

    def get_queryset(self):
        return _users(self.request).select_related("township", "household_head__grid__village")

    def get_context_data(self, **kwargs):
        from axes.models import AccessAttempt

        context = super().get_context_data(**kwargs)
        context["locked"] = AccessAttempt.objects.filter(
            username=self.object.username, failures_since_start__gt=0
        ).exists()
        context["can_manage"] = context["can_manage"] and self.request.user.outranks(self.object)
        return context


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *STRUCTURE_MANAGERS)
    head = None
    if request.GET.get("head"):
        head = get_visible_or_404(HouseholdHead.objects.active(), request.user, pk=request.GET["head"])
        if User.objects.filter(household_head=head).exists():
            messages.error(request, _("This household head already has a login."))
            return redirect(head)
    form = f.UserCreateForm(request.POST or None, actor=request.user, head=head)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = structure.user_create(
                by=request.user, username=data["username"], password=data["password1"],
                role=R.HOUSEHOLD_HEAD if head else data["role"],
                township=data.get("township") or (head.grid.village.township if head else request.user.township),
                county=data.get("county"),
                display_name=data["display_name"], phone=data["phone"], villages=data.get("villages") or (),
                grids=data.get("grids") or (), household_head=head,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The login was created."))
            return redirect(user)
    title = _("New login for household head %(name)s") % {"name": head.name} if head else _("New user")
    return render(request, "governance/object_form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_for_action(request, pk, own_details=True)
    form = f.UserEditForm(request.POST or None, instance=user, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            structure.user_update(
                user=user, by=request.user, role=data["role"], display_name=data["display_name"],
                phone=data["phone"], villages=data.get("villages") or (), grids=data.get("grids") or (),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(user)
    return render(request, "governance/object_form.html", {"form": form, "object": user})


def _user_action(request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
    user = _user_for_action(request, pk)
    try:
        act(user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, done)
    return redirect(user)


@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, lambda u: structure.user_deactivate(user=u, by=request.user),
                        _("The account was deactivated; its sessions have ended."))


@require_POST
def user_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, lambda u: structure.user_activate(user=u, by=request.user), _("The account is active again."))


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, lambda u: structure.user_unlock(user=u), _("The login lock was lifted."))


@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_for_action(request, pk)
    form = f.PasswordResetForm(user, request.POST or None)
    return _action_page(
        request, user, form, "governance/user_password.html",
        lambda d: structure.user_set_password(user=user, password=d["new_password1"], by=request.user),
        _("The password was set; the user's sessions have ended."),
    )


class OwnPasswordChangeView(PasswordChangeView):
    """Every user changes their own password here (the old one first); a password someone else set must be changed
    here before anything else (PasswordChangeRequiredMiddleware). The session stays, with the new password."""

    form_class = f.OwnPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


# --- the holiday calendar ------------------------------------------------------------------------------


class CalendarListView(RoleRequiredMixin, SingleTableMixin, ListView):
    """Statutory holidays on weekdays and 调休 make-up workdays on weekends, by year (deployment-wide): township
    staff and supervisors read it; only the system administrator changes it (``may_change_deployment``)."""

    model = CalendarDay
    template_name = "governance/calendarday_list.html"
    allowed_roles = TOWNSHIP_WIDE
    table_pagination = {"per_page": 100}

    def get_table_class(self):
        return CalendarDayTable if may_change_deployment(self.request.user) else ReadOnlyCalendarDayTable

    def get_year(self) -> int:
        year = f.as_ids([self.request.GET.get("year", "")])
        return year[0] if year and 1900 < year[0] < 3000 else timezone.localdate().year

    def get_queryset(self):
        return CalendarDay.objects.filter(date__year=self.get_year())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.get_year()
        last_confirmed = last_confirmed_year()
        context.update(year=year, previous_year=year - 1, next_year=year + 1,
                       can_manage=may_change_deployment(self.request.user),
                       confirmed=not is_provisional(dt.date(year, 1, 1), last_confirmed=last_confirmed),
                       last_confirmed=last_confirmed, provisional_year=provisional_year_reached())
        if not context["confirmed"]:
            context["provisional_days"] = provisional_days(year)
        return context


class CalendarKeeperMixin:
    """The calendar is shared by every township of the deployment: changed only by those who answer for it."""

    model = CalendarDay
    form_class = f.CalendarDayForm
    template_name = "governance/object_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_deployment_keeper(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        messages.success(self.request, _("Saved."))
        return f"{reverse('governance:calendar')}?year={self.object.date.year}"


class CalendarDayCreateView(CalendarKeeperMixin, CreateView):
    extra_context = {"title": gettext_lazy("New holiday or make-up workday")}

    def get_initial(self):
        return {"date": dt.date(timezone.localdate().year + 1, 1, 1)}


class CalendarDayUpdateView(CalendarKeeperMixin, UpdateView):
    extra_context = {"delete_url_name": "governance:calendar-delete"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = history_entries(self.object)
        return context


@require_http_methods(["GET", "POST"])
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    """One screen for a year's official arrangement, when the State Council publishes it: confirms the year."""
    require_deployment_keeper(request.user)
    if not 2000 <= year <= 2100:
        raise Http404
    form = f.CalendarYearForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        in_year = services.calendar_year_confirm(year=year, days=data["days"], by=request.user, source=data["source"])
        messages.success(request, _("The calendar for %(year)s is confirmed.") % {"year": year})
        if in_year:
            messages.warning(request, _(
                "%(count)s open cases have a deadline in %(year)s, counted on the provisional calendar: their dates "
                "are kept; check them against the official arrangement.") % {"count": in_year, "year": year})
        return redirect(f"{reverse('governance:calendar')}?year={year}")
    return render(request, "governance/calendaryear_form.html", {
        "form": form, "year": year, "cancel_url": f"{reverse('governance:calendar')}?year={year}",
        "title": _("Official arrangement for %(year)s") % {"year": year},
    })


@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_deployment_keeper(request.user)
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    day.delete()
    messages.success(request, _("The day was removed from the calendar."))
    return redirect(f"{reverse('governance:calendar')}?year={year}")
