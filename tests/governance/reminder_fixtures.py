"""Helpers shared by the reminder and notification tests: assignments on any case, and what the scan made."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from governance import services
from governance.models import Notification, Reminder, ResponsibilityAssignment, Township
from tests.factories import HouseholdFactory

SHANGHAI = timezone.get_fixed_timezone(8 * 60)
_case_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware moment on ``day`` in the township's time zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def make_assignment(world, *, deadline: dt.date, lead=None, team=(), village=None, case=None,
                    township: Township | None = None, label: str | None = None) -> ResponsibilityAssignment:
    """An assignment on a household (any model instance will do as the case)."""
    village = village or world.village_a
    case = case or HouseholdFactory(grid=world.grid_a1 if village == world.village_a else world.grid_b1)
    return services.assignment_create(
        case=case, township=township or world.township, village=village,
        lead=lead or world.users["township_cadre"], responsible_unit="镇综治中心", deadline=deadline,
        team=list(team), label=label or f"JF-2026-{next(_case_numbers):04d} 邻里纠纷", url=f"/disputes/{case.pk}/",
    )


def stages_of(assignment) -> list[tuple[str, dt.date]]:
    rows = Reminder.objects.filter(assignment=assignment).order_by("created_at", "id")
    return list(rows.values_list("stage", "deadline"))


def inbox_stages(user) -> list[str]:
    rows = Notification.objects.inbox_of(user).order_by("created_at", "id")
    return list(rows.values_list("reminder__stage", flat=True))
