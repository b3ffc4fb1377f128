"""Who sees which hazard: the township (staff, supervisors), villages (cadres), grids (grid workers) and, for a
household head (联户长), the hazards they reported and those of the households linked to them; and anyone who answers
for a hazard's 包案, wherever it is (casework.scoping.CaseQuerySet)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from casework.rectification import OPEN_STATUSES, RectificationStatus
from casework.scoping import CaseQuerySet
from core.scoping import ScopedQuerySet, ScopeKind


class HazardQuerySet(CaseQuerySet):
    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = "grid"

    def case_scope_q(self, scope):
        if scope.kind == ScopeKind.HOUSEHOLDS:
            return Q(reporting_head=scope.household_head_id) | Q(household__household_head=scope.household_head_id)
        return self.scope_q(scope)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """逾期未整改: being rectified past the deadline."""
        return self.filter(status=RectificationStatus.RECTIFYING, deadline__lt=today or timezone.localdate())


class HazardChildQuerySet(ScopedQuerySet):
    scope_township_path = "case__township"
    scope_village_path = "case__village"
    scope_grid_path = "case__grid"

    def visible_to(self, user):
        from .models import Hazard

        return self.filter(case__in=Hazard.objects.visible_to(user))
