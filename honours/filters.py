import django_filters
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateFilter
from core.lists import ListFilterSet, scoped_choices
from core.widgets import DateInput
from governance.models import Village

from .models import HygieneInspection


class HygieneInspectionFilter(ListFilterSet):
    village = django_filters.ModelChoiceFilter(label=_("village"), field_name="household__grid__village",
                                               queryset=scoped_choices(Village))
    inspected_from = BoundedDateFilter(label=_("inspected from"), field_name="inspected_on", lookup_expr="gte",
                                       widget=DateInput)
    inspected_to = BoundedDateFilter(label=_("inspected to"), field_name="inspected_on", lookup_expr="lte",
                                     widget=DateInput)

    class Meta:
        model = HygieneInspection
        fields = ["village", "inspected_from", "inspected_to"]
