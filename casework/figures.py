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

from governance.models import COUNTY_ROLES

from .models import ResponsibilityAssignment, Return


def overdue_q(today: dt.date) -> Q:
    return Q(is_open=True, deadline__lt=today)


DUE_WEEK_DAYS = 7


def due_week_q(today: dt.date) -> Q:
    """Open and due from today to a week ahead (the home page's 本周到期)."""
    return Q(is_open=True, deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_WEEK_DAYS))


def due_soon_q(today: dt.date) -> Q:
    """Open and due within a week, or already past its deadline."""
    return Q(is_open=True, deadline__lte=today + dt.timedelta(days=DUE_WEEK_DAYS))


def answers_q(user) -> Q:
    """The assignments ``user`` answers for: as lead official or in the team."""
    team = ResponsibilityAssignment.team.through.objects.filter(user=user).values("responsibilityassignment_id")
    return Q(lead=user) | Q(pk__in=team)


def on_time_q() -> Q:
    return Q(is_open=False, closed_at__date__lte=F("deadline"))


def due_q(today: dt.date) -> Q:
    return Q(deadline__lt=today) | Q(is_open=False)


def returns_q() -> Q:
    """The assignments of 排查 returns, by the type's name (a subquery of the content types, run once: no lookup of
    its id before the figures, and no join to the content types for every assignment counted)."""
    from django.contrib.contenttypes.models import ContentType

    return Q(case_type__in=ContentType.objects.filter(app_label=Return._meta.app_label,
                                                      model=Return._meta.model_name).values("pk"))


def county_level_q() -> Q:
    """Cases of the county (难事不出县): escalated to the county or registered there, or led by a county user. Their
    overdue escalation reaches the county's leaders (casework/reminders.py)."""
    return Q(at_county=True) | Q(lead__role__in=COUNTY_ROLES)


def supervised_q() -> Q:
    return Q(is_open=True) & ~Q(supervision_level=ResponsibilityAssignment.SupervisionLevel.NONE)


def assignments_for(user, *, village=None, township=None):
    """The assignments ``user`` may see, once each (``visible_to`` ORs in a join on the team), as a plain queryset
    that aggregates and groups cleanly."""
    visible = ResponsibilityAssignment.objects.visible_to(user).values("pk")
    qs = ResponsibilityAssignment.objects.filter(pk__in=visible)
    if village is not None:
        qs = qs.filter(village=village)
    elif township is not None:
        qs = qs.filter(township=township)
    return qs


def summary(user, *, village=None, township=None, today: dt.date | None = None) -> dict:
    """One query: open, overdue, supervised; and the 排查 returns due and in on time (按时上报率, percent or None)."""
    today = today or timezone.localdate()
    returns = returns_q()
    counts = assignments_for(user, village=village, township=township).aggregate(
        open=Count("pk", filter=Q(is_open=True)),
        overdue=Count("pk", filter=overdue_q(today)),
        supervised=Count("pk", filter=supervised_q()),
        returns_due=Count("pk", filter=returns & due_q(today)),
        returns_on_time=Count("pk", filter=returns & on_time_q()),
    )
    due = counts["returns_due"]
    counts["returns_rate"] = round(counts["returns_on_time"] * 100 / due, 1) if due else None
    return counts


def overdue_by_village(user, *, village=None, township=None, today: dt.date | None = None) -> list[dict]:
    """One query: per village with overdue assignments, village_id, village_name and overdue (a village of None
    gathers the cases that belong to no village)."""
    today = today or timezone.localdate()
    return list(
        assignments_for(user, village=village, township=township).filter(overdue_q(today)).order_by()
        .values("village_id", village_name=F("village__name")).annotate(overdue=Count("pk"))
        .order_by("-overdue", "village_name")
    )


def overdue_by_township(user, *, today: dt.date | None = None) -> list[dict]:
    """One query: per township with overdue assignments (a county-wide view), township_id, township_name and
    overdue."""
    today = today or timezone.localdate()
    return list(
        assignments_for(user).filter(overdue_q(today)).order_by()
        .values("township_id", township_name=F("township__name")).annotate(overdue=Count("pk"))
        .order_by("-overdue", "township_name")
    )


def overdue_board(user, *, village=None, township=None, county_level: bool = False, today: dt.date | None = None,
                  limit: int = 20) -> list[dict]:
    """One query: the ``limit`` longest overdue assignments (``county_level``: the county's cases only), each with
    its case, township, village, lead official, unit, deadline, days overdue (calendar days) and supervision level."""
    today = today or timezone.localdate()
    rows = assignments_for(user, village=village, township=township).filter(overdue_q(today))
    if county_level:
        rows = rows.filter(county_level_q())
    rows = rows.select_related("lead", "township", "village", "case_type").order_by("deadline", "pk")[:limit]
    return [
        {
            "pk": a.pk, "case_label": a.case_label, "case_url": a.case_url, "case_model": a.case_type.model,
            "township_name": a.township.name, "village_name": a.village.name if a.village_id else "",
            "lead": str(a.lead),
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
