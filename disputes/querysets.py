"""Who sees which dispute (scoping.py does the common part; the exceptions are written here).

- Township staff and supervisors: the township. 包村干部 and village cadres: their villages, at every level,
  so a village cadre keeps seeing (read-only) a dispute of their village that went up to the township or county.
  Grid workers: their grids.
- Household heads (联户长): the disputes they reported, and the disputes whose parties live in the households
  linked to them. Not the rest of their grid: a dispute is more private than a grid's list of households.
- Anyone who is the lead official (包案领导) or a team member of a dispute's responsibility assignment reaches
  that dispute wherever it is (as ``AssignmentQuerySet`` does).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from casework.scoping import CaseQuerySet
from core.scoping import ScopedQuerySet, ScopeKind


class DisputeQuerySet(CaseQuerySet):
    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = "grid"

    def case_scope_q(self, scope):
        if scope.kind == ScopeKind.HOUSEHOLDS:
            from .models import Party

            return Q(reporting_head=scope.household_head_id) | Q(
                pk__in=Party.objects.filter(resident__household__household_head=scope.household_head_id).values(
                    "dispute"
                )
            )
        return self.scope_q(scope)

    def _assignments(self):
        from casework.models import ResponsibilityAssignment

        return ResponsibilityAssignment.objects.of_cases(self.model)

    def with_overdue(self):
        """``is_overdue``: an open 包案 assignment whose deadline has passed."""
        overdue = self._assignments().filter(case_id=OuterRef("pk"), is_open=True, deadline__lt=timezone.localdate())
        return self.annotate(is_overdue=Exists(overdue))

    def overdue(self):
        return self.filter(
            Exists(self._assignments().filter(case_id=OuterRef("pk"), is_open=True,
                                              deadline__lt=timezone.localdate()))
        )

    def supervised(self):
        return self.filter(Exists(self._assignments().filter(case_id=OuterRef("pk")).exclude(supervision_level="")))

    def open(self):
        return self.exclude(status="closed")

    def for_household(self, household):
        """The disputes a household is part of: a party lives there, or it came from a visit to it."""
        from households.models import Visit

        from .models import Party

        return self.filter(
            Q(pk__in=Party.objects.filter(resident__household=household).values("dispute"))
            | Q(visit__in=Visit.households.through.objects.filter(household=household).values("visit"))
        )


class PartyQuerySet(ScopedQuerySet):
    scope_township_path = "dispute__township"
    scope_village_path = "dispute__village"
    scope_grid_path = "dispute__grid"

    def visible_to(self, user):
        from .models import Dispute

        return self.filter(dispute__in=Dispute.objects.visible_to(user))
