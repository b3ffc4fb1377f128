"""Each household's last visit, kept on its row (``Household.last_visited_on``).

The coverage figures (visited in 30 / 90 days, past the care cadence) read it with the household instead of
aggregating a year of visits on every view: at county scale the aggregate was most of the dashboard's time
(docs/benchmarks.md). It is kept wherever a visit meets a household: linking a visit to households (the visit form,
the factories, the admin) or unlinking it, a visit's date changed in the admin, and the bulk loads of the demo data,
which call ``refresh_last_visits`` once. ``manage.py check_summaries --fix`` rewrites what drifted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max, OuterRef, Subquery

CHUNK = 5000


def refresh_last_visits(household_ids: Iterable[int] | None = None) -> int:
    """Recompute the last visit of these households (None: every household) from their visits."""
    from .models import Household, Visit

    through = Visit.households.through
    last = Subquery(through.objects.filter(household=OuterRef("pk")).order_by().values("household")
                    .annotate(last=Max("visit__visited_on")).values("last")[:1])
    if household_ids is None:
        return Household._base_manager.update(last_visited_on=last)
    ids, changed = sorted(set(household_ids)), 0
    for start in range(0, len(ids), CHUNK):  # a bounded number of parameters a statement
        changed += Household._base_manager.filter(pk__in=ids[start:start + CHUNK]).update(last_visited_on=last)
    return changed


def drifted() -> list[int]:
    """Households whose kept last visit differs from their visits'."""
    from .models import Household, Visit

    through = Visit.households.through
    last = Subquery(through.objects.filter(household=OuterRef("pk")).order_by().values("household")
                    .annotate(last=Max("visit__visited_on")).values("last")[:1])
    rows = Household._base_manager.annotate(actual=last).values_list("pk", "last_visited_on", "actual")
    return [pk for pk, kept, actual in rows if kept != actual]


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Visit.households changed: the households on either side get their last visit again."""
    if action == "pre_clear":
        instance._last_visit_households = (
            [instance.pk] if reverse else list(instance.households.values_list("pk", flat=True)))
        return
    if action == "post_clear":
        refresh_last_visits(getattr(instance, "_last_visit_households", []))
        return
    if action not in ("post_add", "post_remove"):
        return
    if reverse:  # household.visits.add(...): the instance is the household
        refresh_last_visits([instance.pk])
    else:
        refresh_last_visits(pk_set or [])


def _visit_saved(sender, instance, created, **kwargs) -> None:
    """A visit's date changed (in the admin): its households' last visit may have moved."""
    if not created:
        refresh_last_visits(instance.households.values_list("pk", flat=True))


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_save

    from .models import Visit

    m2m_changed.connect(_links_changed, sender=Visit.households.through, dispatch_uid="households-last-visit-links")
    post_save.connect(_visit_saved, sender=Visit, dispatch_uid="households-last-visit-date")
