"""The rota: sessions generated from rules (weekly, monthly moved past holidays, lunar and solar market days),
swaps at least N days ahead, check-in by the leader, missed sessions flagged. Dates are counted by hand."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.cases import TransitionError
from governance.workdays import WorkCalendar
from reception.models import Rule, Session, Swap

from .factories import LeaderFactory, RuleFactory, SessionFactory

D = dt.date
# A calendar held in the test: 国庆 2026 from 1 to 7 October, no other exception; no provisional year.
NATIONAL_DAY = {D(2026, 10, n): "holiday" for n in range(1, 8)}
CALENDAR = WorkCalendar(NATIONAL_DAY, last_confirmed=2099)


def rule(**kwargs):
    return Rule(**kwargs)


def test_weekly_on_mondays_skips_a_holiday():
    weekly = rule(kind=Rule.Kind.WEEKLY, weekday=0)
    assert weekly.dates_between(D(2026, 9, 28), D(2026, 10, 31), CALENDAR) == [
        D(2026, 9, 28), D(2026, 10, 12), D(2026, 10, 19), D(2026, 10, 26),  # 5 October is 国庆
    ]


def test_monthly_on_the_first_moves_past_the_holiday_and_the_weekend():
    monthly = rule(kind=Rule.Kind.MONTHLY, day_of_month=1)
    assert monthly.dates_between(D(2026, 9, 1), D(2026, 11, 30), CALENDAR) == [
        D(2026, 9, 1),  # a Tuesday
        D(2026, 10, 8),  # 1–7 October is 国庆
        D(2026, 11, 2),  # 1 November is a Sunday
    ]


def test_monthly_on_the_31st_falls_on_the_last_day_of_a_short_month():
    monthly = rule(kind=Rule.Kind.MONTHLY, day_of_month=31)
    assert monthly.dates_between(D(2026, 11, 1), D(2026, 11, 30), CALENDAR) == [D(2026, 11, 30)]


def test_lunar_market_days_san_liu_jiu():
    """逢三六九 on the lunar calendar: 正月初一 of 2026 is 17 February."""
    market = rule(kind=Rule.Kind.MARKET, market_digits="3,6,9", lunar=True, skip_holidays=False)
    assert market.dates_between(D(2026, 2, 17), D(2026, 3, 2), CALENDAR) == [
        D(2026, 2, 19), D(2026, 2, 22), D(2026, 2, 25),  # 初三, 初六, 初九
        D(2026, 3, 1),  # 十三
    ]


def test_solar_market_days():
    market = rule(kind=Rule.Kind.MARKET, market_digits="3，6，9", lunar=False, skip_holidays=False)
    assert market.dates_between(D(2026, 11, 1), D(2026, 11, 13), CALENDAR) == [
        D(2026, 11, 3), D(2026, 11, 6), D(2026, 11, 9), D(2026, 11, 13),
    ]


def test_generate_makes_sessions_with_the_rule_leaders_once(world):
    leaders = [LeaderFactory(township=world.township), LeaderFactory(township=world.township)]
    weekly = RuleFactory(township=world.township, weekday=0, leaders=leaders, units="派出所、司法所")
    made = weekly.generate(D(2026, 11, 1), D(2026, 11, 30), CALENDAR)
    assert [s.date for s in made] == [D(2026, 11, n) for n in (2, 9, 16, 23, 30)]
    assert set(made[0].leaders.all()) == set(leaders)
    assert made[0].units == "派出所、司法所"
    assert weekly.generate(D(2026, 11, 1), D(2026, 11, 30), CALENDAR) == []
    assert Session.objects.filter(rule=weekly).count() == 5


@pytest.fixture
def duty(world):
    """A leader with a login on duty, another one free."""
    user = world.users["supervisor"]
    on_duty = LeaderFactory(township=world.township, user=user, name="张书记", post="党委书记")
    free = LeaderFactory(township=world.township, name="李镇长", post="镇长")
    return on_duty, free


@pytest.mark.today("2026-11-20")
def test_a_swap_too_late_is_refused(world, duty, settings):
    settings.RECEPTION_SWAP_DAYS_AHEAD = 5
    on_duty, free = duty
    session = SessionFactory(township=world.township, date=D(2026, 11, 23), leaders=[on_duty])
    with pytest.raises(TransitionError, match="at least 5 days|至少提前 5 天"):
        session.swap(from_leader=on_duty, to_leader=free, by=world.users["staff"], reason="出差",
                     today=D(2026, 11, 20))
    assert list(session.leaders.all()) == [on_duty]
    assert not Swap.objects.exists()


@pytest.mark.today("2026-11-20")
def test_a_swap_in_time_is_recorded_through_the_page(world, duty, clients):
    on_duty, free = duty
    session = SessionFactory(township=world.township, date=D(2026, 11, 30), leaders=[on_duty])
    url = reverse("reception:swap", args=[session.pk])
    response = clients["staff"].post(url, {"from_leader": on_duty.pk, "to_leader": free.pk, "reason": "上级会议"},
                                     follow=True)
    assert "上级会议" in response.content.decode()
    assert list(session.leaders.all()) == [free]
    swap = Swap.objects.get()
    assert (swap.from_leader, swap.to_leader, swap.by) == (on_duty, free, world.users["staff"])


@pytest.mark.today("2026-11-20")
def test_a_late_swap_through_the_page_shows_why(world, duty, clients):
    on_duty, free = duty
    session = SessionFactory(township=world.township, date=D(2026, 11, 21), leaders=[on_duty])
    response = clients["staff"].post(reverse("reception:swap", args=[session.pk]),
                                     {"from_leader": on_duty.pk, "to_leader": free.pk, "reason": "出差"}, follow=True)
    assert response.status_code == 200
    assert "at least 5 days" in response.content.decode() or "至少" in response.content.decode()
    assert list(session.leaders.all()) == [on_duty]


@pytest.mark.today("2026-11-20")
def test_the_leader_checks_in_on_the_day(world, duty, clients):
    on_duty, _ = duty
    session = SessionFactory(township=world.township, date=D(2026, 11, 20), leaders=[on_duty])
    page = clients["supervisor"].get(reverse("reception:rota"))
    assert 'data-testid="check-in"' in page.content.decode()
    clients["supervisor"].post(reverse("reception:check-in", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert session.checked_in_by == on_duty
    assert session.checked_in_at is not None


@pytest.mark.today("2026-11-20")
def test_only_a_leader_on_duty_checks_in_and_only_on_the_day(world, duty, clients):
    on_duty, _ = duty
    session = SessionFactory(township=world.township, date=D(2026, 11, 20), leaders=[on_duty])
    assert clients["staff"].post(reverse("reception:check-in", args=[session.pk])).status_code == 403
    assert clients["outsider"].post(reverse("reception:check-in", args=[session.pk])).status_code == 404
    later = SessionFactory(township=world.township, date=D(2026, 11, 27), leaders=[on_duty])
    with pytest.raises(TransitionError):
        later.check_in(world.users["supervisor"])
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


@pytest.mark.today("2026-11-20")
def test_past_sessions_without_check_in_are_flagged_missed(world, duty, clients):
    on_duty, _ = duty
    missed = SessionFactory(township=world.township, date=D(2026, 11, 16), leaders=[on_duty])
    held = SessionFactory(township=world.township, date=D(2026, 11, 17), leaders=[on_duty],
                          status=Session.Status.HELD)
    todays = SessionFactory(township=world.township, date=D(2026, 11, 20), leaders=[on_duty])
    assert Session.flag_missed(D(2026, 11, 20)) == 1
    statuses = dict(Session.objects.values_list("pk", "status"))
    assert statuses == {missed.pk: "missed", held.pk: "held", todays.pk: "scheduled"}
    page = clients["staff"].get(reverse("reception:rota")).content.decode()
    assert page.count('data-testid="missed"') == 2  # in this week's rota and in the missed list


def test_another_township_does_not_see_the_session(world, duty, clients):
    on_duty, _ = duty
    session = SessionFactory(township=world.township, leaders=[on_duty])
    assert clients["outsider"].get(reverse("reception:session-detail", args=[session.pk])).status_code == 404
    assert clients["staff"].get(reverse("reception:session-detail", args=[session.pk])).status_code == 200


def test_village_roles_do_not_reach_the_session_but_the_leader_on_duty_does(world, clients):
    cadre = world.users["township_cadre"]
    leader = LeaderFactory(township=world.township, user=cadre)
    session = SessionFactory(township=world.township, leaders=[leader])
    assert clients["village_cadre"].get(reverse("reception:session-detail", args=[session.pk])).status_code == 404
    assert clients["township_cadre"].get(reverse("reception:session-detail", args=[session.pk])).status_code == 200
