import django_filters
from django.utils.translation import gettext_lazy as _

from core.lists import ListFilterSet, scoped_choices
from governance.models import Village

from .models import Evaluation, Run, Scheme

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class RunFilter(ListFilterSet):
    scheme = django_filters.ModelChoiceFilter(queryset=scoped_choices(Scheme), label=_("assessment scheme"))
    period = django_filters.DateFilter(field_name="period_start", label=_("period from"))
    village = django_filters.ModelChoiceFilter(queryset=scoped_choices(Village), label=_("village"))
    status = django_filters.ChoiceFilter(choices=Run.Status.choices, label=_("status"))
    stars = django_filters.ChoiceFilter(choices=STAR_CHOICES, label=_("stars"))
    grade = django_filters.ChoiceFilter(choices=Run.Grade.choices, label=_("grade"))
    q = django_filters.CharFilter(field_name="subject_name", lookup_expr="contains", label=_("assessed"))

    class Meta:
        model = Run
        fields = ["scheme", "period", "village", "status", "stars", "grade", "q"]


class EvaluationFilter(ListFilterSet):
    village = django_filters.ModelChoiceFilter(queryset=scoped_choices(Village), field_name="household__grid__village",
                                               label=_("village"))
    result = django_filters.ChoiceFilter(choices=Evaluation.Result.choices, label=_("satisfaction"))
    on_from = django_filters.DateFilter(field_name="on", lookup_expr="gte", label=_("surveyed from"))
    on_to = django_filters.DateFilter(field_name="on", lookup_expr="lte", label=_("surveyed until"))

    class Meta:
        model = Evaluation
        fields = ["village", "result", "on_from", "on_to"]
