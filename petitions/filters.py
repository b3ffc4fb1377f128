"""The petition list's filters. Choices come from what the user may see; a filter narrows, never widens."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import ResponsibilityAssignment
from casework.scoping import answered_outside
from core.bounds import BoundedDateFilter
from core.lists import ListFilterSet, contains, scoped_choices
from core.normalise import normalize_search
from core.numbersearch import number_tail_q
from core.scoping import ScopeKind, scope_of
from governance.filters import TownshipFilterMixin, township_filter
from governance.models import User, Village

from . import figures
from .models import Petition, Petitioner, PetitionQuerySet


def lead_choices(request):
    """The lead officials of the petitions this user sees (a handful, not every user of the township)."""
    if request is None:
        return User.objects.none()
    user = request.user
    scope = scope_of(user)
    if scope.kind in (ScopeKind.TOWNSHIP, ScopeKind.TOWNSHIPS):
        # An assignment carries its petition's township: the township's (or county's) petition assignments are read
        # by it, with those of the petitions the user answers for elsewhere (joining 3,000 petitions to theirs took
        # 3 ms; a county's 20,000 petitions joined to their assignments, 42 ms).
        townships = [scope.township_id] if scope.kind == ScopeKind.TOWNSHIP else list(scope.township_ids)
        outside = answered_outside(Petition, user, PetitionQuerySet.scope_q(scope))
        leads = ResponsibilityAssignment.objects.of_cases(Petition).filter(
            Q(township__in=townships) | Q(case_id__in=outside)).order_by().values("lead")
    else:
        # From the visible petitions to their assignments (one index lookup each), not from every petition
        # assignment of the county back to the visible petitions.
        leads = Petition.objects.visible_to(user).order_by().values("assignments__lead")
    # What a user's name (str) reads: the dropdown's labels.
    return User.objects.filter(pk__in=leads).order_by("username").only(
        "username", "display_name", "first_name", "last_name")


class DateField(forms.DateInput):
    input_type = "date"


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class PetitionFilter(TownshipFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(label=_("Number, petitioner, ID number or phone"), method="filter_q")
    township = township_filter()
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Petition.Channel.choices)
    form = django_filters.ChoiceFilter(label=_("Form"), choices=Petition.Form.choices, method="filter_form")
    subject = django_filters.ChoiceFilter(label=_("Subject"), choices=Petition.Subject.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Petition.Status.choices)
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=scoped_choices(Village, reached_by=(Petition, "village")))
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead official"), queryset=lead_choices, field_name="assignments__lead"
    )
    open = django_filters.ChoiceFilter(label=_("Not closed out"), choices=YES_NO, method="filter_open")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")
    on_time = django_filters.ChoiceFilter(label=_("Handled on time"), choices=YES_NO, method="filter_on_time")
    supervised = django_filters.ChoiceFilter(label=_("Under supervision"), choices=YES_NO, method="filter_supervised")
    received_from = BoundedDateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte", widget=DateField
    )
    received_to = BoundedDateFilter(
        label=_("Received until"), field_name="received_on", lookup_expr="lte", widget=DateField
    )

    class Meta:
        model = Petition
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        by_number = number_tail_q(normalize_search(value), "id_number", "phone")
        if by_number is not None:  # a petitioner's ID number or phone, whole or its last digits (never shown unmasked)
            people = Petitioner.objects.filter(by_number).values("petition")
        else:
            people = Petitioner.objects.filter(name__contains=value).values("petition")
        return queryset.filter(contains("number", value) | Q(pk__in=people))

    def filter_form(self, queryset, name, value):
        return queryset.of_form(value)

    def filter_open(self, queryset, name, value):
        closed = Q(status__in=Petition.FINISHED)  # closed out or not accepted
        return queryset.exclude(closed) if value == "yes" else queryset.filter(closed)

    def filter_on_time(self, queryset, name, value):
        """As the figures count it: replied by the due date; or late (replied after it, or unanswered past it)."""
        if value == "yes":
            return queryset.filter(figures.on_time_q())
        return queryset.filter(figures.late_q(timezone.localdate()))

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.overdue()
        return queryset.exclude(pk__in=Petition.objects.overdue().values("pk"))

    def filter_supervised(self, queryset, name, value):
        if value == "yes":
            return queryset.supervised()
        return queryset.exclude(pk__in=Petition.objects.supervised().values("pk"))
