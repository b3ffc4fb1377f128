"""The scoping matrix for disputes (the same rules as tests/governance/test_scoping_matrix.py, run here too):
every URL with arguments answers 404 to the cadre of another village and to another township, never to staff."""

import pytest
from django.urls import get_resolver, reverse

from disputes.models import Dispute
from tests.disputes import scoping
from tests.disputes.factories import DisputeFactory


def _dispute_url_names_with_arguments():
    resolver = get_resolver()
    names = set()
    for url_pattern in resolver.url_patterns:
        if getattr(url_pattern, "namespace", None) == "disputes":
            for p in url_pattern.url_patterns:
                if p.pattern.converters:
                    names.add(f"disputes:{p.name}")
    return names


def test_every_url_with_arguments_has_a_matrix_entry(world):
    assert _dispute_url_names_with_arguments() == set(scoping.objects_in(world, world.village_b))


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_matrix(world, clients, method):
    for name, kwargs in scoping.objects_in(world, world.village_b).items():
        url = reverse(name, kwargs=kwargs)
        assert getattr(clients["village_cadre"], method)(url).status_code == 404, (name, method)
        assert getattr(clients["outsider"], method)(url).status_code == 404, (name, method)
        assert getattr(clients["grid_worker"], method)(url).status_code == 404, (name, method)
        assert getattr(clients["household_head"], method)(url).status_code == 404, (name, method)
    for name, kwargs in scoping.objects_in(world, world.village_b).items():
        url = reverse(name, kwargs=kwargs)
        assert getattr(clients["staff"], method)(url).status_code != 404, (name, method)


def test_list_urls_show_none_of_another_villages_rows(world, clients):
    theirs = DisputeFactory(grid=world.grid_b1)
    for name in scoping.LIST_URLS:
        body = clients["village_cadre"].get(reverse(name), {"village": world.village_b.pk}).content.decode()
        assert theirs.number not in body
        assert theirs.number in clients["staff"].get(reverse(name), {"village": world.village_b.pk}).content.decode()


def test_every_persona_sees_exactly_their_part(world):
    a1 = DisputeFactory(grid=world.grid_a1)
    a2 = DisputeFactory(grid=world.grid_a2)
    b1 = DisputeFactory(grid=world.grid_b1)
    expected = {
        "staff": {a1, a2, b1}, "supervisor": {a1, a2, b1}, "township_cadre": {a1, a2}, "village_cadre": {a1, a2},
        "village_cadre_b": {b1}, "grid_worker": {a1}, "household_head": set(), "outsider": set(),
    }
    for persona, disputes in expected.items():
        assert set(Dispute.objects.visible_to(world.users[persona])) == disputes, persona
