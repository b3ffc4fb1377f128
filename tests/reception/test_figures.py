"""Each dashboard figure of the rota equals the rows of the list it links to."""

import datetime as dt

import pytest

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
        "week_sessions": 2, "missed_sessions": 2, "overdue_referrals": 1}
    client = clients["staff"]
    week = client.get(found["week_sessions"]["url"]).context
    assert len(week["sessions"]) == 2
    assert len(client.get(found["missed_sessions"]["url"]).context["missed"]) == 2
    assert [r.pk for r in client.get(found["overdue_referrals"]["url"]).context["object_list"]] == [late.pk]
    assert figures.figures(world.users["outsider"], D(2026, 11, 20))["missed_sessions"]["count"] == 0
