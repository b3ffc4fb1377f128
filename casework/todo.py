"""casework's lines of the home page's 待办 (core/todo.py): the 包案 I answer for that are overdue or due this
week, what awaits my approval, the 排查 returns due. Each count is the assignment list's own filter."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.todo import TodoLine
from governance.models import User

from . import figures
from .notices import approvals_for


def _assignments(**params) -> str:
    return reverse("dashboards:assignments") + "?" + urlencode(params)


def lines(user, today: dt.date) -> list[TodoLine]:
    if user.role == User.Role.HOUSEHOLD_HEAD and not user.is_superuser:
        return []  # a household head answers for no 包案; their 待办 is their households
    mine = figures.answers_q(user)
    counts = figures.assignments_for(user).aggregate(
        overdue=Count("pk", filter=mine & figures.overdue_q(today)),
        due_week=Count("pk", filter=mine & figures.due_week_q(today)),
        returns=Count("pk", filter=figures.returns_q() & figures.due_soon_q(today)),
    )
    approvals = len(approvals_for(user))
    return [
        TodoLine("overdue_mine", _("Overdue cases I answer for"), counts["overdue"],
                 _assignments(state="overdue", mine="yes"), tone="danger", order=10),
        TodoLine("approvals", _("Awaiting my approval"), approvals, reverse("inbox:approvals"), tone="warning",
                 order=15),
        TodoLine("due_week_mine", _("Cases I answer for due within 7 days"), counts["due_week"],
                 _assignments(state="due_week", mine="yes"), tone="warning", order=20),
        TodoLine("returns_due", _("Screening returns due"), counts["returns"],
                 _assignments(case="return", state="due_soon"), order=30),
    ]


