"""Each figure of the dashboard against a hand count of the small township (tests/dashboards/conftest.py)."""

import datetime as dt

import pytest

from dashboards import figures
from dashboards.figures import Filters
from dashboards.forms import default_start

from .conftest import ON_TODAY, TODAY

pytestmark = ON_TODAY

PERIOD = Filters(start=default_start(TODAY))


def _cards(data) -> dict:
    return {card["key"]: card for card in data["cards"]}


def _points(chart) -> dict:
    return {p["name"]: p["count"] for p in chart["points"]}


def test_the_default_period_is_the_last_twelve_months():
    assert default_start(TODAY) == dt.date(2025, 12, 1)
    assert default_start(dt.date(2026, 1, 31)) == dt.date(2025, 2, 1)
    assert default_start(dt.date(2026, 12, 1)) == dt.date(2026, 1, 1)


def test_the_cards_for_township_staff_equal_a_hand_count(world, township):
    cards = _cards(figures.dashboard(world.users["staff"], PERIOD))
    counts = {key: card["count"] for key, card in cards.items()}
    assert counts == {
        "open_disputes": 5, "open_petitions": 3, "overdue": 3, "supervised": 2,
        "success_rate": 3, "on_time_rate": 2, "returns_rate": 0,
        "coverage_30": 3, "coverage_90": 4, "not_visited": 3, "past_cadence": 2,
    }
    assert cards["success_rate"]["value"] == "75.0%"  # 3 succeeded of 4 ended in the period
    assert cards["on_time_rate"]["value"] == "66.7%"  # p1 and p4 on time, p2 unanswered past its date
    assert cards["coverage_30"]["value"] == "42.9%"  # 3 of 7
    assert cards["coverage_90"]["value"] == "57.1%"  # 4 of 7


def test_the_period_narrows_flow_figures_but_not_the_open_cases(world, township):
    cards = _cards(figures.dashboard(world.users["staff"], Filters(start=dt.date(2026, 10, 1))))
    # d3 and d5 succeeded, d4 is not mediated; p1 and p4 on time, p3 not yet due.
    assert (cards["success_rate"]["count"], cards["success_rate"]["value"]) == (2, "100.0%")
    assert (cards["on_time_rate"]["count"], cards["on_time_rate"]["value"]) == (2, "100.0%")
    assert (cards["open_disputes"]["count"], cards["overdue"]["count"], cards["coverage_90"]["count"]) == (5, 3, 4)
    everything = _cards(figures.dashboard(world.users["staff"], Filters()))
    assert everything["open_disputes"]["count"] == 5 and everything["success_rate"]["count"] == 3


def test_the_dispute_charts_count_by_type_level_and_month(world, township):
    charts = figures.dashboard(world.users["staff"], PERIOD)["charts"]
    by_value = {p["url"].split("kind=")[1].split("&")[0]: p["count"] for p in charts["disputes_kind"]["points"]}
    assert {k: v for k, v in by_value.items() if v} == {"neighbour": 3, "land": 1, "labour": 1}
    levels = {p["url"].split("level=")[1].split("&")[0]: p["count"] for p in charts["disputes_level"]["points"]}
    assert levels == {"village": 4, "township": 1, "county": 0}
    months = _points(charts["disputes_month"])
    assert list(months)[0] == "2025-12" and list(months)[-1] == "2026-11" and len(months) == 12
    assert (months["2026-09"], months["2026-10"], months["2026-11"]) == (2, 3, 0)


def test_the_petition_charts_count_by_channel_and_form(world, township):
    charts = figures.dashboard(world.users["staff"], PERIOD)["charts"]
    channels = {p["url"].split("channel=")[1].split("&")[0]: p["count"] for p in charts["petitions_channel"]["points"]}
    assert {k: v for k, v in channels.items() if v} == {"visit": 2, "letter": 1, "online": 1}
    forms = {p["url"].split("form=")[1].split("&")[0]: p["count"] for p in charts["petitions_form"]["points"]}
    assert forms == {"individual": 3, "collective": 1, "skip_level": 0, "repeat": 0, "first": 4}


