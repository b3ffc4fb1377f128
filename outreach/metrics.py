"""What 考核 reads from 宣传 and 培训 (the assessment app codes against exactly this interface).

- ``households_reached(head_ids, start, end)``: for each household head, the distinct households linked to them that
  were reached with policy publicity in [start, end] — a policy explained on a visit to the household, or a publicity
  event that lists the household — whoever explained it.
- ``training_hours(kind, ids, start, end)``: for each household head (kind "head") or user (kind "user"), the hours
  of the training sessions held in [start, end] that they attended.

Every id asked for is in the answer (0 when nothing counts). Not scoped: the caller has chosen the subjects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Sum

from households.models import Household

from .figures import reached_q
from .models import TrainingSession

KINDS = ("head", "user")


def households_reached(head_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, int]:
    ids = list(head_ids)
    found = dict(Household.objects.filter(household_head__in=ids).filter(reached_q(start=start, end=end))
                 .order_by().values_list("household_head").annotate(n=Count("pk")))
    return {pk: found.get(pk, 0) for pk in ids}


def training_hours(kind: str, ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, Decimal]:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    ids = list(ids)
    field = TrainingSession.heads_attended if kind == "head" else TrainingSession.users_attended
    through = field.through
    column = "householdhead" if kind == "head" else "user"
    found = dict(through.objects.filter(**{f"{column}__in": ids}, trainingsession__held_on__range=(start, end))
                 .order_by().values_list(column).annotate(h=Sum("trainingsession__hours")))
    return {pk: found.get(pk) or Decimal("0") for pk in ids}
