"""The 红黑榜's morning reminders: a rule's list due and not drafted reaches the township's staff; a black entry's 整改
due tomorrow, then overdue, reaches its owner — each notice once, however often the task runs."""

import datetime as dt

import pytest

from casework.models import Notification
from honours.models import FollowUp
from honours.tasks import remind_honours
from tests.factories import UserFactory
from tests.honours.factories import make_definition, make_issue

pytestmark = pytest.mark.today("2026-12-04")


def _subjects(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_a_list_due_and_not_drafted_is_reminded_once(world):
    make_definition(world.township, by=world.users["staff"], name="网格走访覆盖红黑榜", eval_day=5)
    assert remind_honours("2026-12-02") == 0  # November's list is due by 5 December: not yet
    assert remind_honours("2026-12-04") == 1 and remind_honours("2026-12-05") == 0
    assert _subjects(world.users["staff"]) == ["红黑榜应于2026-12-05前评定：网格走访覆盖红黑榜（2026-11-01至2026-11-30）"]
    assert _subjects(world.users["village_cadre"]) == []


def test_a_drafted_list_is_not_reminded(world):
    rule = make_definition(world.township, by=world.users["staff"], eval_day=5)
    make_issue(rule, by=world.users["staff"])
    assert remind_honours("2026-12-04") == 0


def test_a_black_entry_rectification_is_reminded_when_due_then_when_overdue(world):
    owner = world.users["village_cadre"]
    rule = make_definition(world.township, by=world.users["staff"], village=world.village_a, follow_up_days=10)
    issue = make_issue(rule, by=world.users["staff"], status="published",
                       approver=UserFactory(role="supervisor", township=world.township),
                       today=dt.date(2026, 12, 1))
    follow_up = FollowUp.objects.get(entry__issue=issue)
    FollowUp.objects.filter(pk=follow_up.pk).update(owner=owner, deadline=dt.date(2026, 12, 10))
    remind_honours("2026-12-08")
    assert _subjects(owner) == []
    remind_honours("2026-12-09")
    remind_honours("2026-12-09")
    assert _subjects(owner) == ["整改将于2026-12-10到期：第二网格"]
    remind_honours("2026-12-11")
    assert _subjects(owner) == ["整改将于2026-12-10到期：第二网格", "整改已逾期（期限2026-12-10）：第二网格"]
    FollowUp.objects.filter(pk=follow_up.pk).update(done_on=dt.date(2026, 12, 11))
    remind_honours("2026-12-12")
    assert len(_subjects(owner)) == 2
