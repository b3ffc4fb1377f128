"""Figures of responsibility assignments (包案) for the dashboards: scoped SQL aggregates, one query each.

Every function starts from ``ResponsibilityAssignment.objects.visible_to(user)`` (the user's part of the township,
plus the cases they lead or work on) and takes an optional village (an id or an object). Definitions:

- overdue: open and past its deadline (``deadline < today``), as the reminder scan's 逾期预警;
- under supervision (挂牌督办): open, with a yellow or red card;
- met on time: closed on or before its deadline (the day it was closed, in the township's time);
- due: past its deadline, or closed. For 排查 returns (whose assignment closes when the return is submitted), the
  returns due and those in on time give 排查任务按时上报率.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import ResponsibilityAssignment, Return


def overdue_q(today: dt.date) -> Q:
    return Q(is_open=True, deadline__lt=today)


def on_time_q() -> Q:
    return Q(is_open=False, closed_at__date__lte=F("deadline"))


def due_q(today: dt.date) -> Q:
    return Q(deadline__lt=today) | Q(is_open=False)


def returns_q() -> Q:
    """The assignments of 排查 returns, by the type's name (a join: no lookup of its id before the figures)."""
    return Q(case_type__app_label=Return._meta.app_label, case_type__model=Return._meta.model_name)


def supervised_q() -> Q:
    return Q(is_open=True) & ~Q(supervision_level=ResponsibilityAssignment.SupervisionLevel.NONE)


def assignments_for(user, *, village=None):
    """The assignments ``user`` may see, once each (``visible_to`` ORs in a join on the team), as a plain queryset
    that aggregates and groups cleanly."""
    visible = ResponsibilityAssignment.objects.visible_to(user).values("pk")
    qs = ResponsibilityAssignment.objects.filter(pk__in=visible)
    if village is not None:
        qs = qs.filter(village=village)
    return qs


def summary(user, *, village=None, today: dt.date | None = None) -> dict:
    """One query: open, overdue, supervised; and the 排查 returns due and in on time (按时上报率, percent or None)."""
    today = today or timezone.localdate()
    returns = returns_q()
    counts = assignments_for(user, village=village).aggregate(
        open=Count("pk", filter=Q(is_open=True)),
        overdue=Count("pk", filter=overdue_q(today)),
        supervised=Count("pk", filter=supervised_q()),
        returns_due=Count("pk", filter=returns & due_q(today)),
        returns_on_time=Count("pk", filter=returns & on_time_q()),
    )
    due = counts["returns_due"]
    counts["returns_rate"] = round(counts["returns_on_time"] * 100 / due, 1) if due else None
    return counts


def overdue_by_village(user, *, village=None, today: dt.date | None = None) -> list[dict]:
    """One query: per village with overdue assignments, village_id, village_name and overdue (a village of None
    gathers the cases that belong to no village)."""
    today = today or timezone.localdate()
    return list(
        assignments_for(user, village=village).filter(overdue_q(today)).order_by()
        .values("village_id", village_name=F("village__name")).annotate(overdue=Count("pk"))
        .order_by("-overdue", "village_name")
    )


def overdue_board(user, *, village=None, today: dt.date | None = None, limit: int = 20) -> list[dict]:
    """One query: the ``limit`` longest overdue assignments, each with its case, village, lead official, unit,
    deadline, days overdue (calendar days) and supervision level."""
    today = today or timezone.localdate()
    rows = (
        assignments_for(user, village=village).filter(overdue_q(today)).select_related("lead", "village", "case_type")
        .order_by("deadline", "pk")[:limit]
    )
    return [
        {
            "pk": a.pk, "case_label": a.case_label, "case_url": a.case_url, "case_model": a.case_type.model,
            "village_name": a.village.name if a.village_id else "", "lead": str(a.lead),
            "responsible_unit": a.responsible_unit, "deadline": a.deadline, "days_overdue": (today - a.deadline).days,
            "supervision_level": a.supervision_level,
        }
        for a in rows
    ]


def count_open_deadlines(sender, *, first_year: int, last_year: int | None = None, **kwargs) -> int:
    """Answers ``governance.workdays.open_deadlines_counted``: the open 包案 deadlines in those years (the working-day
    calendar warns about a provisional year that deadlines reach, and says how many a confirmed year moves)."""
    found = ResponsibilityAssignment.objects.open().filter(deadline__year__gte=first_year)
    if last_year is not None:
        found = found.filter(deadline__year__lte=last_year)
    return found.count()
