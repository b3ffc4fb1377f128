"""The responsibility assignments (包案) list behind the dashboard's overdue and supervision figures."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import figures
from casework.models import ResponsibilityAssignment
from core.lists import ListFilterSet, scoped_choices
from governance.filters import TownshipFilterMixin, township_filter
from governance.models import Village

YES_NO = (("yes", _("Yes")), ("no", _("No")))
STATES = (("open", _("Being handled")), ("overdue", _("Overdue")), ("closed", _("Closed")),
          ("due", _("Due (deadline passed or closed)")), ("on_time", _("Closed on time")),
          ("due_week", _("Due within 7 days")), ("due_soon", _("Overdue or due within 7 days")))
CASES = (("dispute", _("Dispute")), ("petition", _("Petition")), ("return", _("Screening return")))


class AssignmentFilter(TownshipFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="case_label", lookup_expr="icontains")
    township = township_filter()
    state = django_filters.ChoiceFilter(label=_("State"), choices=STATES, method="filter_state")
    supervised = django_filters.ChoiceFilter(label=_("Under supervision"), choices=YES_NO,
                                             method="filter_supervised")
    case = django_filters.ChoiceFilter(label=_("Case type"), choices=CASES, field_name="case_type__model")
    county = django_filters.ChoiceFilter(label=_("County-level cases"), choices=YES_NO, method="filter_county")
    village = django_filters.ModelChoiceFilter(
        label=_("Village"), queryset=scoped_choices(Village, reached_by=(ResponsibilityAssignment, "village")),
        null_label=_("No village"))
    mine = django_filters.ChoiceFilter(label=_("I lead or work on it"), choices=YES_NO, method="filter_mine")

    class Meta:
        model = ResponsibilityAssignment
        fields: list[str] = []

    def filter_state(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(figures.overdue_q(timezone.localdate()))
        if value == "due":
            return queryset.filter(figures.due_q(timezone.localdate()))
        if value == "on_time":
            return queryset.filter(figures.on_time_q())
        if value == "due_week":
            return queryset.filter(figures.due_week_q(timezone.localdate()))
        if value == "due_soon":
            return queryset.filter(figures.due_soon_q(timezone.localdate()))
        return queryset.filter(is_open=(value == "open"))

    def filter_county(self, queryset, name, value):
        county = figures.county_level_q()
        return queryset.filter(county if value == "yes" else ~county)

    def filter_supervised(self, queryset, name, value):
        supervised = ~Q(supervision_level=ResponsibilityAssignment.SupervisionLevel.NONE)
        return queryset.filter(supervised if value == "yes" else ~supervised)

    def filter_mine(self, queryset, name, value):
        mine = figures.answers_q(self.request.user)
        return queryset.filter(mine if value == "yes" else ~mine)
