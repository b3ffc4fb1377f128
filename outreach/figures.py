"""The reach of 宣传: the distinct households that had a policy explained, on a visit (to the visit's households) or
at a publicity event (the households it lists), in a period. One filter (``reached_q``) serves the figure, the list
behind each number and ``metrics.households_reached``: a number always equals its list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from governance.models import Village
from households.models import Household, Visit

from .models import Policy, PolicyExplained, PublicityEvent


def reached_q(*, start: dt.date, end: dt.date, policy: int | None = None) -> Q:
    """Households reached with publicity in [start, end] (of one policy when given)."""
    explained = PolicyExplained.objects.filter(visit__visited_on__range=(start, end))
    events = PublicityEvent.objects.filter(held_on__range=(start, end))
    if policy is not None:
        explained = explained.filter(policy=policy)
        events = events.filter(policies=policy)
    by_visit = Visit.households.through.objects.filter(visit__in=explained.values("visit")).values("household")
    by_event = PublicityEvent.households.through.objects.filter(
        publicityevent__in=events.values("pk")).values("household")
    return Q(pk__in=by_visit) | Q(pk__in=by_event)


def reached_households(user, *, start: dt.date, end: dt.date, policy: int | None = None, village: int | None = None):
    households = Household.objects.visible_to(user).filter(reached_q(start=start, end=end, policy=policy))
    if village is not None:
        households = households.filter(grid__village=village)
    return households


def reach_by_village(user, *, start: dt.date, end: dt.date) -> dict:
    """{"policies": [...], "villages": [...], "counts": {(policy_id, village_id): n}, "totals": {policy_id: n},
    "households": {village_id: n}}: one query a policy (a township keeps about ten)."""
    policies = list(Policy.objects.filter(is_active=True))
    visible = Household.objects.visible_to(user)
    households = dict(visible.values_list("grid__village").annotate(n=Count("pk")).order_by())
    villages = list(Village.objects.filter(pk__in=households).order_by("name"))
    counts, totals = {}, {}
    for policy in policies:
        rows = (visible.filter(reached_q(start=start, end=end, policy=policy.pk)).order_by()
                .values_list("grid__village").annotate(n=Count("pk")))
        for village_id, n in rows:
            counts[(policy.pk, village_id)] = n
        totals[policy.pk] = sum(n for _v, n in rows)
    return {"policies": policies, "villages": villages, "counts": counts, "totals": totals, "households": households}
