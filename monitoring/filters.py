"""The monitoring list's filters; the dashboard links here with the same conditions as its counts (figures.py)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateFilter
from core.lists import ListFilterSet, contains, scoped_choices
from core.widgets import DateInput
from governance.filters import TownshipFilterMixin, township_filter
from governance.models import Village

from . import figures
from .models import Measure, MeasureCategory, MonitoringCase, MonitoringType

YES_NO = (("yes", _("Yes")), ("no", _("No")))
STAGES = (("entry", _("Being identified")), ("monitored", _("Monitored")), ("ever", _("Ever monitored")),
          ("closed", _("Closed")))


class MonitoringFilter(TownshipFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("status"), choices=MonitoringCase.Status.choices)
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=STAGES, method="filter_stage")
    type = django_filters.ModelChoiceFilter(label=_("monitoring type"), queryset=MonitoringType.objects.all())
    township = township_filter()
    village = django_filters.ModelChoiceFilter(label=_("village"), queryset=scoped_choices(Village))
    overdue = django_filters.ChoiceFilter(label=_("Past the decision date"), choices=YES_NO, method="filter_overdue")
    problems = django_filters.ChoiceFilter(label=_("Open security problems"), choices=YES_NO,
                                           method="filter_problems")
    found_from = BoundedDateFilter(label=_("Identified from"), field_name="found_on", lookup_expr="gte",
                                   widget=DateInput())
    found_to = BoundedDateFilter(label=_("Identified until"), field_name="found_on", lookup_expr="lte", widget=DateInput())

    class Meta:
        model = MonitoringCase
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(contains("number", value) | contains("household__head_name", value))

    def filter_stage(self, queryset, name, value):
        statuses = {"entry": MonitoringCase.ENTRY_STATUSES, "monitored": MonitoringCase.MONITORED_STATUSES,
                    "ever": MonitoringCase.EVER_MONITORED_STATUSES,
                    "closed": MonitoringCase.CLOSED_STATUSES}[value]
        return queryset.filter(status__in=statuses)

    def filter_overdue(self, queryset, name, value):
        q = figures.overdue_q()
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)

    def filter_problems(self, queryset, name, value):
        q = figures.open_problems_q()
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)


TIMING = (("on_time", _("Done on time")), ("late", _("Late (done late, or open past the date)")),
          ("open", _("Not done yet")))


class MeasureFilter(ListFilterSet):
    """一户一策 measures; the dashboard's 帮扶措施按时落实 card links here (figures.measures_on_time)."""

    timing = django_filters.ChoiceFilter(label=_("Timing"), choices=TIMING, method="filter_timing")
    category = django_filters.ModelChoiceFilter(label=_("category"), queryset=MeasureCategory.objects.all())
    village = django_filters.ModelChoiceFilter(label=_("village"), field_name="case__village",
                                               queryset=scoped_choices(Village))
    planned_from = BoundedDateFilter(label=_("Planned from"), field_name="planned_on", lookup_expr="gte",
                                     widget=DateInput())
    planned_to = BoundedDateFilter(label=_("Planned until"), field_name="planned_on", lookup_expr="lte",
                                   widget=DateInput())

    class Meta:
        model = Measure
        fields: list[str] = []

    def filter_timing(self, queryset, name, value):
        if value == "on_time":
            return queryset.filter(figures.on_time_q())
        if value == "late":
            return queryset.filter(figures.late_q())
        return queryset.filter(done_on__isnull=True)
