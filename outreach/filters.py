import django_filters
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateFilter
from core.lists import ListFilterSet, scoped_choices
from core.widgets import DateInput
from governance.models import Village

from .models import Policy, PublicityEvent, TrainingSession


class PublicityEventFilter(ListFilterSet):
    village = django_filters.ModelChoiceFilter(label=_("village"), queryset=scoped_choices(Village))
    policy = django_filters.ModelChoiceFilter(label=_("publicised policy"), field_name="policies",
                                              queryset=Policy.objects.filter(is_active=True))
    held_from = BoundedDateFilter(label=_("held from"), field_name="held_on", lookup_expr="gte", widget=DateInput)
    held_to = BoundedDateFilter(label=_("held to"), field_name="held_on", lookup_expr="lte", widget=DateInput)

    class Meta:
        model = PublicityEvent
        fields = ["village", "policy", "held_from", "held_to"]


class TrainingSessionFilter(ListFilterSet):
    village = django_filters.ModelChoiceFilter(label=_("village"), queryset=scoped_choices(Village))
    held_from = BoundedDateFilter(label=_("held from"), field_name="held_on", lookup_expr="gte", widget=DateInput)
    held_to = BoundedDateFilter(label=_("held to"), field_name="held_on", lookup_expr="lte", widget=DateInput)

    class Meta:
        model = TrainingSession
        fields = ["village", "held_from", "held_to"]
