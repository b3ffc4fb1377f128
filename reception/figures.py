"""Figures of the reception rota for the dashboard (dashboards composes them): this week's sessions, missed
sessions and overdue referrals, each with the link to the list that shows the same rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.models import ResponsibilityAssignment

from .models import Reception, Session


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today - dt.timedelta(days=today.weekday())
    return first, first + dt.timedelta(days=6)


def overdue_referrals(user, today: dt.date):
    return ResponsibilityAssignment.objects.visible_to(user).open().filter(
        case_type=ContentType.objects.get_for_model(Reception), deadline__lt=today)


def overdue_receptions(user, today: dt.date):
    """The walk-ins the register lists with ?overdue=1: in the user's register and referred past their deadline."""
    return Reception.objects.visible_to(user).filter(pk__in=overdue_referrals(user, today).values("case_id"))


def awaiting_outcome(user, today: dt.date):
    """Walk-ins still without an outcome after the next working day of their session: a session before the last
    working day before today (a Friday's walk-in is late from Tuesday; the working-day calendar decides)."""
    from governance.workdays import add_working_days

    return Reception.objects.visible_to(user).filter(outcome="", session__date__lt=add_working_days(today, -1))


def figures(user, today: dt.date) -> dict[str, dict]:
    first, last = week_bounds(today)
    sessions = Session.objects.visible_to(user)
    rota = reverse("reception:rota")
    return {
        "week_sessions": {"count": sessions.filter(date__range=(first, last)).count(), "url": f"{rota}?weeks=1"},
        "missed_sessions": {"count": sessions.missed().count(), "url": f"{rota}?missed=all"},
        "overdue_referrals": {"count": overdue_receptions(user, today).count(), "url": reverse("reception:register")
                              + "?overdue=1"},
        "awaiting_outcome": {"count": awaiting_outcome(user, today).count(),
                             "url": reverse("reception:register") + "?no_outcome=1"},
    }
