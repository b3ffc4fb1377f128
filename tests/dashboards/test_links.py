"""Every number links to the list that produces it, and that list shows the same count (its paginator's)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import HouseholdHeadFactory, tag_with

from .conftest import ON_TODAY

pytestmark = ON_TODAY


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


def _chart_points(charts: dict):
    for key, chart in charts.items():
        for point in chart.get("points", []):
            yield key, point
        for row in chart.get("rows", []):
            for cell in row["cells"]:
                yield key, cell


def _dashboard(client, query=""):
    response = client.get(reverse("dashboards:home") + query)
    assert response.status_code == 200
    return response.context["data"]


@pytest.mark.parametrize("who", ["staff", "supervisor", "village_cadre", "grid_worker"])
def test_every_card_leads_to_a_list_with_the_same_number_of_rows(world, township, clients, who):
    client = clients[who]
    data = _dashboard(client)
    assert len(data["cards"]) == 11
    for card in data["cards"]:
        assert _list_count(client, card["url"]) == card["count"], (who, card["key"], card["url"])


def test_every_chart_segment_leads_to_a_list_with_the_same_count(world, township, clients):
    client = clients["staff"]
    points = list(_chart_points(_dashboard(client)["charts"]))
    assert len(points) > 30
    for key, point in points:
        assert _list_count(client, point["url"]) == point["count"], (key, point["name"], point["url"])


ROLES = ["staff", "supervisor", "township_cadre", "village_cadre", "village_cadre_b", "grid_worker", "grid_worker_a2",
         "county_staff", "county_leader"]


@pytest.mark.parametrize("who", ROLES)
def test_every_figure_leads_to_a_list_with_the_same_count_for_every_role(world, county, township, clients, who):
    """#29 item 8: a village cadre who leads an overdue 包案 of another village counts it in 各村超期包案; the link
    behind that bar must find it too (it said 没有包案). Cards, chart segments and the board, every role."""
    from disputes.services import dispute_assign
    from tests.disputes.factories import DisputeFactory

    elsewhere = DisputeFactory(grid=world.grid_b1, title="新民村的包案")
    dispute_assign(dispute=elsewhere, by=world.users["staff"], lead=world.users["village_cadre"],
                   responsible_unit="镇综治中心", deadline=dt.date(2026, 11, 2))
    client = clients[who]
    data = _dashboard(client)
    figures = [(card["key"], card["url"], card["count"]) for card in data["cards"]]
    figures += [(key, point["url"], point["count"]) for key, point in _chart_points(data["charts"])]
    if data.get("board_url"):
        figures.append(("board", data["board_url"], data["board_total"]))
    assert figures
    for key, url, count in figures:
        assert _list_count(client, url) == count, (who, key, url)


def test_the_board_links_to_its_list(world, township, clients):
    client = clients["staff"]
    data = _dashboard(client)
    assert _list_count(client, data["board_url"]) == data["board_total"] == 3


def test_links_keep_the_chosen_grid_and_period(world, township, clients):
    client = clients["staff"]
    data = _dashboard(client, f"?village={world.village_a.pk}&grid={world.grid_a1.pk}&start=2026-01-01&end=2026-12-31")
    for card in data["cards"]:
        assert _list_count(client, card["url"]) == card["count"], (card["key"], card["url"])
    for key, point in _chart_points(data["charts"]):
        assert _list_count(client, point["url"]) == point["count"], (key, point["name"], point["url"])


def test_a_household_heads_cards_lead_to_their_lists(world, township, clients):
    for name in ("h1", "h3"):
        township.households[name].household_head = world.head_a1
        township.households[name].save()
    HouseholdHeadFactory(grid=world.grid_a1)
    data = _dashboard(clients["household_head"])
    assert [card["key"] for card in data["cards"]] == ["households", "coverage_30", "coverage_90", "not_visited",
                                                       "past_cadence"]
    for card in data["cards"]:
        assert _list_count(clients["household_head"], card["url"]) == card["count"], (card["key"], card["url"])


def test_past_cadence_counts_members_tags_and_the_tightest_cadence_as_the_list_does(world, township, clients):
    from households.figures import households_past_cadence
    from tests.factories import tag
    from tests.households.factories import ResidentFactory

    h = township.households
    tag_with(ResidentFactory(household=h["h7"]), tag("disabled"))  # a member, never visited: past
    tag_with(ResidentFactory(household=h["h6"]), tag("elderly-alone"))  # weekly, visited 10 days ago: past
    tag_with(h["h6"], tag("subsistence"))  # monthly: within, but the weekly one decides
    tag_with(h["h1"], tag("subsistence"))  # monthly, visited 5 days ago: within
    tag_with(h["h2"], tag("disabled"))  # monthly, visited 40 days ago: past
    tag_with(ResidentFactory(household=h["h5"]), tag("veteran"))  # no cadence
    card = next(c for c in _dashboard(clients["staff"])["cards"] if c["key"] == "past_cadence")
    assert card["count"] == 5  # h2, h3, h4, h6, h7
    assert households_past_cadence(world.users["staff"]).count() == 5
    assert _list_count(clients["staff"], card["url"]) == 5
