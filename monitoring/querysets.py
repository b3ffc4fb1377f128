"""Who sees which monitoring case: the scope (core/scoping.py) and the cases a user answers for (包案), as for any
case type. A household head (联户长) reaches the cases of the households linked to them, but the pages show them
only that the household is monitored and when to visit (``MonitoringCase.details_visible_to``)."""

from __future__ import annotations

from django.db.models import Q

from casework.scoping import CaseQuerySet
from core.scoping import ScopeKind


class MonitoringCaseQuerySet(CaseQuerySet):
    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = "grid"

    def case_scope_q(self, scope):
        if scope.kind == ScopeKind.HOUSEHOLDS:
            return Q(household__household_head=scope.household_head_id)
        return self.scope_q(scope)

    def open(self):
        return self.exclude(status__in=self.model.CLOSED_STATUSES)

    def monitored(self):
        return self.filter(status__in=self.model.MONITORED_STATUSES)
