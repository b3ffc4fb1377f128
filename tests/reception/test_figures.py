"""Each dashboard figure of the rota equals the rows of the list it links to."""

import datetime as dt

import pytest
from django.urls import reverse

from reception import figures, services
from reception.models import Session

from .factories import LeaderFactory, SessionFactory

D = dt.date
pytestmark = pytest.mark.today("2026-11-20")


def test_figures_equal_their_lists(world, clients):
    leader = LeaderFactory(township=world.township)
    for day, status in ((D(2026, 11, 16), Session.Status.HELD), (D(2026, 11, 18), Session.Status.MISSED),
                        (D(2026, 11, 9), Session.Status.MISSED), (D(2026, 11, 23), Session.Status.SCHEDULED)):
        SessionFactory(township=world.township, date=day, leaders=[leader], status=status)
    session = Session.objects.get(date=D(2026, 11, 16))
    staff = world.users["staff"]
    late = services.reception_record(session=session, by=staff, visitor_name="甲", request="一")
    services.reception_refer(reception=late, by=staff, lead=staff, unit="建设办", deadline=D(2026, 11, 20))
    other = services.reception_record(session=session, by=staff, visitor_name="乙", request="二")
    services.reception_refer(reception=other, by=staff, lead=staff, unit="建设办", deadline=D(2026, 11, 27))
    late_assignment = late.pk
    from casework.models import ResponsibilityAssignment

    ResponsibilityAssignment.objects.filter(case_id=late_assignment).update(deadline=D(2026, 11, 19))
    found = figures.figures(staff, D(2026, 11, 20))
    assert {k: v["count"] for k, v in found.items()} == {
        "week_sessions": 2, "missed_sessions": 2, "overdue_referrals": 1, "awaiting_outcome": 0}
    client = clients["staff"]
    week = client.get(found["week_sessions"]["url"]).context
    assert len(week["sessions"]) == 2
    assert len(client.get(found["missed_sessions"]["url"]).context["missed"]) == 2
    assert [r.pk for r in client.get(found["overdue_referrals"]["url"]).context["object_list"]] == [late.pk]
    assert figures.figures(world.users["outsider"], D(2026, 11, 20))["missed_sessions"]["count"] == 0


@pytest.mark.parametrize("persona", ["staff", "supervisor", "township_cadre", "village_cadre", "grid_worker",
                                     "county_staff", "county_leader"])
def test_the_dashboard_cards_equal_the_lists_they_open_for_each_role(world, county, clients, persona):
    leader = LeaderFactory(township=world.township, user=world.users["supervisor"])
    for day, status in ((D(2026, 11, 16), Session.Status.HELD), (D(2026, 11, 18), Session.Status.MISSED),
                        (D(2026, 11, 9), Session.Status.MISSED)):
        SessionFactory(township=world.township, date=day, leaders=[leader], status=status)
    session = Session.objects.get(date=D(2026, 11, 16))
    staff = world.users["staff"]
    for village, unit in ((world.village_a, "建设办"), (world.village_b, "农业办"), (None, "司法所")):
        walk_in = services.reception_record(session=session, by=staff, visitor_name="甲", request="一", village=village)
        services.reception_refer(reception=walk_in, by=staff, lead=staff, unit=unit, deadline=D(2026, 11, 20))
    from casework.models import ResponsibilityAssignment

    ResponsibilityAssignment.objects.update(deadline=D(2026, 11, 19))
    services.reception_record(session=session, by=staff, visitor_name="乙", request="二", village=world.village_a)
    client = clients[persona]
    response = client.get(reverse("reception:cards"))
    cards = {c["key"]: c for c in response.context["cards"]}
    assert set(cards) == {"week_sessions", "missed_sessions", "overdue_referrals", "awaiting_outcome"}
    assert len(client.get(cards["week_sessions"]["url"]).context["sessions"]) == cards["week_sessions"]["count"]
    assert len(client.get(cards["missed_sessions"]["url"]).context["missed"]) == cards["missed_sessions"]["count"]
    rows = client.get(cards["overdue_referrals"]["url"]).context["object_list"]
    assert len(rows) == cards["overdue_referrals"]["count"]
    waiting = client.get(cards["awaiting_outcome"]["url"]).context["object_list"]
    assert len(waiting) == cards["awaiting_outcome"]["count"]
    if persona in ("staff", "supervisor"):
        assert (cards["missed_sessions"]["count"], cards["overdue_referrals"]["count"]) == (2, 3)
        assert cards["awaiting_outcome"]["count"] == 1
    if persona == "village_cadre":
        assert (cards["overdue_referrals"]["count"], cards["awaiting_outcome"]["count"]) == (1, 1)


def test_the_dashboard_loads_the_cards_and_household_heads_get_none(world, clients):
    assert reverse("reception:cards") in clients["staff"].get(reverse("dashboards:home")).content.decode()
    assert clients["household_head"].get(reverse("reception:cards")).content == b""


def test_a_walk_in_without_an_outcome_is_late_after_the_next_working_day(world):
    leader = LeaderFactory(township=world.township)
    friday = SessionFactory(township=world.township, date=D(2026, 11, 13), leaders=[leader])
    services.reception_record(session=friday, by=world.users["staff"], visitor_name="甲", request="一")
    staff = world.users["staff"]
    assert figures.awaiting_outcome(staff, D(2026, 11, 16)).count() == 0  # Monday: the next working day
    assert figures.awaiting_outcome(staff, D(2026, 11, 17)).count() == 1  # Tuesday: late
    assert figures.figures(staff, D(2026, 11, 17))["awaiting_outcome"]["count"] == 1
