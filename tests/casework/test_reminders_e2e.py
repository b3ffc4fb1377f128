"""End to end on the real parts: beat schedules the scan, a real Celery worker on the real Redis runs it and
delivers, and the inbox page shows the reminder. A webhook fails once and is delivered exactly once."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Notification, NotificationPreference
from core.models import Heartbeat
from tests.casework.reminder_fixtures import Robot, make_assignment

pytestmark = pytest.mark.celery


def _wait_for(condition, timeout: float = 45.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_beat_schedules_the_scan_the_worker_notifies_and_the_inbox_shows_it(
    celery_worker_process, world, login_client
):
    cadre = world.users["township_cadre"]
    with Robot(failures=1) as robot:
        NotificationPreference.objects.create(user=cadre, email=False, webhook=True, webhook_url=robot.url)
        assignment = make_assignment(world, deadline=timezone.localdate(), lead=cadre, label="JF-2026-0099 山林权属纠纷")
        celery_worker_process(beat=True, extra_env={
            "REMINDER_SCAN_INTERVAL": "2", "NOTIFY_BACKOFF": "1", "NOTIFY_WEBHOOK_HOSTS": "127.0.0.1",
        })
        inbox = Notification.objects.filter(reminder__isnull=False, recipient=cadre, channel="inbox")
        _wait_for(inbox.exists, what="the scan to notify the lead official")
        webhook = Notification.objects.filter(reminder__isnull=False, recipient=cadre, channel="webhook")
        _wait_for(lambda: webhook.filter(status="sent").exists(), what="the webhook to recover")
        _wait_for(lambda: Heartbeat.last("reminder_scan") is not None and len(robot.received) >= 2, 10, "a scan")
        time.sleep(5)  # more scans run meanwhile (every 2 s): none may repeat anything
    assert inbox.count() == 1 and assignment.reminders.count() == 1
    assert len(robot.received) == 2 and len(robot.delivered) == 1
    assert "JF-2026-0099 山林权属纠纷" in robot.delivered[0]["markdown"]["content"]
    row = webhook.get()
    assert (row.status, row.attempts) == ("sent", 2)

    client = login_client(cadre)
    page = client.get(reverse("inbox:list")).content.decode()
    assert "JF-2026-0099 山林权属纠纷" in page and "今天到期" in page
    assert 'data-testid="inbox-unread">1<' in client.get(reverse("inbox:badge")).content.decode()
    health = client.get("/healthz").json()["last_scan"]
    assert health["ok"] is True and health["detail"]["age_seconds"] <= 10


def test_the_worker_sends_the_township_robot_one_digest_and_the_lead_a_wecom_message(
    celery_worker_process, world
):
    from tests.fake_messengers import AGENT_ID, CORP_ID, CORP_SECRET, FakeMessengers

    cadre = world.users["township_cadre"]
    cadre.wecom_userid = "ZhangSan"
    cadre.save(update_fields=["wecom_userid"])
    with FakeMessengers() as fake:
        fake.fail_next = 1  # the first post fails: the digest task tries again after its backoff
        world.township.webhook_url = fake.wecom_robot_url()
        world.township.save(update_fields=["webhook_url"])
        for n in (1, 2, 3):
            make_assignment(world, deadline=timezone.localdate(), lead=cadre, label=f"JF-2026-010{n} 邻里纠纷")
        celery_worker_process(beat=True, extra_env={
            "REMINDER_SCAN_INTERVAL": "2", "NOTIFY_BACKOFF": "1", "NOTIFY_WEBHOOK_HOSTS": "127.0.0.1",
            "WECOM_CORP_ID": CORP_ID, "WECOM_AGENT_ID": AGENT_ID, "WECOM_SECRET": CORP_SECRET,
            "WECOM_API_BASE": fake.base,
        })
        robot = Notification.objects.robot_rows()
        _wait_for(lambda: robot.count() == 3 and not robot.exclude(status="sent").exists(), what="the digest")
        _wait_for(lambda: len(fake.app_messages) == 3, what="the WeCom messages")
        time.sleep(5)  # more scans run meanwhile (every 2 s): none may repeat anything
    (digest,) = fake.robot_messages["robot-key"]
    assert all(f"JF-2026-010{n} 邻里纠纷" in digest["markdown"]["content"] for n in (1, 2, 3))
    assert {m["touser"] for m in fake.app_messages} == {"ZhangSan"} and len(fake.app_messages) == 3
