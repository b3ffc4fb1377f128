"""The dashboard's monitoring cards: each count equals the rows of the list it links to; 风险消除率 shows its
definition; the dashboard itself keeps its query budget (the cards load on their own)."""

import pytest
from django.urls import reverse

from tests.monitoring.factories import DAY, S, advance, open_case


@pytest.fixture
def cases(world, today):
    staff = world.users["staff"]
    made = [open_case(staff, grid=world.grid_a1, type_code=t) for t in ("edge", "unstable", "sudden", "edge")]
    advance(made[0], S.MONITORED, staff)
    advance(made[1], S.ELIMINATED, staff)
    advance(made[2], S.REJECTED, staff)
    open_case(staff, grid=world.grid_b1, found_on=today - 20 * DAY)  # overdue, in village B
    from monitoring.services import check_record

    check_record(case=made[0], by=staff, housing_grade="D")
    return made


def _list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


@pytest.mark.parametrize("who", ["staff", "village_cadre", "supervisor"])
def test_each_card_count_equals_its_list(world, clients, cases, who):
    client = clients[who]
    response = client.get(reverse("monitoring:cards"))
    cards = {c["key"]: c for c in response.context["cards"]}
    assert {"monitored", "new", "overdue", "problems", "elimination_rate"} <= set(cards)
    for card in cards.values():
        assert _list_count(client, card["url"]) == card["count"], (who, card["key"], card["url"])


def test_the_counts_and_the_rate_with_its_definition(world, clients, cases):
    response = clients["staff"].get(reverse("monitoring:cards"))
    cards = {c["key"]: c for c in response.context["cards"]}
    assert cards["monitored"]["count"] == 1
    assert cards["overdue"]["count"] == 1
    assert cards["problems"]["count"] == 1
    assert cards["elimination_rate"]["value"] == "50.0%"
    html = response.content.decode()
    assert "风险消除率＝标注风险已消除的户数÷累计纳入监测的户数" in html
    village = clients["village_cadre"].get(reverse("monitoring:cards")).context["cards"]
    assert {c["key"]: c["count"] for c in village}["overdue"] == 0


def test_household_heads_get_no_cards_and_the_dashboard_loads_them(world, clients, cases):
    assert clients["household_head"].get(reverse("monitoring:cards")).content == b""
    html = clients["staff"].get(reverse("dashboards:home")).content.decode()
    assert reverse("monitoring:cards") in html
