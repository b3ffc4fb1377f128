"""The calendar after the last official arrangement (issue 20.7): the chinese-calendar package knows 2026 and not
2027. 2027 is counted on the provisional calendar (the statutory holidays on their solar and lunar dates, no 调休),
deadlines in it are marked 未确认 until the system administrator enters the State Council's arrangement, and the
keeper is warned from the day deadlines reach it."""

import datetime as dt

import pytest
from django.urls import reverse

from disputes.services import deadline_after_working_days, dispute_assign
from governance.models import CalendarDay, CalendarYear
from governance.workdays import WorkCalendar, is_provisional, last_confirmed_year
from tests.disputes.factories import DisputeFactory

D = dt.date

#: A 2027 arrangement for the tests (made up in the State Council's shape, not the published one).
HOLIDAYS_2027 = """01-01 元旦
02-05..02-13 春节
2027-04-03 ~ 2027-04-05 清明节
05-01..05-05 劳动节
06-09 端午节
09-15 中秋节
10-01..10-07 国庆节"""
WORKDAYS_2027 = "02-20 春节调休\n04-25 劳动节调休\n10-09 国庆节调休"


def _enter_2027(admin_client):
    return admin_client.post(reverse("governance:calendar-year", args=[2027]),
                             {"holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027, "source": "测试通知"})


def test_2026_is_the_last_confirmed_year_and_2027_is_provisional(db):
    assert last_confirmed_year() == 2026
    assert not is_provisional(D(2026, 12, 31)) and is_provisional(D(2027, 1, 1))


def test_fifteen_working_days_from_20_december_2026_skip_new_year_2027_and_are_unconfirmed(db):
    # 21–25, 28–31 Dec (9); 1 Jan is 元旦; 4–8 Jan (14); Monday 11 Jan (15).
    deadline = deadline_after_working_days(start=D(2026, 12, 20), days=15)
    assert deadline == D(2027, 1, 11)
    assert is_provisional(deadline)


def test_the_2027_spring_festival_and_the_lunar_holidays_are_not_working_days(db):
    calendar = WorkCalendar.load()
    # 除夕 Friday 5 Feb, 初三 Monday 8 Feb, and the 补假 for 初一 and 初二 on the weekend: 9 and 10 Feb.
    for day in (D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10)):
        assert not calendar.is_workday(day), day
    assert calendar.is_workday(D(2027, 2, 11))
    for day in (D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1)):  # 清明, 端午, 中秋, 国庆
        assert not calendar.is_workday(day), day
    assert not calendar.is_workday(D(2027, 2, 20))  # no 调休 Saturday is guessed


@pytest.mark.today("2026-12-20")
def test_a_deadline_in_2027_is_marked_unconfirmed_on_the_form_and_the_dispute(world, clients):
    dispute = DisputeFactory(grid=world.grid_a1)
    url = reverse("disputes:assignment", args=[dispute.pk])
    assert "2027-01-11" in clients["staff"].get(url).content.decode()
    response = clients["staff"].post(url, {
        "lead": world.users["supervisor"].pk, "responsible_unit": "镇司法所", "working_days": "15",
    })
    assert response.status_code == 302
    body = clients["staff"].get(dispute.get_absolute_url()).content.decode()
    assert "2027-01-11" in body and 'data-testid="deadline-unconfirmed"' in body


@pytest.mark.today("2026-12-20")
def test_entering_the_official_2027_arrangement_confirms_the_year(world, clients, admin_client, admin_user):
    dispute = DisputeFactory(grid=world.grid_a1)
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["supervisor"],
                   responsible_unit="镇司法所", deadline=D(2027, 1, 11))
    assert not WorkCalendar.load().is_workday(D(2027, 2, 20))

    response = _enter_2027(admin_client)
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    calendar = WorkCalendar.load()
    assert calendar.is_workday(D(2027, 2, 20))  # the 调休 Saturday now counts
    assert not calendar.is_workday(D(2027, 2, 12)) and not calendar.is_workday(D(2027, 10, 7))
    assert not CalendarDay.objects.filter(date=D(2027, 2, 6)).exists()  # weekends of a range stay implicit
    assert not is_provisional(D(2027, 1, 11))
    confirmed = CalendarYear.objects.get(year=2027)
    assert confirmed.confirmed_by == admin_user and confirmed.source == "测试通知"
    # The stored deadline keeps its date; the 未确认 mark is gone.
    body = clients["staff"].get(dispute.get_absolute_url()).content.decode()
    assert "2027-01-11" in body and "deadline-unconfirmed" not in body


def test_entering_the_arrangement_again_replaces_the_days_of_the_year(world, admin_client):
    _enter_2027(admin_client)
    admin_client.post(reverse("governance:calendar-year", args=[2027]),
                      {"holidays": "01-01 元旦", "workdays": "", "source": ""})
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [D(2027, 1, 1)]
    assert CalendarDay.objects.filter(date__year=2026).count() > 10  # other years untouched


def test_a_make_up_workday_on_a_weekday_or_an_unreadable_line_is_refused(world, admin_client):
    url = reverse("governance:calendar-year", args=[2027])
    response = admin_client.post(url, {"holidays": "", "workdays": "02-22 调休", "source": ""})
    assert "workdays" in response.context["form"].errors
    response = admin_client.post(url, {"holidays": "春节 二月五日", "workdays": "", "source": ""})
    assert response.context["form"].non_field_errors()
    response = admin_client.post(url, {"holidays": "2028-01-03 元旦", "workdays": "", "source": ""})
    assert response.context["form"].non_field_errors()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_the_system_administrator_enters_an_official_arrangement(world, clients):
    url = reverse("governance:calendar-year", args=[2027])
    assert clients["staff"].get(url).status_code == 403
    assert clients["supervisor"].post(url, {"holidays": "01-01 元旦"}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.today("2026-06-01")
def test_no_warning_while_deadlines_stay_in_the_confirmed_years(world, admin_client, clients):
    assert 'data-testid="calendar-runs-out"' not in admin_client.get(reverse("home")).content.decode()
    assert 'data-testid="calendar-runs-out"' not in clients["staff"].get(reverse("governance:calendar")).content.decode()


@pytest.mark.today("2026-06-01")
def test_an_open_deadline_in_2027_warns_the_keeper_on_the_home_page(world, admin_client):
    dispute = DisputeFactory(grid=world.grid_a1)
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["supervisor"],
                   responsible_unit="镇司法所", deadline=D(2027, 3, 1))
    body = admin_client.get(reverse("home")).content.decode()
    assert 'data-testid="calendar-runs-out"' in body
    assert reverse("governance:calendar-year", args=[2027]) in body


@pytest.mark.today("2026-12-20")
def test_the_warning_appears_once_the_default_deadline_reaches_2027(world, admin_client, clients):
    assert 'data-testid="calendar-runs-out"' in admin_client.get(reverse("home")).content.decode()
    assert 'data-testid="calendar-runs-out"' in admin_client.get(reverse("governance:calendar")).content.decode()
    # Township staff are told on the calendar page, without the link to change it; their home page stays plain.
    body = clients["staff"].get(reverse("governance:calendar") + "?year=2027").content.decode()
    assert 'data-testid="calendar-runs-out"' in body and 'data-testid="calendar-provisional"' in body
    assert 'data-testid="provisional-days"' in body and "春节" in body
    assert reverse("governance:calendar-year", args=[2027]) not in body
    assert 'data-testid="calendar-runs-out"' not in clients["staff"].get(reverse("home")).content.decode()
    _enter_2027(admin_client)
    assert 'data-testid="calendar-runs-out"' not in admin_client.get(reverse("home")).content.decode()
