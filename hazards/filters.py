"""The hazard list's filters. Choices come from what the user may see; every dashboard figure links here with
filters that give the same count."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from casework.rectification import OPEN_STATUSES, RECTIFIED_STATUSES, RectificationStatus
from core.bounds import BoundedDateFilter, parse_id
from core.lists import ListFilterSet, contains, scoped_choices
from governance.filters import GridFilter, TownshipFilterMixin, township_filter
from governance.models import Grid, Village

from .models import Hazard, HazardField

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def grid_choices(request):
    """Every grid the user may see is a valid choice (a dashboard link may name only a grid)."""
    if request is None:
        return Grid.objects.none()
    return Grid.objects.visible_to(request.user).select_related("village")


class DateInput(forms.DateInput):
    input_type = "date"


class HazardFilter(TownshipFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    field = django_filters.ModelChoiceFilter(label=_("field"), queryset=HazardField.objects.all())
    grade = django_filters.ChoiceFilter(label=_("grade"), choices=Hazard.Grade.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=RectificationStatus.choices)
    handling = django_filters.ChoiceFilter(label=_("handling"), choices=Hazard.Handling.choices)
    source = django_filters.ChoiceFilter(label=_("source"), choices=Hazard.Source.choices)
    township = township_filter()
    village = django_filters.ModelChoiceFilter(
        label=_("village"), queryset=scoped_choices(Village),
        widget=forms.Select(attrs={"hx-get": reverse_lazy("hazards:grid-options"), "hx-target": "#id_grid",
                                   "hx-trigger": "change"}),
    )
    grid = GridFilter(label=_("grid"), queryset=grid_choices)
    open = django_filters.ChoiceFilter(label=_("Open"), choices=YES_NO, method="filter_open")
    rectified = django_filters.ChoiceFilter(label=_("Rectified"), choices=YES_NO, method="filter_rectified")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")
    handed_over = django_filters.ChoiceFilter(label=_("Handed over"), choices=YES_NO, method="filter_handed_over")
    first_recheck = django_filters.ChoiceFilter(
        label=_("First re-check"), choices=(("passed", _("Passed")), ("failed", _("Failed")), ("done", _("Re-checked"))),
        method="filter_first_recheck")
    reported_by_me = django_filters.BooleanFilter(label=_("Reported by me"), method="filter_mine",
                                                  widget=forms.CheckboxInput)
    found_from = BoundedDateFilter(label=_("Found from"), field_name="found_on", lookup_expr="gte",
                                   widget=DateInput())
    found_to = BoundedDateFilter(label=_("Found until"), field_name="found_on", lookup_expr="lte", widget=DateInput())

    class Meta:
        model = Hazard
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(contains("number", value) | contains("description", value)
                               | contains("place", value) | contains("party_name", value))

    def filter_open(self, queryset, name, value):
        q = Q(status__in=OPEN_STATUSES)
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)

    def filter_rectified(self, queryset, name, value):
        q = Q(status__in=RECTIFIED_STATUSES)
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)

    def filter_handed_over(self, queryset, name, value):
        q = Q(status=RectificationStatus.TRANSFERRED)
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.model.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value == "yes" else queryset.exclude(pk__in=overdue)

    def filter_first_recheck(self, queryset, name, value):
        from .models import Recheck

        first = Recheck.objects.filter(round=1)
        if value == "passed":
            first = first.filter(passed=True)
        elif value == "failed":
            first = first.filter(passed=False)
        return queryset.filter(pk__in=first.values("case"))

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(found_by=self.request.user)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_grids_narrowed", False):
            form._grids_narrowed = True
            field = form.fields["grid"]
            village, grid = parse_id(form.data.get("village")), parse_id(form.data.get("grid"))
            shown = field.queryset.filter(Q(village=village) if village else Q(pk__in=[]))
            if grid:
                shown = shown | field.queryset.filter(pk=grid)
            field.widget.choices = [("", "---------"), *((g.pk, g.name) for g in shown.order_by("name"))]
        return form

    @property
    def period(self) -> tuple:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return data.get("found_from"), data.get("found_to")
