"""Deadlines in working days on the township calendar (CalendarDay, seeded from chinese-calendar by migration):
National Day 2026 is 1–7 October, and Saturday 10 October 2026 is a 调休 make-up workday."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.services import assignment_for
from disputes.services import deadline_after_working_days
from governance.models import CalendarDay
from governance.workdays import WorkCalendar

D = dt.date


def test_the_seeded_calendar_knows_national_day_and_the_make_up_saturday(db):
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).kind == "holiday"
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == "workday"


def test_one_working_day_after_30_september_is_8_october(db):
    assert deadline_after_working_days(start=D(2026, 9, 30), days=1) == D(2026, 10, 8)


def test_the_make_up_saturday_counts_as_a_working_day(db):
    assert deadline_after_working_days(start=D(2026, 9, 30), days=3) == D(2026, 10, 10)
    assert deadline_after_working_days(start=D(2026, 9, 30), days=4) == D(2026, 10, 12)
    assert WorkCalendar.load().working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4


def test_fifteen_working_days_across_national_day(db):
    # 29, 30 Sep; 8, 9, 10 (Sat) Oct; 12–16; 19–23 Oct.
    assert deadline_after_working_days(start=D(2026, 9, 28), days=15) == D(2026, 10, 23)


def test_a_day_added_to_the_calendar_by_township_staff_counts_at_once(db):
    CalendarDay.objects.create(date=D(2026, 10, 8), kind="holiday", name="加休")
    assert deadline_after_working_days(start=D(2026, 9, 30), days=1) == D(2026, 10, 9)


@pytest.mark.today(dt.datetime(2026, 9, 28, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_assignment_deadline_defaults_to_working_days_from_today(world, dispute_a, clients, settings):
    settings.DISPUTES_DEADLINE_WORKING_DAYS = 15
    url = reverse("disputes:assignment", args=[dispute_a.pk])
    assert 'value="15"' in clients["staff"].get(url).content.decode()
    response = clients["staff"].post(url, {
        "lead": world.users["supervisor"].pk, "responsible_unit": "镇司法所", "working_days": "15",
    })
    assert response.status_code == 302
    assert assignment_for(dispute_a).deadline == D(2026, 10, 23)
