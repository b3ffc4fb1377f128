"""Both clocks of a hazard are its 包案 assignment's deadline, so the existing reminder scan chases them: the 整改
deadline, then, once completion is reported, the re-check N working days later."""

import datetime as dt

import time_machine

from casework import reminders
from casework.models import Reminder
from casework.services import assignment_for
from hazards import services
from hazards.models import Hazard
from tests.casework.reminder_fixtures import at
from tests.hazards.factories import HazardFactory, advance


def scan_on(day: dt.date):
    with time_machine.travel(at(day, 9, 0), tick=False):
        return reminders.scan()


def test_the_scan_warns_on_the_rectification_deadline_then_on_the_recheck(world, today, settings):
    staff, worker = world.users["staff"], world.users["grid_worker"]
    hazard = advance(HazardFactory(grid=world.grid_a1), Hazard.Status.RECTIFYING, worker, lead=staff)
    assignment = assignment_for(hazard)
    scan_on(hazard.deadline + dt.timedelta(days=1))
    assert Reminder.objects.filter(assignment=assignment, stage="overdue", deadline=hazard.deadline).exists()

    settings.RECTIFICATION_RECHECK_WORKING_DAYS = 2
    services.hazard_report_completion(hazard=hazard, by=worker, done_on=today, measures="已整改")
    hazard.refresh_from_db()
    assert hazard.recheck_due_on == dt.date(2026, 11, 24)  # Friday 20th + 2 working days
    scan_on(dt.date(2026, 11, 25))
    assert Reminder.objects.filter(assignment=assignment, stage="overdue", deadline=hazard.recheck_due_on).exists()

    services.hazard_recheck(hazard=hazard, by=staff, on=today, passed=True)
    before = Reminder.objects.count()
    scan_on(dt.date(2026, 12, 10))
    assert Reminder.objects.count() == before  # passed: nothing chased any more
