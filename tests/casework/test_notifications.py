"""Delivery of notifications: email and a WeCom-style webhook (a real HTTP server on 127.0.0.1), claims, retries
with backoff, failures recorded, and a delivered row never sent again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from casework import notifications, reminders, services
from casework.models import Notification, NotificationPreference
from casework.notifications import Outcome
from tests.casework.reminder_fixtures import Robot, at, make_assignment

WED = dt.date(2026, 12, 9)


@pytest.fixture
def webhook_hosts(settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["127.0.0.1"]
    settings.NOTIFY_BACKOFF = 60
    settings.NOTIFY_MAX_ATTEMPTS = 3
    return settings


def _scan(day=WED, hour=9):
    with time_machine.travel(at(day, hour), tick=False):
        reminders.scan()


def _township_webhook(world, url: str) -> Notification:
    world.township.webhook_url = url
    world.township.save(update_fields=["webhook_url"])
    make_assignment(world, deadline=WED, label="JF-2026-0007 土地权属纠纷")
    _scan()
    return Notification.objects.filter(reminder__isnull=False).get(channel="webhook", recipient=None)


def _user_webhook(world, url: str) -> Notification:
    """A person's own webhook: sent row by row (the township robot gets digests, tests/casework/test_messengers.py)."""
    worker = world.users["grid_worker"]
    NotificationPreference.objects.create(user=worker, webhook=True, webhook_url=url)
    make_assignment(world, deadline=WED, team=[worker], label="JF-2026-0007 土地权属纠纷")
    _scan()
    return Notification.objects.filter(reminder__isnull=False).get(channel="webhook", recipient=worker)


def test_email_is_sent_once_in_chinese_with_a_link_to_the_case(world, settings):
    settings.SITE_URL = "https://lht.example.cn"
    lead = world.users["township_cadre"]
    lead.email = "lead@example.cn"
    lead.save(update_fields=["email"])
    make_assignment(world, deadline=WED, lead=lead, label="JF-2026-0001 邻里纠纷")
    _scan()
    notification = Notification.objects.filter(reminder__isnull=False).get(channel="email")
    assert notifications.deliver(notification.pk).outcome == Outcome.SENT
    assert notifications.deliver(notification.pk).outcome == Outcome.SKIPPED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.cn"]
    assert "临期预警" in message.subject and "JF-2026-0001 邻里纠纷" in message.subject
    assert "今天到期" in message.subject
    assert "https://lht.example.cn/disputes/" in message.body
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.address) == ("sent", 1, "lead@example.cn")


def test_webhook_fails_first_then_recovers_and_delivers_exactly_once(world, webhook_hosts):
    with Robot(failures=1) as robot, time_machine.travel(at(WED, 9), tick=False) as clock:
        notification = _user_webhook(world, robot.url)
        first = notifications.deliver(notification.pk)
        assert (first.outcome, first.retry_in) == (Outcome.RETRY, 60)
        notification.refresh_from_db()
        assert (notification.status, notification.attempts, notification.last_error) == ("pending", 1, "HTTP 500")
        assert reminders.lease_due_deliveries() == []  # backing off
        clock.shift(dt.timedelta(seconds=61))
        assert reminders.lease_due_deliveries() == [notification.pk]
        assert notifications.deliver(notification.pk).outcome == Outcome.SENT
        assert notifications.deliver(notification.pk).outcome == Outcome.SKIPPED
        clock.shift(dt.timedelta(hours=2))
        assert reminders.lease_due_deliveries() == []
    assert len(robot.received) == 2 and len(robot.delivered) == 1
    body = robot.delivered[0]
    assert body["msgtype"] == "markdown"
    assert "JF-2026-0007 土地权属纠纷" in body["markdown"]["content"]
    assert "临期预警" in body["markdown"]["content"]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")


def test_a_wecom_error_code_counts_as_a_failure(world, webhook_hosts):
    with Robot(answer={"errcode": 93000, "errmsg": "invalid webhook url"}) as robot:
        notification = _township_webhook(world, robot.url)
        result = notifications.deliver(notification.pk)
    assert result.outcome == Outcome.RETRY and "93000" in result.error


