"""Who may change what is above them (issue 18): the deployment-wide calendar, roles, other people's passwords."""

import datetime as dt

from django.urls import reverse

from governance.models import CalendarDay

# --- the working-day calendar is the deployment's, not one township's ----------------------------------------


def test_township_staff_read_the_calendar_but_cannot_add_edit_or_remove_a_day(world, clients):
    day = CalendarDay.objects.create(date=dt.date(2031, 1, 4), kind="workday", name="元旦调休")
    staff = clients["staff"]
    page = staff.get(reverse("governance:calendar") + "?year=2031")
    assert page.status_code == 200 and "元旦调休" in page.content.decode()
    assert reverse("governance:calendar-edit", args=[day.pk]) not in page.content.decode()
    assert reverse("governance:calendar-create") not in page.content.decode()

    assert staff.get(reverse("governance:calendar-create")).status_code == 403
    assert staff.post(reverse("governance:calendar-create"),
                      {"date": "2031-01-05", "kind": "workday", "name": "x"}).status_code == 403
    assert staff.get(reverse("governance:calendar-edit", args=[day.pk])).status_code == 403
    assert staff.post(reverse("governance:calendar-edit", args=[day.pk]),
                      {"date": "2031-01-11", "kind": "workday", "name": "x"}).status_code == 403
    assert staff.post(reverse("governance:calendar-delete", args=[day.pk])).status_code == 403
    day.refresh_from_db()
    assert (day.date, day.name) == (dt.date(2031, 1, 4), "元旦调休")
    assert not CalendarDay.objects.filter(date=dt.date(2031, 1, 5)).exists()


def test_the_system_administrator_changes_the_calendar(world, admin_client):
    day = CalendarDay.objects.create(date=dt.date(2031, 1, 4), kind="workday", name="元旦调休")
    page = admin_client.get(reverse("governance:calendar") + "?year=2031").content.decode()
    assert reverse("governance:calendar-edit", args=[day.pk]) in page
    assert admin_client.post(reverse("governance:calendar-delete", args=[day.pk])).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
