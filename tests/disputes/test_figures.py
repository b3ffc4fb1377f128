"""Figures: counts, mediation success rate and the share resolved at village level, in SQL and scoped."""

import datetime as dt

from disputes import figures
from disputes.models import Dispute
from tests.disputes.factories import DisputeFactory, advance

S, L = Dispute.Status, Dispute.Level


def _make(world):
    staff = world.users["staff"]
    a1 = advance(DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 9, 3)), S.CLOSED, staff)
    a2 = advance(DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 9, 20)), S.FAILED, staff)
    a3 = DisputeFactory(grid=world.grid_a2, registered_on=dt.date(2026, 10, 5))
    a3.change_level(by=staff, to_level=L.TOWNSHIP, reason="上交", handler=staff)
    advance(a3, S.SUCCEEDED, staff)
    DisputeFactory(grid=world.grid_a2, registered_on=dt.date(2026, 10, 6), kind="labour")  # still registered
    b1 = advance(DisputeFactory(grid=world.grid_b1, registered_on=dt.date(2026, 10, 9)), S.SUCCEEDED, staff)
    return a1, a2, a3, b1


def test_success_rate_and_village_share_for_the_township(world):
    _make(world)
    s = figures.summary(world.users["staff"])
    assert (s["total"], s["ended"], s["succeeded"], s["village_resolved"]) == (5, 4, 3, 2)
    assert s["success_rate"] == 0.75
    assert abs(s["village_share"] - 2 / 3) < 1e-9


def test_rates_per_village_and_month_are_computed_in_sql(world, django_assert_num_queries):
    _make(world)
    # One query for the figures, whatever the number of disputes, after the one that finds the cases the user
    # answers for outside their township (scoping.widened_by_answered_cases).
    with django_assert_num_queries(2):
        rows = figures.rates_by_village(world.users["staff"])
    by_name = {r["name"]: r for r in rows}
    a = by_name[world.village_a.name]
    assert (a["total"], a["ended"], a["succeeded"], a["village_resolved"]) == (4, 3, 2, 1)
    assert abs(a["success_rate"] - 2 / 3) < 1e-9 and a["village_share"] == 0.5
    assert by_name[world.village_b.name]["success_rate"] == 1.0
    months = figures.rates_by_month(world.users["staff"], start=dt.date(2026, 10, 1))
    assert [(m["month"], m["total"], m["success_rate"]) for m in months] == [(dt.date(2026, 10, 1), 3, 1.0)]


def test_figures_are_scoped_and_divide_by_nothing_as_none(world):
    _make(world)
    cadre = figures.summary(world.users["village_cadre"])
    assert cadre["total"] == 4
    assert [r["name"] for r in figures.rates_by_village(world.users["village_cadre"])] == [world.village_a.name]
    empty = figures.summary(world.users["outsider"])
    assert empty["total"] == 0 and empty["success_rate"] is None
    counts = {r["value"]: r["count"] for r in figures.counts_by_kind(world.users["staff"])}
    assert counts == {"neighbour": 4, "labour": 1}
    assert {r["value"]: r["count"] for r in figures.counts_by_level(world.users["staff"])} == {"village": 4,
                                                                                                "township": 1}
    assert sum(r["count"] for r in figures.counts_by_month(world.users["staff"])) == 5
    assert sum(r["count"] for r in figures.counts_by_village(world.users["staff"])) == 5


def test_the_figures_page_shows_the_rates(world, clients):
    _make(world)
    body = clients["staff"].get("/disputes/figures/").content.decode()
    assert "75.0%" in body
    assert clients["village_cadre_b"].get("/disputes/figures/").status_code == 200