def test_an_unreachable_webhook_gives_up_after_the_last_attempt_and_its_owner_can_retry(world, webhook_hosts):
    worker = world.users["grid_worker"]
    NotificationPreference.objects.create(user=worker, webhook=True, webhook_url="http://127.0.0.1:9/nothing")
    make_assignment(world, deadline=WED, team=[worker])
    _scan()
    notification = Notification.objects.filter(reminder__isnull=False).get(channel="webhook", recipient=worker)
    outcomes = [notifications.deliver(notification.pk).outcome for _ in range(3)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    notification.refresh_from_db()
    assert notification.status == "failed" and notification.attempts == 3 and notification.last_error
    assert notifications.deliver(notification.pk).outcome == Outcome.SKIPPED
    assert not notifications.retry_failed(user=world.users["staff"], notification_id=notification.pk)
    assert notifications.retry_failed(user=worker, notification_id=notification.pk)
    assert notifications.deliver(notification.pk).outcome == Outcome.RETRY


def test_backoff_doubles_up_to_its_cap(settings):
    settings.NOTIFY_BACKOFF, settings.NOTIFY_BACKOFF_MAX = 60, 600
    assert [notifications.backoff(n) for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_row_being_sent_is_not_claimed_again_until_its_claim_is_stale(world, webhook_hosts):
    webhook_hosts.NOTIFY_CLAIM_TIMEOUT = 600
    with Robot() as robot:
        notification = _township_webhook(world, robot.url)
        now = at(WED, 10)
        assert notifications.claim(notification.pk, now=now)  # a worker took it and died
        assert notifications.deliver(notification.pk, now=now + dt.timedelta(minutes=5)).outcome == Outcome.SKIPPED
        assert notifications.deliver(notification.pk, now=now + dt.timedelta(minutes=11)).outcome == Outcome.SENT
    assert len(robot.delivered) == 1


def test_a_webhook_host_outside_the_allowed_list_is_never_posted_to(world, settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    with Robot() as robot:
        notification = _township_webhook(world, robot.url)
        assert notifications.deliver(notification.pk).outcome == Outcome.CANCELLED
    assert robot.received == []


def test_closing_the_case_cancels_what_was_not_yet_delivered(world, webhook_hosts):
    with Robot() as robot:
        notification = _township_webhook(world, robot.url)
        services.assignment_close(case=notification.reminder.assignment.case)
        assert notifications.deliver(notification.pk).outcome == Outcome.CANCELLED
    assert robot.received == []
    notification.refresh_from_db()
    assert notification.status == "cancelled"


def test_moving_the_deadline_cancels_the_old_deadlines_undelivered_reminders(world, webhook_hosts):
    with Robot() as robot:
        notification = _township_webhook(world, robot.url)
        services.assignment_update(assignment=notification.reminder.assignment, deadline=WED + dt.timedelta(days=30))
        assert notifications.deliver(notification.pk).outcome == Outcome.CANCELLED
    assert robot.received == []


def test_switching_email_off_after_the_scan_is_respected_at_delivery(world):
    lead = world.users["township_cadre"]
    lead.email = "lead@example.cn"
    lead.save(update_fields=["email"])
    make_assignment(world, deadline=WED, lead=lead)
    _scan()
    NotificationPreference.objects.create(user=lead, email=False)
    notification = Notification.objects.filter(reminder__isnull=False).get(channel="email")
    assert notifications.deliver(notification.pk).outcome == Outcome.CANCELLED
    assert mail.outbox == []


def test_inbox_rows_are_delivered_when_made_and_never_claimed(world):
    make_assignment(world, deadline=WED)
    _scan()
    notification = Notification.objects.filter(reminder__isnull=False).get(channel="inbox")
    assert notification.status == "sent" and notification.sent_at is not None
    assert notifications.deliver(notification.pk).outcome == Outcome.SKIPPED


def test_send_reminders_delivers_what_is_due_without_a_worker(world):
    from django.core.management import call_command

    lead = world.users["township_cadre"]
    lead.email = "lead@example.cn"
    lead.save(update_fields=["email"])
    make_assignment(world, deadline=WED, lead=lead)
    with time_machine.travel(at(WED), tick=False):
        call_command("send_reminders")
        call_command("send_reminders")
    assert len(mail.outbox) == 1


def test_a_row_whose_worker_died_while_sending_is_handed_out_again_after_the_claim_timeout(world, webhook_hosts):
    webhook_hosts.NOTIFY_CLAIM_TIMEOUT = 600
    with Robot() as robot:
        notification = _user_webhook(world, robot.url)
        now = at(WED, 10)
        assert reminders.lease_due_deliveries(now=now) == [notification.pk]
        assert notifications.claim(notification.pk, now=now)  # and then the worker died
        assert reminders.lease_due_deliveries(now=now + dt.timedelta(minutes=5)) == []  # still its worker's
        with time_machine.travel(now + dt.timedelta(minutes=11), tick=False):
            assert reminders.lease_due_deliveries() == [notification.pk]
            assert notifications.deliver(notification.pk).outcome == Outcome.SENT
            assert reminders.lease_due_deliveries() == []
    assert len(robot.delivered) == 1


def test_overdue_rows_are_red_in_lists_and_pages(world):
    from django.template import Context, Template

    from casework.reminders import deadline_row_class

    overdue = make_assignment(world, deadline=WED)
    with time_machine.travel(at(WED + dt.timedelta(days=1)), tick=False):
        assert deadline_row_class(overdue) == "overdue"
        html = Template("{% load deadlines %}<tr class=\"{{ a|deadline_class }}\">{% deadline_badge a %}").render(
            Context({"a": overdue})
        )
        assert 'class="overdue"' in html and "逾期预警" in html
        overdue.is_open = False
        assert deadline_row_class(overdue) == ""
        overdue.is_open = True
    with time_machine.travel(at(WED), tick=False):
        assert "临期预警" in Template("{% load deadlines %}{% deadline_badge a %}").render(Context({"a": overdue}))
