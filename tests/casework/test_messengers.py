"""Reminders reach people in WeCom and DingTalk: application messages to a person, the township robot's digests
within the robot's limits, DingTalk's robot with 加签. Every channel talks to a local fake server of the same
protocol (tests/fake_messengers.py), which refuses what the real service refuses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from casework import notices, notifications, reminders
from casework.models import Notification, NotificationPreference
from casework.notifications import Outcome
from core import messengers
from tests.casework.reminder_fixtures import at, make_assignment
from tests.fake_messengers import ROBOT_SECRET, FakeMessengers

WED = dt.date(2026, 12, 9)


@pytest.fixture
def fake(settings):
    settings.NOTIFY_BACKOFF, settings.NOTIFY_MAX_ATTEMPTS = 60, 3
    with FakeMessengers() as server:
        server.configure(settings)
        cache.delete(messengers._wecom_token_key())
        yield server
    cache.delete(messengers._wecom_token_key())


def _scan(hour=9):
    with time_machine.travel(at(WED, hour), tick=False):
        reminders.scan()


def _with_wecom_id(user, userid):
    user.wecom_userid = userid
    user.save(update_fields=["wecom_userid"])
    return user


def _robot(world, url, secret=""):
    world.township.webhook_url, world.township.webhook_secret = url, secret
    world.township.save(update_fields=["webhook_url", "webhook_secret"])


# --- WeCom application messages ---------------------------------------------------------------------------


def test_the_lead_official_gets_a_wecom_message_in_their_own_wecom_and_the_token_is_fetched_once(world, fake):
    lead = _with_wecom_id(world.users["township_cadre"], "ZhangSan")
    worker = _with_wecom_id(world.users["grid_worker"], "LiSi")
    make_assignment(world, deadline=WED, lead=lead, team=[worker], label="JF-2026-0031 宅基地纠纷")
    _scan()
    rows = Notification.objects.filter(channel="wecom").order_by("recipient__username")
    assert [r.recipient.username for r in rows] == ["gworker", "tcadre"]
    with time_machine.travel(at(WED, 9, 5), tick=False):
        assert [notifications.deliver(r.pk).outcome for r in rows] == [Outcome.SENT, Outcome.SENT]
        assert [notifications.deliver(r.pk).outcome for r in rows] == [Outcome.SKIPPED, Outcome.SKIPPED]
    assert sorted(m["touser"] for m in fake.app_messages) == ["LiSi", "ZhangSan"]
    assert "JF-2026-0031 宅基地纠纷" in fake.app_messages[0]["markdown"]["content"]
    assert "今天到期" in fake.app_messages[0]["markdown"]["content"]
    assert fake.token_requests == 1
    assert rows[1].__class__.objects.get(pk=rows[1].pk).address == "wecom:ZhangSan"


def test_an_expired_token_is_fetched_again_and_the_message_still_goes(world, fake):
    lead = _with_wecom_id(world.users["township_cadre"], "ZhangSan")
    make_assignment(world, deadline=WED, lead=lead)
    make_assignment(world, deadline=WED + dt.timedelta(days=1), lead=lead)
    _scan()
    first, second = Notification.objects.filter(channel="wecom").order_by("pk")
    assert notifications.deliver(first.pk).outcome == Outcome.SENT
    fake.expire_tokens()  # WeCom ended the token early (another server asked for one, or a secret reset)
    assert notifications.deliver(second.pk).outcome == Outcome.SENT
    assert len(fake.app_messages) == 2 and fake.token_requests == 2


def test_wecom_down_is_retried_with_backoff_and_delivers_once(world, fake):
    lead = _with_wecom_id(world.users["township_cadre"], "ZhangSan")
    make_assignment(world, deadline=WED, lead=lead)
    _scan()
    row = Notification.objects.get(channel="wecom")
    fake.fail_next = 1
    with time_machine.travel(at(WED, 9, 5), tick=False) as clock:
        result = notifications.deliver(row.pk)
        assert (result.outcome, result.retry_in) == (Outcome.RETRY, 60)
        assert reminders.lease_due_deliveries() == []
        clock.shift(dt.timedelta(seconds=61))
        assert reminders.lease_due_deliveries() == [row.pk]
        assert notifications.deliver(row.pk).outcome == Outcome.SENT
    assert len(fake.app_messages) == 1


def test_a_userid_wecom_does_not_know_is_a_failure_recorded_on_the_row(world, fake):
    lead = _with_wecom_id(world.users["township_cadre"], "nobody-left")
    make_assignment(world, deadline=WED, lead=lead)
    _scan()
    row = Notification.objects.get(channel="wecom")
    result = notifications.deliver(row.pk)
    assert result.outcome == Outcome.RETRY and "invaliduser" in result.error


def test_no_wecom_rows_without_settings_an_id_or_with_the_preference_off(world, settings):
    settings.WECOM_CORP_ID = ""
    lead = _with_wecom_id(world.users["township_cadre"], "ZhangSan")
    make_assignment(world, deadline=WED, lead=lead)
    _scan()
    assert not Notification.objects.filter(channel="wecom").exists()
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww", "1", "s"
    worker = world.users["grid_worker"]  # no WeCom user ID
    cadre = _with_wecom_id(world.users["village_cadre"], "WangWu")
    NotificationPreference.objects.create(user=cadre, wecom=False)
    make_assignment(world, deadline=WED + dt.timedelta(days=1), lead=lead, team=[worker, cadre])
    _scan(hour=10)
    assert list(Notification.objects.filter(channel="wecom").values_list("recipient__username", flat=True)) == [
        "tcadre"]


def test_a_hand_over_notice_also_goes_to_wecom(world, fake):
    lead = _with_wecom_id(world.users["township_cadre"], "ZhangSan")
    notices.notify([lead], kind=Notification.Kind.ASSIGNED, key="assigned:test", subject="JF-2026-0040 劳资纠纷",
                   url="/disputes/1/")
    row = Notification.objects.get(channel="wecom", recipient=lead)
    assert notifications.deliver(row.pk).outcome == Outcome.SENT
    assert "JF-2026-0040 劳资纠纷" in fake.app_messages[0]["markdown"]["content"]


# --- The township robot: digests within the robot's limits ------------------------------------------------


def test_a_busy_tick_reaches_the_township_robot_as_one_digest_not_one_message_per_reminder(world, fake):
    _robot(world, fake.wecom_robot_url())
    labels = [f"JF-2026-{n:04d} 邻里纠纷" for n in range(1, 13)]
    for label in labels:
        make_assignment(world, deadline=WED, label=label)
    _scan()
    with time_machine.travel(at(WED, 9, 1), tick=False):
        assert reminders.lease_due_deliveries() == []  # the robot's rows are not sent one by one
        assert reminders.due_digests() == [world.township.pk]
        result = notifications.deliver_digest(world.township.pk)
        assert (result.messages, result.delivered) == (1, 12)
        assert notifications.deliver_digest(world.township.pk).messages == 0
        assert reminders.due_digests() == []
    (message,) = fake.robot_messages["robot-key"]
    content = message["markdown"]["content"]
    assert "联户通到期提醒" in content and "12" in content
    assert all(label in content for label in labels)
    assert set(Notification.objects.robot_rows().values_list("status", flat=True)) == {"sent"}


def test_a_digest_too_long_for_one_message_is_split_by_the_size_limit_and_keeps_every_case(world, fake):
    _robot(world, fake.wecom_robot_url())
    labels = [f"JF-2026-{n:04d} 关于村民组土地承包经营权流转后的收益分配纠纷" for n in range(1, 41)]
    for label in labels:
        make_assignment(world, deadline=WED, label=label)
    _scan()
    with time_machine.travel(at(WED, 9, 1), tick=False):
        result = notifications.deliver_digest(world.township.pk)
    messages = fake.robot_messages["robot-key"]
    assert result.messages == len(messages) >= 2 and result.delivered == 40
    assert all(len(m["markdown"]["content"].encode()) <= 4096 for m in messages)
    text = "".join(m["markdown"]["content"] for m in messages)
    assert all(text.count(label) == 1 for label in labels)
    assert f"（1/{len(messages)}）" in messages[0]["markdown"]["content"]


def test_the_robot_never_gets_more_than_its_limit_a_minute_and_the_rest_follows(world, fake, settings):
    settings.NOTIFY_ROBOT_PER_MINUTE = 4  # two a calendar minute: any 60 seconds carry at most four
    fake.robot_per_minute = 4
    _robot(world, fake.wecom_robot_url("busy"))
    for n in range(1, 61):
        make_assignment(world, deadline=WED, label=f"JF-2026-{n:04d} 关于村民组土地承包经营权流转后的收益分配纠纷")
    _scan()
    with time_machine.travel(at(WED, 9, 1, ), tick=False) as clock:
        first = notifications.deliver_digest(world.township.pk)
        assert first.messages == 2 and first.deferred > 0
        assert notifications.deliver_digest(world.township.pk).messages == 0  # not before the next minute
        clock.shift(dt.timedelta(seconds=60))
        second = notifications.deliver_digest(world.township.pk)
    assert second.messages >= 1 and first.delivered + second.delivered == 60
    assert len(fake.robot_messages["busy"]) == first.messages + second.messages  # none refused as too fast
    assert set(Notification.objects.robot_rows().values_list("status", flat=True)) == {"sent"}


def test_a_failed_digest_is_retried_with_backoff_and_delivered_once(world, fake):
    _robot(world, fake.wecom_robot_url())
    make_assignment(world, deadline=WED, label="JF-2026-0007 土地权属纠纷")
    _scan()
    fake.fail_next = 1
    with time_machine.travel(at(WED, 9, 1), tick=False) as clock:
        result = notifications.deliver_digest(world.township.pk)
        assert (result.messages, result.retry_in) == (0, 60) and result.error == "HTTP 500"
        row = Notification.objects.robot_rows().get()
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 500")
        assert reminders.due_digests() == []
        clock.shift(dt.timedelta(seconds=61))
        assert reminders.due_digests() == [world.township.pk]
        assert notifications.deliver_digest(world.township.pk).delivered == 1
    assert len(fake.robot_messages["robot-key"]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_when_the_second_message_of_a_digest_fails_the_first_stays_sent_and_the_rest_follows(world, fake):
    _robot(world, fake.wecom_robot_url())
    for n in range(1, 41):
        make_assignment(world, deadline=WED, label=f"JF-2026-{n:04d} 关于村民组土地承包经营权流转后的收益分配纠纷")
    _scan()
    fake.fail_posts = {2}
    with time_machine.travel(at(WED, 9, 1), tick=False) as clock:
        first = notifications.deliver_digest(world.township.pk)
        assert first.messages == 1 and first.retry_in == 60 and 0 < first.delivered < 40
        rows = Notification.objects.robot_rows()
        assert rows.filter(status="sent").count() == first.delivered
        assert set(rows.exclude(status="sent").values_list("attempts", flat=True)) <= {0, 1}
        clock.shift(dt.timedelta(seconds=61))
        second = notifications.deliver_digest(world.township.pk)
    assert first.delivered + second.delivered == 40
    text = "".join(m["markdown"]["content"] for m in fake.robot_messages["robot-key"])
    assert all(text.count(f"JF-2026-{n:04d} ") == 1 for n in range(1, 41))  # nothing told twice


def test_a_closed_case_is_left_out_of_the_digest(world, fake):
    _robot(world, fake.wecom_robot_url())
    kept = make_assignment(world, deadline=WED, label="JF-2026-0001 留下")
    closed = make_assignment(world, deadline=WED, label="JF-2026-0002 已结")
    _scan()
    closed.is_open = False
    closed.save(update_fields=["is_open"])
    notifications.deliver_digest(world.township.pk, now=at(WED, 9, 1))
    content = fake.robot_messages["robot-key"][0]["markdown"]["content"]
    assert kept.case_label in content and closed.case_label not in content
    assert Notification.objects.robot_rows().get(reminder__assignment=closed).status == "cancelled"


# --- DingTalk robot with 加签 --------------------------------------------------------------------------------


def test_a_dingtalk_robot_with_its_signature_gets_the_digest(world, fake):
    _robot(world, fake.dingtalk_robot_url(), secret=ROBOT_SECRET)
    make_assignment(world, deadline=WED, label="JF-2026-0009 山林权属纠纷")
    _scan()
    with time_machine.travel(at(WED, 9, 1), tick=False):
        result = notifications.deliver_digest(world.township.pk)
    assert result.delivered == 1
    (message,) = fake.robot_messages["robot-token"]
    assert message["msgtype"] == "markdown" and message["markdown"]["title"] == "联户通到期提醒"
    assert "JF-2026-0009 山林权属纠纷" in message["markdown"]["text"]


def test_a_wrong_dingtalk_secret_is_refused_by_dingtalk_and_recorded_for_retry(world, fake):
    _robot(world, fake.dingtalk_robot_url(), secret="SECwrong")
    make_assignment(world, deadline=WED)
    _scan()
    with time_machine.travel(at(WED, 9, 1), tick=False):
        result = notifications.deliver_digest(world.township.pk)
    assert result.retry_in == 60 and "310000" in result.error
    assert fake.robot_messages == {}


def test_the_signature_is_dingtalks_documented_one():
    # HmacSHA256 of "<timestamp>\n<secret>" keyed with the secret, base64, URL-encoded (open.dingtalk.com 自定义机器人 加签)
    assert messengers.dingtalk_sign("SECabc", 1700000000000) == "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    url = messengers.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc",
                                         now=1700000000.0)
    assert url.endswith("&timestamp=1700000000000&sign=jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D")
