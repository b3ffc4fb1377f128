"""The day-before notice to the leaders on duty, and the walk-ins still without an outcome (issue 24, item 4)."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Notification
from reception import services, tasks

from .factories import LeaderFactory, SessionFactory

D = dt.date
pytestmark = pytest.mark.today("2026-11-20")  # a Friday


def _inbox(user):
    return list(Notification.objects.inbox_of(user).order_by("pk"))


def test_the_leaders_on_duty_are_told_before_the_next_working_day_once(world, clients):
    secretary, mayor = world.users["supervisor"], world.users["township_cadre"]
    on_duty = LeaderFactory(township=world.township, name="王书记", user=secretary)
    other = LeaderFactory(township=world.township, name="李镇长", user=mayor)
    LeaderFactory(township=world.township, name="无账号")
    market = SessionFactory(township=world.township, date=D(2026, 11, 21), leaders=[on_duty])  # Saturday
    SessionFactory(township=world.township, date=D(2026, 11, 23), leaders=[on_duty])  # Monday
    SessionFactory(township=world.township, date=D(2026, 11, 24), leaders=[other])  # Tuesday: not yet
    SessionFactory(township=world.township, date=D(2026, 11, 20), leaders=[other])  # today: too late to announce

    assert tasks.remind_reception("2026-11-20") == 2
    assert tasks.remind_reception("2026-11-20") == 0  # run again: nobody twice
    notices = _inbox(secretary)
    assert [n.kind for n in notices] == [Notification.Kind.DUTY_COMING] * 2
    assert "2026-11-21 08:30" in notices[0].subject and notices[0].link == market.get_absolute_url()
    assert _inbox(mayor) == []
    page = clients["supervisor"].get(reverse("inbox:list")).content.decode()
    assert "接访值班提醒" in page and "2026-11-21 08:30" in page


def test_a_walk_in_without_an_outcome_after_the_next_working_day_reaches_whoever_recorded_it(world):
    staff = world.users["staff"]
    leader = LeaderFactory(township=world.township)
    wednesday = SessionFactory(township=world.township, date=D(2026, 11, 18), leaders=[leader])
    thursday = SessionFactory(township=world.township, date=D(2026, 11, 19), leaders=[leader])
    late = services.reception_record(session=wednesday, by=staff, visitor_name="张三", request="宅基地纠纷")
    services.reception_record(session=thursday, by=staff, visitor_name="李四", request="低保咨询")  # not late yet
    answered = services.reception_record(session=wednesday, by=staff, visitor_name="王五", request="问政策")
    services.reception_answer(reception=answered, by=staff, answer="当场解答")

    assert tasks.remind_reception("2026-11-20") == 1
    [notice] = _inbox(staff)
    assert notice.kind == Notification.Kind.NO_OUTCOME and "张三" in notice.subject
    assert notice.link == late.session.get_absolute_url()
    assert tasks.remind_reception("2026-11-20") == 0
