"""The scoping matrix for 排查 rounds (the rules of tests/governance/test_scoping_matrix.py, run here too)."""

import pytest
from django.urls import get_resolver, reverse

from casework.models import Campaign, Return
from tests.rounds import scoping
from tests.rounds.factories import make_round


def _url_names_with_arguments():
    for url_pattern in get_resolver().url_patterns:
        if getattr(url_pattern, "namespace", None) == "rounds":
            return {f"rounds:{p.name}" for p in url_pattern.url_patterns if p.pattern.converters}
    return set()


def test_every_url_with_arguments_has_a_matrix_entry(world):
    assert _url_names_with_arguments() == set(scoping.objects_in(world, world.village_b))


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_villages_and_another_townships_rounds_answer_404(world, clients, method):
    for name, kwargs in scoping.objects_in(world, world.village_b).items():
        url = reverse(name, kwargs=kwargs)
        for who in ("village_cadre", "grid_worker", "township_cadre", "household_head", "outsider"):
            assert getattr(clients[who], method)(url).status_code in (404, 405), (name, who, method)
        assert clients["village_cadre"].get(url).status_code == 404
        assert clients["staff"].get(url).status_code == 200, name


def test_in_scope_readers_read_and_only_the_villages_people_submit(world, clients):
    objects = scoping.objects_in(world, world.village_a)
    url = reverse("rounds:return", kwargs=objects["rounds:return"])
    for who in ("staff", "supervisor", "township_cadre"):
        assert clients[who].get(url).status_code == 200, who
        assert clients[who].post(url, {"checked_count": 5, "zero_report": "on"}).status_code == 403, who
    assert clients["household_head"].get(url).status_code == 404
    assert clients["grid_worker"].get(url).status_code == 404  # the village's own return is its cadres'
    assert clients["village_cadre"].post(url, {"checked_count": 5, "zero_report": "on"}).status_code == 302
    assert Return.objects.get(pk=objects["rounds:return"]["pk"]).submitted_by == world.users["village_cadre"]


def test_in_a_round_by_grid_each_grid_worker_fills_in_their_grids_return_only(world, clients):
    campaign = make_round(world, villages=[world.village_a], by_grid=True)
    mine, theirs = campaign.returns.get(grid=world.grid_a1), campaign.returns.get(grid=world.grid_a2)
    client = clients["grid_worker"]
    lines = client.get(campaign.get_absolute_url()).context["lines"]
    assert [line.pk for line in lines] == [mine.pk]
    assert client.get(reverse("rounds:return", kwargs={"pk": theirs.pk})).status_code == 404
    url = reverse("rounds:return", kwargs={"pk": mine.pk})
    assert client.post(url, {"checked_count": 12, "zero_report": "on"}).status_code == 302
    # The village's cadre may fill in or correct a grid's return of their village.
    assert clients["village_cadre"].post(url, {"checked_count": 13, "zero_report": "on"}).status_code == 302
    assert Return.objects.get(pk=mine.pk).corrected_by == world.users["village_cadre"]


def test_every_persona_sees_exactly_their_part(world):
    both = make_round(world)
    by_grid = make_round(world, villages=[world.village_a], by_grid=True, title="按网格")
    only_b = make_round(world, villages=[world.village_b], title="柳湾村")
    a = both.returns.get(village=world.village_a)
    b = both.returns.get(village=world.village_b)
    a1, a2 = by_grid.returns.get(grid=world.grid_a1), by_grid.returns.get(grid=world.grid_a2)
    b_only = only_b.returns.get()
    every = {a, b, a1, a2, b_only}
    expected = {
        "staff": every, "supervisor": every, "township_cadre": {a, a1, a2}, "village_cadre": {a, a1, a2},
        "village_cadre_b": {b, b_only}, "grid_worker": {a1}, "grid_worker_a2": {a2}, "household_head": set(),
        "outsider": set(),
    }
    for persona, returns in expected.items():
        user = world.users[persona]
        assert set(Return.objects.visible_to(user)) == returns, persona
        assert set(Campaign.objects.visible_to(user)) == {r.campaign for r in returns}, persona


def test_the_list_shows_each_role_its_rounds(world, clients):
    make_round(world, villages=[world.village_b], title="柳湾村十一月排查")
    make_round(world, villages=[world.village_a], title="桃源村十一月排查")
    assert "柳湾村十一月排查" in clients["staff"].get(reverse("rounds:list")).content.decode()
    body = clients["village_cadre"].get(reverse("rounds:list")).content.decode()
    assert "桃源村十一月排查" in body and "柳湾村十一月排查" not in body
    assert "十一月排查" not in clients["outsider"].get(reverse("rounds:list")).content.decode()
    assert clients["household_head"].get(reverse("rounds:list")).status_code == 403


def test_only_township_staff_create_rounds(world, clients):
    assert clients["staff"].get(reverse("rounds:create")).status_code == 200
    for who in ("supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head"):
        assert clients[who].get(reverse("rounds:create")).status_code == 403, who
        assert clients[who].post(reverse("rounds:create"), {}).status_code == 403, who
    assert reverse("rounds:create") not in clients["village_cadre"].get(reverse("rounds:list")).content.decode()
    assert reverse("rounds:create") in clients["staff"].get(reverse("rounds:list")).content.decode()


@pytest.mark.parametrize("name", ["rounds:detail", "rounds:sheet"])
def test_pages_answer_405_to_a_post(name, world, clients):
    kwargs = scoping.objects_in(world, world.village_a)[name]
    assert clients["staff"].post(reverse(name, kwargs=kwargs)).status_code == 405


def test_the_return_form_answers_405_to_other_methods(world, clients):
    kwargs = scoping.objects_in(world, world.village_a)["rounds:return"]
    assert clients["village_cadre"].put(reverse("rounds:return", kwargs=kwargs)).status_code == 405
