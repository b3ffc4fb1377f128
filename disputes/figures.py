"""Figures of disputes for the dashboards: scoped SQL aggregates (one query each), never Python loops over rows.

Every function takes the user (the figures start from ``Dispute.objects.visible_to(user)``) and an optional
period of registration dates. Definitions:

- 调解成功率 (mediation success rate) = disputes whose mediation succeeded / disputes whose mediation ended
  (succeeded or failed). A dispute still being mediated counts in neither.
- Share resolved at village level (小事不出村) = disputes whose mediation succeeded while the dispute was at
  village level / disputes whose mediation succeeded.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast, NullIf, TruncMonth

from .models import Dispute

SUCCEEDED = Q(outcome=Dispute.Outcome.SUCCESS)
ENDED = Q(outcome__in=[Dispute.Outcome.SUCCESS, Dispute.Outcome.FAILURE])
VILLAGE_RESOLVED = SUCCEEDED & Q(resolved_level=Dispute.Level.VILLAGE)


def disputes_for(user, start: dt.date | None = None, end: dt.date | None = None):
    qs = Dispute.objects.visible_to(user)
    if start:
        qs = qs.filter(registered_on__gte=start)
    if end:
        qs = qs.filter(registered_on__lte=end)
    return qs


def _ratio(numerator: str, denominator: str):
    return Cast(F(numerator), FloatField()) / NullIf(Cast(F(denominator), FloatField()), 0.0)


def _rates():
    return {
        "total": Count("pk"),
        "ended": Count("pk", filter=ENDED),
        "succeeded": Count("pk", filter=SUCCEEDED),
        "village_resolved": Count("pk", filter=VILLAGE_RESOLVED),
        "overdue": Count("pk", filter=Q(pk__in=Dispute.objects.overdue().values("pk"))),
    }


def _with_ratios(qs):
    return qs.annotate(
        success_rate=_ratio("succeeded", "ended"), village_share=_ratio("village_resolved", "succeeded")
    )


def summary(user, start=None, end=None) -> dict:
    """Totals of the period: total, open, ended, succeeded, village_resolved, overdue, success_rate,
    village_share (the rates are None when there is nothing to divide by)."""
    qs = disputes_for(user, start, end)
    row = qs.aggregate(**_rates(), open=Count("pk", filter=~Q(status=Dispute.Status.CLOSED)))
    row["success_rate"] = row["succeeded"] / row["ended"] if row["ended"] else None
    row["village_share"] = row["village_resolved"] / row["succeeded"] if row["succeeded"] else None
    return row


def rates_by_village(user, start=None, end=None) -> list[dict]:
    """Per village: village_id, village name, total, ended, succeeded, village_resolved, overdue, success_rate,
    village_share."""
    qs = disputes_for(user, start, end).order_by().values("village_id", name=F("village__name"))
    return list(_with_ratios(qs.annotate(**_rates())).order_by("name"))


def rates_by_month(user, start=None, end=None) -> list[dict]:
    """Per month of registration: month (a date, the 1st), total, ended, succeeded, …, success_rate,
    village_share."""
    qs = disputes_for(user, start, end).order_by().annotate(month=TruncMonth("registered_on")).values("month")
    return list(_with_ratios(qs.annotate(**_rates())).order_by("month"))


def _count_by(user, field: str, start, end, choices=None) -> list[dict]:
    rows = disputes_for(user, start, end).order_by().values(field).annotate(count=Count("pk")).order_by(field)
    labels = dict(choices or ())
    return [{"value": r[field], "label": str(labels.get(r[field], r[field])), "count": r["count"]} for r in rows]


def counts_by_kind(user, start=None, end=None) -> list[dict]:
    return _count_by(user, "kind", start, end, Dispute.Kind.choices)


def counts_by_level(user, start=None, end=None) -> list[dict]:
    return _count_by(user, "level", start, end, Dispute.Level.choices)


def counts_by_status(user, start=None, end=None) -> list[dict]:
    return _count_by(user, "status", start, end, Dispute.Status.choices)


def counts_by_village(user, start=None, end=None) -> list[dict]:
    rows = (
        disputes_for(user, start, end).order_by().values("village_id", name=F("village__name"))
        .annotate(count=Count("pk")).order_by("name")
    )
    return list(rows)


def counts_by_month(user, start=None, end=None) -> list[dict]:
    rows = (
        disputes_for(user, start, end).order_by().annotate(month=TruncMonth("registered_on")).values("month")
        .annotate(count=Count("pk")).order_by("month")
    )
    return list(rows)


# --- For the dashboards -----------------------------------------------------------------------------------
# The dashboards filter by an area (a village or a grid) as well as a period, and ask for several figures at once;
# these keep each group of figures to one query. "Now" figures (open) ignore the period; flow figures (registered,
# mediation results) count the disputes registered in it.


def _in_area(qs, village=None, grid=None, township=None):
    if grid is not None:
        return qs.filter(grid=grid)
    if village is not None:
        return qs.filter(village=village)
    if township is not None:
        return qs.filter(township=township)
    return qs


def _in_period(start=None, end=None) -> Q:
    q = Q()
    if start:
        q &= Q(registered_on__gte=start)
    if end:
        q &= Q(registered_on__lte=end)
    return q


def dashboard_summary(user, *, start=None, end=None, village=None, grid=None, township=None) -> dict:
    """One query: open (not closed, whatever the period), and of the disputes registered in the period: total,
    ended, succeeded, success_rate (None when no mediation ended)."""
    period = _in_period(start, end)
    row = _in_area(Dispute.objects.visible_to(user), village, grid, township).aggregate(
        open=Count("pk", filter=~Q(status=Dispute.Status.CLOSED)),
        total=Count("pk", filter=period) if period else Count("pk"),
        ended=Count("pk", filter=period & ENDED),
        succeeded=Count("pk", filter=period & SUCCEEDED),
    )
    row["success_rate"] = row["succeeded"] / row["ended"] if row["ended"] else None
    return row


def dashboard_breakdown(user, *, start=None, end=None, village=None, grid=None, township=None) -> list[dict]:
    """One query: the disputes registered in the period counted per (kind, level, month); the dashboards add these
    up by type, by handling level and by month (at most 9 × 3 rows a month, whatever the number of disputes)."""
    qs = _in_area(disputes_for(user, start, end), village, grid, township)
    return list(
        qs.order_by().annotate(month=TruncMonth("registered_on")).values("kind", "level", "month")
        .annotate(count=Count("pk")).order_by("month", "kind", "level")
    )


def overdue_by_grid(user, *, village=None, grid=None) -> list[dict]:
    """One query: per grid with overdue disputes (an open 包案 past its deadline, as the list's ``?overdue=yes``):
    grid_id, grid name, village name, overdue."""
    qs = _in_area(Dispute.objects.visible_to(user), village, grid).filter(pk__in=Dispute.objects.overdue().values("pk"))
    return list(
        qs.order_by().values("grid_id", grid_name=F("grid__name"), village_name=F("grid__village__name"))
        .annotate(overdue=Count("pk")).order_by("village_name", "grid_name")
    )
