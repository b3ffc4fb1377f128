"""排查任务按时上报率 on the dashboard: the returns in on time of those due, linked to the list with the same count."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from casework import figures, rounds
from tests.rounds.factories import make_round


@pytest.fixture(autouse=True)
def _cold_cache():
    cache.clear()
    yield
    cache.clear()


def _card(client, key):
    data = client.get(reverse("dashboards:home")).context["data"]
    return next(card for card in data["cards"] if card["key"] == key)


def _list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


def test_the_on_time_rate_counts_returns_in_on_time_of_those_due(world, clients, today):
    past = make_round(world, returns_due=today - dt.timedelta(days=1))  # A silent, B late, …
    rounds.return_submit(ret=past.returns.get(village=world.village_b), by=world.users["village_cadre_b"],
                         checked_count=20, zero_report=True)
    early = make_round(world, returns_due=today + dt.timedelta(days=5), title="下一轮")  # … A in early, B not due
    rounds.return_submit(ret=early.returns.get(village=world.village_a), by=world.users["village_cadre"],
                         checked_count=20, zero_report=True)
    assert figures.summary(world.users["staff"], today=today)["returns_due"] == 3
    card = _card(clients["staff"], "returns_rate")
    assert (card["count"], card["value"]) == (1, "33.3%")
    assert _list_count(clients["staff"], card["url"]) == 1
    assert _list_count(clients["staff"], reverse("dashboards:assignments") + "?case=return&state=due") == 3
    # A village cadre of village A: their silent return and their early one.
    card = _card(clients["village_cadre"], "returns_rate")
    assert (card["count"], card["value"]) == (1, "50.0%")
    assert _list_count(clients["village_cadre"], card["url"]) == 1


def test_a_silent_village_is_on_the_overdue_board(world, clients, today):
    make_round(world, villages=[world.village_a], returns_due=today - dt.timedelta(days=2))
    board = clients["staff"].get(reverse("dashboards:home")).context["data"]["board"]
    assert [(row["case_label"], row["days_overdue"]) for row in board] == [("11月下半月矛盾纠纷排查 · 桃源村", 2)]
