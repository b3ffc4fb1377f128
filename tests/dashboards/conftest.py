"""A small township whose every figure can be counted by hand (see ``township`` below), on 2026-11-20."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from disputes.models import Dispute
from disputes.services import dispute_assign, dispute_supervise
from petitions.models import Petition
from tests.disputes.factories import DisputeFactory, advance
from tests.factories import GridFactory, HouseholdFactory, VillageFactory, VisitFactory, tag, tag_with
from tests.petitions.factories import advance as advance_petition
from tests.petitions.factories import assign, outsider, register

TODAY = dt.date(2026, 11, 20)
S, L = Dispute.Status, Dispute.Level


#: The dashboard tests count figures by hand for TODAY: each module runs on it (tests/conftest.py).
ON_TODAY = pytest.mark.today(TODAY, tick=False)


@pytest.fixture(autouse=True)
def _cold_cache():
    """Every test starts with an empty cache: figures cached by another test never leak in."""
    cache.clear()
    yield
    cache.clear()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@dataclass
class Township:
    disputes: dict
    petitions: dict
    households: dict


def dispute(grid, registered_on, *, kind="neighbour", to=None, failure=False, by):
    d = DisputeFactory(grid=grid, registered_on=registered_on, kind=kind)
    if to:
        advance(d, to, by, failure=failure)
    return d


@pytest.fixture
def township(world) -> Township:
    return build_township(world)


def build_township(world) -> Township:
    """Hand counts (the default period is 2025-12-01 to today):

    Disputes: d1 A1 closed (success), d2 A1 failed, d3 A2 township level succeeded, d4 A2 labour registered (包案
    overdue since 11-10, red card), d5 B1 succeeded (包案 due 12-01, yellow card), d6 B1 family, registered 2025-06-01
    (before the period), open (包案 overdue since 11-01). Open: d2–d6 = 5; in the period 5, ended 4, succeeded 3.
    Petitions: p1 A visit replied on time; p2 A letter received 08-01, unanswered (late; 包案 overdue since 08-16);
    p3 B online, six people, fresh; p4 B visit closed out (on time). Open 3; on time 2, late 1.
    Households: A1 h1 (visited 5 days ago), h2 (40 days ago), h3 (never; lives alone: past its weekly cadence);
    A2 h4 (100 days ago; subsistence: past its monthly cadence), h5 (today); B1 h6 (10 days ago), h7 (never).
    Seven households, visited in 30 days 3, in 90 days 4, past the cadence 2.
    The other township has a dispute, a petition and a household that must never be counted.
    """
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    a1, a2, b1 = world.grid_a1, world.grid_a2, world.grid_b1
    d = {
        "d1": dispute(a1, dt.date(2026, 9, 3), to=S.CLOSED, by=staff),
        "d2": dispute(a1, dt.date(2026, 9, 20), to=S.FAILED, failure=True, by=staff),
        "d3": DisputeFactory(grid=a2, registered_on=dt.date(2026, 10, 5), kind="land"),
        "d4": dispute(a2, dt.date(2026, 10, 6), kind="labour", by=staff),
        "d5": dispute(b1, dt.date(2026, 10, 9), to=S.SUCCEEDED, by=staff),
        "d6": dispute(b1, dt.date(2025, 6, 1), kind="family", by=staff),
    }
    d["d3"].change_level(by=staff, to_level=L.TOWNSHIP, reason="上交", handler=staff)
    advance(d["d3"], S.SUCCEEDED, staff)
    for name, deadline, card in (("d4", dt.date(2026, 11, 10), "red"), ("d5", dt.date(2026, 12, 1), "yellow"),
                                 ("d6", dt.date(2026, 11, 1), "")):
        dispute_assign(dispute=d[name], by=staff, lead=supervisor, responsible_unit="镇综治中心", deadline=deadline)
        if card:
            dispute_supervise(dispute=d[name], by=supervisor, level=card, comment="限期化解")

    p = {
        "p1": register(by=staff, village=world.village_a, received_on=dt.date(2026, 10, 20), petitioners=[outsider()]),
        "p2": register(by=staff, village=world.village_a, received_on=dt.date(2026, 8, 1),
                       channel=Petition.Channel.LETTER, petitioners=[outsider()]),
        "p3": register(by=staff, village=world.village_b, received_on=dt.date(2026, 11, 10), head_count=6,
                       channel=Petition.Channel.ONLINE, petitioners=[outsider()]),
        "p4": register(by=staff, village=world.village_b, received_on=dt.date(2026, 10, 1), petitioners=[outsider()]),
    }
    advance_petition(p["p1"], Petition.Status.REPLIED, staff=staff, supervisor=supervisor)
    assign(p["p2"], by=staff, lead=staff, deadline=dt.date(2026, 8, 16))
    advance_petition(p["p4"], Petition.Status.CLOSED, staff=staff, supervisor=supervisor)

    h = {name: HouseholdFactory(grid=grid, head_name=f"测试户{name}")
         for name, grid in (("h1", a1), ("h2", a1), ("h3", a1), ("h4", a2), ("h5", a2), ("h6", b1), ("h7", b1))}
    for name, days in (("h1", 5), ("h2", 40), ("h4", 100), ("h5", 0), ("h6", 10)):
        VisitFactory(grid=h[name].grid, households=[h[name]], visited_on=ago(days))
    tag_with(h["h3"], tag("elderly-alone"))
    tag_with(h["h4"], tag("subsistence"))

    elsewhere = GridFactory(village=VillageFactory(township=world.other_township))
    DisputeFactory(grid=elsewhere, registered_on=dt.date(2026, 10, 1))
    register(by=world.users["outsider"], village=elsewhere.village, received_on=dt.date(2026, 10, 1),
             petitioners=[outsider()])
    VisitFactory(grid=elsewhere, households=[HouseholdFactory(grid=elsewhere)], visited_on=ago(1))
    return Township(d, p, h)
