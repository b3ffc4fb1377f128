"""The dispute list's filters. Choices come from what the user may see; the grids follow the chosen village."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateFilter, parse_id
from core.lists import ListFilterSet, contains, scoped_choices
from governance.filters import GridFilter, TownshipFilterMixin, township_filter
from governance.models import Grid, Village

from .models import Dispute, Party

YES_NO = (("yes", _("Yes")), ("no", _("No")))
def grid_choices(request):
    """Every grid the user may see is a valid choice (links from the dashboards may name only a grid); the
    dropdown itself lists the grids of the chosen village (see ``DisputeFilter.form``)."""
    if request is None:
        return Grid.objects.none()
    return scoped_choices(Grid, reached_by=(Dispute, "grid"))(request).select_related("village")


class DateInput(forms.DateInput):
    input_type = "date"


class DisputeFilter(TownshipFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    township = township_filter()
    kind = django_filters.ChoiceFilter(label=_("dispute type"), choices=Dispute.Kind.choices)
    source = django_filters.ChoiceFilter(label=_("source"), choices=Dispute.Source.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=Dispute.Status.choices)
    level = django_filters.ChoiceFilter(label=_("handling level"), choices=Dispute.Level.choices)
    village = django_filters.ModelChoiceFilter(
        label=_("village"), queryset=scoped_choices(Village, reached_by=(Dispute, "village")),
        widget=forms.Select(attrs={"hx-get": reverse_lazy("disputes:grid-options"), "hx-target": "#id_grid",
                                   "hx-trigger": "change"}),
    )
    grid = GridFilter(label=_("grid"), queryset=grid_choices)
    risk = django_filters.ChoiceFilter(label=_("risk level"), choices=Dispute.Risk.choices)
    outcome = django_filters.ChoiceFilter(
        label=_("mediation result"), choices=[c for c in Dispute.Outcome.choices if c[0]]
    )
    resolved_level = django_filters.ChoiceFilter(label=_("resolved at level"), choices=Dispute.Level.choices)
    open = django_filters.ChoiceFilter(label=_("Not closed"), choices=YES_NO, method="filter_open")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")
    supervised = django_filters.ChoiceFilter(label=_("Under supervision"), choices=YES_NO,
                                             method="filter_supervised")
    registered_from = BoundedDateFilter(
        label=_("Registered from"), field_name="registered_on", lookup_expr="gte", widget=DateInput()
    )
    registered_to = BoundedDateFilter(
        label=_("Registered until"), field_name="registered_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Dispute
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        parties = Party.objects.filter(contains("name", value)).values("dispute")
        return queryset.filter(
            contains("number", value) | contains("title", value) | contains("description", value)
            | Q(pk__in=parties)
        )

    def filter_open(self, queryset, name, value):
        closed = Q(status=Dispute.Status.CLOSED)
        return queryset.exclude(closed) if value == "yes" else queryset.filter(closed)

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.model.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value == "yes" else queryset.exclude(pk__in=overdue)

    def filter_supervised(self, queryset, name, value):
        supervised = queryset.model.objects.supervised().values("pk")
        return queryset.filter(pk__in=supervised) if value == "yes" else queryset.exclude(pk__in=supervised)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_grids_narrowed", False):
            # Cascade: the grid dropdown shows the chosen village's grids (htmx reloads it on change), so it
            # never renders a whole township's grids.
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
        """(from, until) of the registration dates asked for, for the ledger's title row."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return data.get("registered_from"), data.get("registered_to")
