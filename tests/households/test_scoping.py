"""The scoping matrix for the households URLs, as tests/governance/test_scoping_matrix.py will run it, and the
read-only 403 and wrong-method 405 of every view."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from households.models import Household
from tests.factories import HouseholdFactory, VisitFactory, tag, tag_with
from tests.households import scoping
from tests.households.factories import DemandFactory


def _households_url_names_with_arguments() -> set[str]:
    names = set()
    _prefix, sub = get_resolver().namespace_dict["households"]
    for pattern in sub.url_patterns:
        if isinstance(pattern, URLPattern) and pattern.pattern.regex.groups:
            names.add(f"households:{pattern.name}")
    return names


def test_every_households_url_with_arguments_has_a_matrix_entry(world):
    entries = scoping.objects_in(world, world.village_a)
    assert set(entries) == _households_url_names_with_arguments()


def test_every_list_url_exists_and_takes_a_village(world, clients):
    for name in scoping.LIST_URLS:
        assert clients["staff"].get(reverse(name), {"village": world.village_a.pk}).status_code == 200


def test_village_cadre_of_a_gets_404_for_every_object_of_village_b(world, clients):
    entries = scoping.objects_in(world, world.village_b)
    for name, kwargs in entries.items():
        url = reverse(name, kwargs=kwargs)
        assert clients["village_cadre"].get(url).status_code == 404, name
        assert clients["village_cadre"].post(url).status_code == 404, name
        assert clients["outsider"].get(url).status_code == 404, name
        assert clients["outsider"].post(url).status_code == 404, name
        assert clients["staff"].get(url).status_code != 404, name


def test_the_village_filter_shows_the_cadre_of_a_none_of_village_bs_rows(world, clients):
    scoping.objects_in(world, world.village_b)
    # Not visited, and past its cadence: a row of every list.
    household_b = HouseholdFactory(grid=world.grid_b1, head_name="户主柳湾未访")
    tag_with(household_b, tag("subsistence"))
    DemandFactory(visit=VisitFactory(grid=world.grid_b1, households=[Household.objects.filter(
        grid=world.grid_b1).first()]))
    for name in scoping.LIST_URLS:
        staff_body = clients["staff"].get(reverse(name), {"village": world.village_b.pk}).content.decode()
        cadre_body = clients["village_cadre"].get(reverse(name), {"village": world.village_b.pk}).content.decode()
        marker = "户主柳湾" if name != "households:demand-list" else "柳湾村"
        assert marker in staff_body, name
        assert marker not in cadre_body.split('data-testid="filters"')[-1].split("</form>", 1)[-1], name


@pytest.mark.parametrize("name, persona, method", [
    ("households:update", "household_head", "get"),
    ("households:update", "supervisor", "post"),
    ("households:resident-create", "supervisor", "get"),
    ("households:resident-update", "household_head", "post"),
    ("households:resident-reveal", "grid_worker", "post"),
    ("households:resident-reveal", "household_head", "post"),
    ("households:linking-grid", "supervisor", "post"),
    ("households:linking-grid", "household_head", "post"),
    ("households:import-preview", "supervisor", "get"),
    ("households:import-commit", "supervisor", "post"),
    ("households:visit-comment", "grid_worker", "post"),
    ("households:demand-create", "supervisor", "post"),
    ("households:demand-status", "household_head", "post"),
])
def test_in_scope_but_read_only_is_403(world, clients, name, persona, method):
    kwargs = scoping.objects_in(world, world.village_a)[name]
    Household.objects.filter(grid=world.grid_a1).update(household_head=world.head_a1)
    response = getattr(clients[persona], method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["households:create", "households:visit-create", "households:import"])
def test_pages_without_arguments_refuse_read_only_roles(world, clients, name):
    persona = "supervisor"
    assert clients[persona].get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name, method", [
    ("households:detail", "post"),
    ("households:resident-reveal", "get"),
    ("households:import-preview", "post"),
    ("households:import-progress", "post"),
    ("households:import-commit", "get"),
    ("households:visit-detail", "post"),
    ("households:visit-comment", "get"),
    ("households:demand-create", "get"),
    ("households:visit-photo", "post"),
    ("households:demand-status", "get"),
])
def test_the_wrong_method_is_405(world, clients, name, method):
    kwargs = scoping.objects_in(world, world.village_a)[name]
    assert getattr(clients["staff"], method)(reverse(name, kwargs=kwargs)).status_code == 405


@pytest.mark.parametrize("name", ["households:list", "households:coverage", "households:linking",
                                  "households:visit-household-search", "households:import-template"])
def test_pages_without_arguments_refuse_a_post(world, clients, name):
    assert clients["staff"].post(reverse(name)).status_code == 405