def test_overdue_and_coverage_by_village_and_grid(world, township):
    charts = figures.dashboard(world.users["staff"], PERIOD)["charts"]
    assert _points(charts["overdue_village"]) == {"桃源村": 2, "柳湾村": 1}
    villages = {row["name"]: [(c["value"], c["count"]) for c in row["cells"]]
                for row in charts["coverage_village"]["rows"]}
    assert villages == {"桃源村": [(40.0, 2), (60.0, 3)], "柳湾村": [(50.0, 1), (50.0, 1)]}
    grids = [(row["name"], [(c["value"], c["count"]) for c in row["cells"]]) for row in charts["coverage_grid"]["rows"]]
    # The lowest coverage (90 days, then 30) first: B1 and A2 at 50%, then A1 (h1 and h2 of 3 in 90 days).
    assert grids == [("柳湾村 第一网格", [(50.0, 1), (50.0, 1)]), ("桃源村 第二网格", [(50.0, 1), (50.0, 1)]),
                     ("桃源村 第一网格", [(33.3, 1), (66.7, 2)])]


def test_the_dashboard_figures_rank_nobody_the_red_and_black_list_is_honours_published_lists(world, township):
    """The old unexplained ranking (a village black for "0.0% (0/1)") is gone: tests/honours test the published lists."""
    assert "rankings" not in figures.dashboard(world.users["staff"], PERIOD)


def test_the_overdue_board_lists_every_overdue_assignment_longest_first(world, township):
    data = figures.dashboard(world.users["staff"], PERIOD)
    board = [(row["case_label"][:2], row["days_overdue"], row["lead"], row["responsible_unit"]) for row in data["board"]]
    assert [(days, unit) for _label, days, _lead, unit in board] == [(96, "镇农业服务中心"), (19, "镇综治中心"),
                                                                     (10, "镇综治中心")]
    assert data["board_total"] == 3
    assert data["board"][1]["lead"] == str(world.users["supervisor"])
    assert data["board"][2]["supervision_level"] == "red"


@pytest.mark.parametrize("who", ["village_cadre", "township_cadre"])
def test_a_cadre_of_village_a_counts_only_village_a(world, township, who):
    data = figures.dashboard(world.users[who], PERIOD)
    counts = {card["key"]: card["count"] for card in data["cards"]}
    assert counts == {
        "open_disputes": 3, "open_petitions": 2, "overdue": 2, "supervised": 1,
        "success_rate": 2, "on_time_rate": 1, "returns_rate": 0,
        "coverage_30": 2, "coverage_90": 3, "not_visited": 2, "past_cadence": 2,
    }
    assert _points(data["charts"]["overdue_village"]) == {"桃源村": 2}
    assert [row["name"] for row in data["charts"]["coverage_village"]["rows"]] == ["桃源村"]


def test_a_grid_narrows_disputes_and_households_to_the_grid_and_cases_to_its_village(world, township):
    f = Filters(start=default_start(TODAY), village=world.village_a.pk, grid=world.grid_a1.pk)
    counts = {card["key"]: card["count"] for card in figures.dashboard(world.users["staff"], f)["cards"]}
    # Grid A1: d2 open, d1 and d2 ended (d1 succeeded); h1–h3. Petitions and assignments: village A.
    assert counts == {
        "open_disputes": 1, "open_petitions": 2, "overdue": 2, "supervised": 1,
        "success_rate": 1, "on_time_rate": 1, "returns_rate": 0,
        "coverage_30": 1, "coverage_90": 2, "not_visited": 1, "past_cadence": 1,
    }


def test_a_household_head_sees_the_households_linked_to_them_only(world, township):
    h = township.households
    for name in ("h1", "h3"):
        h[name].household_head = world.head_a1
        h[name].save()
    data = figures.dashboard(world.users["household_head"], Filters())
    assert data["personal"] and not data["charts"] and not data["board"]
    counts = {card["key"]: card["count"] for card in data["cards"]}
    assert counts == {"households": 2, "coverage_30": 1, "coverage_90": 1, "not_visited": 1, "past_cadence": 1}


def test_another_township_sees_none_of_it(world, township):
    counts = {card["key"]: card["count"] for card in figures.dashboard(world.users["outsider"], PERIOD)["cards"]}
    assert counts["open_disputes"] == 1 and counts["open_petitions"] == 1 and counts["coverage_30"] == 1
    assert counts["overdue"] == 0 and counts["past_cadence"] == 0
