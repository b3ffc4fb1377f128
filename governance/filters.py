"""Filters of the organisation lists. Choices come from ``scoped_choices``: a filter can narrow what a user
sees, never widen it (``?village=<not yours>`` is an invalid choice, and an invalid filter shows nothing)."""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import parse_id
from core.lists import ListFilterSet, contains, scoped_choices
from core.normalise import normalize_search

from .forms import GridLabelMixin, grid_choices, narrow_choices, village_cascade_attrs
from .models import Grid, HouseholdHead, Township, User, Village


def _in_township(queryset, name, value):
    """By the path the model's scoping reaches its township by (``scope_township_path``)."""
    if not value:
        return queryset
    return queryset.filter(**{getattr(queryset, "scope_township_path", None) or "township": value})


def township_filter(method=_in_township):
    """``?township=<pk>``: for those who see more than one township (county users, the superuser); the lists of a
    county's dashboard link through it. Choices are the townships the user sees."""
    return django_filters.ModelChoiceFilter(label=_("Township"), queryset=scoped_choices(Township), method=method)


class TownshipFilterMixin:
    """Drops the ``township`` filter for users of one township: one choice would be clutter."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if not (user is not None and (user.is_superuser or getattr(user, "is_county_user", False))):
            self.filters.pop("township", None)


class GridFilterField(GridLabelMixin, django_filters.fields.ModelChoiceField):
    pass


class GridFilter(django_filters.ModelChoiceFilter):
    field_class = GridFilterField


class SearchFilterSet(ListFilterSet):
    """``q`` searches ``search_fields`` (any of them contains it, case ignored: ``lists.contains``)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = normalize_search(value)
        if not value:
            return queryset
        return queryset.filter(reduce(or_, (contains(f, value) for f in self.search_fields)))


class VillageGridFilterSet(SearchFilterSet):
    """A village filter that narrows the grid filter's options to that village (htmx cascade when many)."""

    @property
    def form(self):
        form = super().form
        if "grid" in form.fields and not getattr(form, "_grids_narrowed", False):
            form._grids_narrowed = True
            field = form.fields["grid"]
            field.queryset = field.queryset.select_related("village")
            village = (self.data or {}).get("village")
            village_id = parse_id(village)
            narrow_choices(field, grid_choices(field.queryset, village=village_id, keep=[(self.data or {}).get("grid")]))
            form.fields["village"].widget.attrs.update(village_cascade_attrs("id_grid"))
        return form


class VillageFilter(SearchFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Village
        fields = ["q", "kind"]


class GridListFilter(VillageGridFilterSet):
    search_fields = ("name", "village__name")
    village = django_filters.ModelChoiceFilter(queryset=scoped_choices(Village), label=_("Village"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=[("active", _("Current")), ("merged", _("Merged"))],
    )

    class Meta:
        model = Grid
        fields = ["q", "village", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(merged_into__isnull=(value == "active"))


class HeadFilter(VillageGridFilterSet):
    search_fields = ("name", "certificate_number", "phone")
    village = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Village), field_name="grid__village", label=_("Village")
    )
    grid = GridFilter(queryset=scoped_choices(Grid), label=_("Grid"))
    status = django_filters.ChoiceFilter(choices=HouseholdHead.Status.choices, label=_("Status"))

    class Meta:
        model = HouseholdHead
        fields = ["q", "village", "grid", "status"]


class UserFilter(SearchFilterSet):
    search_fields = ("username", "display_name", "phone")
    role = django_filters.ChoiceFilter(choices=User.Role.choices, label=_("Role"))
    village = django_filters.ModelChoiceFilter(
        queryset=scoped_choices(Village), method="filter_village", label=_("Village")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Active")), ("false", _("Deactivated"))]),
    )

    class Meta:
        model = User
        fields = ["q", "role", "village", "is_active"]

    def filter_village(self, queryset, name, value):
        """The people who answer for a village: its cadres, its grid workers, its household heads."""
        # Subqueries, not joins: a join through two many-to-many tables would repeat rows.
        return queryset.filter(
            Q(pk__in=queryset.filter(villages=value).values("pk"))
            | Q(pk__in=queryset.filter(grids__village=value).values("pk"))
            | Q(household_head__grid__village=value)
        )
