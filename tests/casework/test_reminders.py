"""The deadline reminder scan: stages by working day, each (assignment, stage, deadline) once, catch-up after
downtime, extensions, closed cases, recipients and channels."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from casework import reminders, services
from casework.models import Notification, NotificationPreference, Reminder
from governance.models import User
from governance.workdays import WorkCalendar
from tests.casework.reminder_fixtures import at, inbox_stages, make_assignment, stages_of
from tests.factories import UserFactory

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


def test_scan_around_national_day_counts_the_holiday_week_as_no_working_days(world):
    # 2026: 1–7 October off (Saturday 10th is a make-up workday). Deadline Friday 9 October.
    assignment = make_assignment(world, deadline=dt.date(2026, 10, 9))
    for day in (dt.date(2026, 9, 28), dt.date(2026, 9, 29), dt.date(2026, 9, 30), dt.date(2026, 10, 7),
                dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 12), dt.date(2026, 10, 14)):
        scan_on(day)
    created = dict(Reminder.objects.filter(assignment=assignment).values_list("stage", "created_at__date"))
    assert created == {
        "due_3": dt.date(2026, 9, 29),  # 30 Sep, 8 Oct, 9 Oct are the three working days left
        "due_1": dt.date(2026, 10, 8),
        "due_today": dt.date(2026, 10, 9),
        "overdue": dt.date(2026, 10, 12),
        "escalated": dt.date(2026, 10, 14),  # 10 (make-up), 12, 13 October past the deadline
    }


def test_scanning_again_the_same_day_creates_nothing(world):
    make_assignment(world, deadline=WED)
    assert scan_on(WED).by_stage == {"due_today": 1}
    again = scan_on(WED, 9, 15)
    assert again.reminders == 0 and again.notifications == 0
    assert Reminder.objects.count() == 1


def test_after_two_days_of_downtime_each_assignment_gets_its_current_stage_once(world):
    # Scans ran until Monday 7 December, then nothing until Wednesday 9 December.
    deadlines = {
        "was_due_3_now_today": WED,
        "was_far_now_due_1": dt.date(2026, 12, 10),
        "was_due_1_now_overdue": dt.date(2026, 12, 8),
        "was_today_now_overdue": dt.date(2026, 12, 7),
    }
    cases = {name: make_assignment(world, deadline=day) for name, day in deadlines.items()}
    scan_on(dt.date(2026, 12, 7))
    before = {name: [s for s, _ in stages_of(a)] for name, a in cases.items()}
    assert before == {
        "was_due_3_now_today": ["due_3"], "was_far_now_due_1": ["due_3"],
        "was_due_1_now_overdue": ["due_1"], "was_today_now_overdue": ["due_today"],
    }
    first = scan_on(WED, 8, 0)
    second = scan_on(WED, 8, 15)
    assert first.reminders == 4 and second.reminders == 0
    after = {name: [s for s, _ in stages_of(a)] for name, a in cases.items()}
    assert after == {
        "was_due_3_now_today": ["due_3", "due_today"],  # due_1 was missed and is not sent late
        "was_far_now_due_1": ["due_3", "due_1"],
        "was_due_1_now_overdue": ["due_1", "overdue"],
        "was_today_now_overdue": ["due_today", "overdue"],
    }


def test_an_assignment_found_long_overdue_gets_only_the_escalation(world):
    assignment = make_assignment(world, deadline=dt.date(2026, 11, 2))
    scan_on(WED)
    assert stages_of(assignment) == [("escalated", dt.date(2026, 11, 2))]
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]


def test_extending_the_deadline_lets_the_stages_of_the_new_deadline_apply(world):
    assignment = make_assignment(world, deadline=dt.date(2026, 12, 4))
    scan_on(dt.date(2026, 12, 7))  # Monday: overdue since Friday
    new_deadline = dt.date(2026, 12, 16)
    services.assignment_update(assignment=assignment, deadline=new_deadline)
    assert scan_on(dt.date(2026, 12, 8)).reminders == 0
    scan_on(dt.date(2026, 12, 11))  # Friday: Mon 14, Tue 15, Wed 16 left
    scan_on(dt.date(2026, 12, 16))
    scan_on(dt.date(2026, 12, 17))
    assert stages_of(assignment) == [
        ("overdue", dt.date(2026, 12, 4)),
        ("due_3", new_deadline), ("due_today", new_deadline), ("overdue", new_deadline),
    ]


def test_a_closed_case_gets_no_more_reminders_and_a_reopened_one_picks_up_again(world):
    assignment = make_assignment(world, deadline=WED)
    scan_on(dt.date(2026, 12, 8))
    services.assignment_close(case=assignment.case)
    assert scan_on(WED).reminders == 0
    assert scan_on(dt.date(2026, 12, 14)).reminders == 0
    services.assignment_reopen(case=assignment.case, deadline=dt.date(2026, 12, 18))
    assert scan_on(dt.date(2026, 12, 18)).by_stage == {"due_today": 1}
    assert [s for s, _ in stages_of(assignment)] == ["due_1", "due_today"]


def test_lead_and_team_are_told_once_each_even_when_the_lead_is_in_the_team(world):
    lead, worker = world.users["township_cadre"], world.users["grid_worker"]
    make_assignment(world, deadline=WED, lead=lead, team=[lead, worker])
    result = scan_on(WED)
    assert result.notifications == 2  # inbox for both; neither has an email address
    assert inbox_stages(lead) == ["due_today"]
    assert inbox_stages(worker) == ["due_today"]


def test_escalation_reaches_the_supervisors_of_the_township_only_and_skips_inactive_users(world):
    other_supervisor = UserFactory(username="sup2", role=User.Role.SUPERVISOR, township=world.other_township)
    retired = UserFactory(username="sup3", role=User.Role.SUPERVISOR, township=world.township, is_active=False)
    make_assignment(world, deadline=dt.date(2026, 12, 1))
    scan_on(dt.date(2026, 12, 4))
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]
    assert inbox_stages(other_supervisor) == [] and inbox_stages(retired) == []


def test_channels_follow_addresses_and_each_users_choice(world, settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    lead, worker, staff = world.users["township_cadre"], world.users["grid_worker"], world.users["staff"]
    for user, email in ((lead, "lead@example.cn"), (worker, "worker@example.cn"), (staff, "")):
        user.email = email
        user.save(update_fields=["email"])
    NotificationPreference.objects.create(user=worker, email=False)
    NotificationPreference.objects.create(
        user=staff, webhook=True, webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    )
    world.township.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=town"
    world.township.save(update_fields=["webhook_url"])
    make_assignment(world, deadline=WED, lead=lead, team=[worker, staff])
    scan_on(WED)
    rows = set(Notification.objects.filter(reminder__isnull=False).values_list("recipient__username", "channel", "status"))
    assert rows == {
        ("tcadre", "inbox", "sent"), ("tcadre", "email", "pending"),
        ("gworker", "inbox", "sent"),
        ("staff", "inbox", "sent"), ("staff", "webhook", "pending"),
        (None, "webhook", "pending"),
    }


def test_the_scan_needs_the_same_queries_for_ten_and_a_hundred_assignments(world, django_assert_max_num_queries):
    for n, day in ((10, WED), (100, dt.date(2026, 12, 10))):
        for _ in range(n):
            make_assignment(world, deadline=day, team=[world.users["grid_worker"]])
        with django_assert_max_num_queries(8):  # savepoint, calendar days and years, 2 inserts, count, mark, release
            result = scan_on(day)
        assert result.by_stage["due_today"] == n


def test_send_reminders_dry_run_reports_and_writes_nothing(world, capsys):
    make_assignment(world, deadline=WED)
    with time_machine.travel(at(WED), tick=False):
        call_command("send_reminders", "--dry-run")
    assert "Would create 1 reminders" in capsys.readouterr().out
    assert Reminder.objects.count() == 0 and Notification.objects.filter(reminder__isnull=False).count() == 0
    with time_machine.travel(at(WED), tick=False):
        call_command("send_reminders")
    assert "Created 1 reminders" in capsys.readouterr().out
    assert Reminder.objects.count() == 1
