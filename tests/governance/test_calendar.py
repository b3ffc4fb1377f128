"""The holiday calendar: statutory holidays and 调休 make-up workdays by year, kept by the system administrator
(it is shared by every township of the deployment) and read by township staff and supervisors."""

import datetime as dt

from django.urls import reverse

from governance.models import CalendarDay
from governance.workdays import WorkCalendar


def test_the_calendar_lists_the_days_of_one_year(world, clients):
    response = clients["staff"].get(reverse("governance:calendar") + "?year=2026")
    days = list(response.context["table"].data.data)
    assert days and all(d.date.year == 2026 for d in days)
    assert "国庆节" in response.content.decode()


def test_the_administrator_adds_a_make_up_workday_for_next_year_and_working_days_follow_it(
    world, admin_client, admin_user
):
    saturday = dt.date(2031, 1, 4)
    assert not WorkCalendar.load().is_workday(saturday)
    response = admin_client.post(reverse("governance:calendar-create"),
                                     {"date": "2031-01-04", "kind": "workday", "name": "元旦调休"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2031")
    assert WorkCalendar.load().is_workday(saturday)
    record = CalendarDay.objects.get(date=saturday).history.get()
    assert record.history_user == admin_user and record.ip_address == "127.0.0.1"


def test_a_holiday_on_a_weekend_or_a_workday_on_a_weekday_is_refused(world, admin_client):
    url = reverse("governance:calendar-create")
    response = admin_client.post(url, {"date": "2031-01-04", "kind": "holiday", "name": "x"})
    assert "date" in response.context["form"].errors
    response = admin_client.post(url, {"date": "2031-01-06", "kind": "workday", "name": "x"})
    assert "date" in response.context["form"].errors


def test_a_date_appears_once_in_the_calendar(world, admin_client):
    existing = CalendarDay.objects.filter(kind="holiday").first()
    response = admin_client.post(reverse("governance:calendar-create"),
                                     {"date": existing.date.isoformat(), "kind": "holiday", "name": "x"})
    assert "date" in response.context["form"].errors


def test_the_administrator_edits_and_removes_a_day(world, admin_client):
    day = CalendarDay.objects.create(date=dt.date(2031, 1, 6), kind="holiday", name="测试")
    response = admin_client.post(reverse("governance:calendar-edit", args=[day.pk]),
                                     {"date": "2031-01-07", "kind": "holiday", "name": "测试"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.date == dt.date(2031, 1, 7)
    admin_client.post(reverse("governance:calendar-delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(pk=day.pk).exists()


def test_supervisors_read_the_calendar_but_cannot_change_it(world, clients):
    day = CalendarDay.objects.first()
    assert clients["supervisor"].get(reverse("governance:calendar")).status_code == 200
    assert clients["supervisor"].get(reverse("governance:calendar-edit", args=[day.pk])).status_code == 403
    assert clients["supervisor"].post(reverse("governance:calendar-delete", args=[day.pk])).status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()
