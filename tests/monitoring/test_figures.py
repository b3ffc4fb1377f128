"""The dashboard's monitoring cards: each count equals the rows of the list it links to; 风险消除率 shows its
definition; the dashboard itself keeps its query budget (the cards load on their own)."""

import pytest
from django.urls import reverse

from tests.monitoring.factories import DAY, S, advance, category, open_case


@pytest.fixture
def cases(world, today):
    staff = world.users["staff"]
    made = [open_case(staff, grid=world.grid_a1, type_code=t) for t in ("edge", "unstable", "sudden", "edge")]
    advance(made[0], S.MONITORED, staff)
    advance(made[1], S.ELIMINATED, staff)
    advance(made[2], S.REJECTED, staff)
    overdue = open_case(staff, grid=world.grid_b1, found_on=today - 20 * DAY)  # overdue, in village B
    from monitoring.services import check_record

    check_record(case=made[0], by=staff, housing_grade="D")
    # The plan of the monitored case: on time, late, open past its date, not due yet; and one from last year.
    for planned, done in ((-30, -31), (-20, -10), (-5, None), (10, None), (-400, -400)):
        made[0].measures.create(category=category(), what="护林员岗位", owner_name="村委会",
                                planned_on=today + planned * DAY, done_on=today + done * DAY if done else None)
    overdue.measures.create(category=category(), what="雨露计划", planned_on=today - 3 * DAY, done_on=today - 3 * DAY)
    return made


def _list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


@pytest.mark.parametrize("who", ["staff", "village_cadre", "township_cadre", "supervisor"])
def test_each_card_count_equals_its_list(world, clients, cases, who):
    client = clients[who]
    response = client.get(reverse("monitoring:cards"))
    cards = {c["key"]: c for c in response.context["cards"]}
    assert {"monitored", "new", "overdue", "problems", "elimination_rate", "measures_on_time"} <= set(cards)
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


@pytest.mark.today("2026-11-20")
def test_measures_done_on_time_this_year_and_the_late_ones_listed(world, clients, cases):
    cards = {c["key"]: c for c in clients["staff"].get(reverse("monitoring:cards")).context["cards"]}
    card = cards["measures_on_time"]
    assert card["count"] == 2 and card["value"] == "50.0%" and "逾期 2 项" in card["hint"]
    late = card["url"].replace("timing=on_time", "timing=late")
    assert _list_count(clients["staff"], late) == 2
    assert _list_count(clients["village_cadre"], late) == 2
    village = {c["key"]: c for c in clients["village_cadre"].get(reverse("monitoring:cards")).context["cards"]}
    assert village["measures_on_time"]["count"] == 1 and village["measures_on_time"]["value"] == "33.3%"
    page = clients["staff"].get(late).content.decode()
    assert "护林员岗位" not in page  # what a measure gives is a detail: on the case, after a logged reveal


def test_grid_workers_and_household_heads_have_no_measures_card_or_list(world, clients, cases):
    cards = {c["key"] for c in clients["grid_worker"].get(reverse("monitoring:cards")).context["cards"]}
    assert "measures_on_time" not in cards
    for who in ("grid_worker", "household_head"):
        assert clients[who].get(reverse("monitoring:measures")).status_code == 403
