"""The deadline reminder scan: stages by working day, each (assignment, stage, deadline) once, catch-up after
downtime, extensions, closed cases, recipients and channels."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from governance import reminders, services
from governance.models import Notification, NotificationPreference, Reminder, User
from governance.workdays import WorkCalendar
from tests.factories import UserFactory
from tests.governance.reminder_fixtures import at, inbox_stages, make_assignment, stages_of

# Early December 2026 has no holidays: Friday 4th, weekend 5-6, Wednesday 9th, weekend 12-13.
WED = dt.date(2026, 12, 9)


def scan_on(day: dt.date, hour: int = 9, minute: int = 0) -> reminders.ScanResult:
    with time_machine.travel(at(day, hour, minute), tick=False):
        return reminders.scan()


@pytest.mark.django_db
def test_thresholds_count_working_days_and_skip_the_weekend():
    calendar = WorkCalendar.load()
    limits = reminders.thresholds_for(dt.date(2026, 12, 4), calendar)  # a Friday
    # At most 1 working day left: up to Monday; at most 3: up to Wednesday.
    assert dict(limits.due_soon) == {"due_1": dt.date(2026, 12, 7), "due_3": dt.date(2026, 12, 9)}
    # A deadline on Tuesday 1st is 3 working days past on Friday (Wednesday, Thursday, Friday).
    assert limits.escalate_by == dt.date(2026, 12, 1)
    assert limits.stage_for(dt.date(2026, 12, 6)) == "due_1"  # a Sunday deadline: no working day left
    assert limits.stage_for(dt.date(2026, 12, 10)) is None
    assert limits.stage_for(dt.date(2026, 12, 2)) == "overdue"


def test_time_travel_through_every_stage_creates_each_reminder_once(world):
    cadre, worker = world.users["township_cadre"], world.users["grid_worker"]
    assignment = make_assignment(world, deadline=WED, lead=cadre, team=[worker])
    seen = {}
    for offset in range(-10, 8):
        day = WED + dt.timedelta(days=offset)
        for hour, minute in ((8, 0), (8, 15), (17, 45)):
            for stage, n in scan_on(day, hour, minute).by_stage.items():
                seen.setdefault(stage, []).append((day, n))
    assert seen == {
        "due_3": [(dt.date(2026, 12, 4), 1)],
        "due_1": [(dt.date(2026, 12, 8), 1)],
        "due_today": [(WED, 1)],
        "overdue": [(dt.date(2026, 12, 10), 1)],
        "escalated": [(dt.date(2026, 12, 14), 1)],
    }
    assert [s for s, _ in stages_of(assignment)] == ["due_3", "due_1", "due_today", "overdue", "escalated"]
    assert inbox_stages(cadre) == inbox_stages(worker) == ["due_3", "due_1", "due_today", "overdue", "escalated"]
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]
