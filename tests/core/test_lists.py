"""The organisation lists: search, filters, sorting, pages; constant queries; short dropdowns; scoped choices."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Grid, HouseholdHead, User, Village
from tests.factories import GridFactory, HouseholdFactory, HouseholdHeadFactory, UserFactory, VillageFactory


def _rows(response) -> list:
    return list(response.context["table"].data.data)


def _page_rows(response) -> list:
    return [row.record for row in response.context["table"].page.object_list]


def _options(html: str) -> dict[str, int]:
    """Number of <option>s per <select name=...> in a page."""
    counts = {}
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        counts[match.group(1)] = len(re.findall(r"<option\b", match.group(2)))
    return counts


def test_village_list_searches_by_name_and_sorts_by_counts(world, clients):
    HouseholdFactory(grid=world.grid_b1)
    HouseholdFactory(grid=world.grid_b1)
    client = clients["staff"]
    assert _rows(client.get(reverse("governance:village-list") + "?q=桃源")) == [world.village_a]
    rows = _page_rows(client.get(reverse("governance:village-list") + "?sort=-household_count"))
    assert rows[0] == world.village_b and rows[0].household_count == 2
    rows = _page_rows(client.get(reverse("governance:village-list") + "?sort=-grid_count"))
    assert rows[0] == world.village_a and rows[0].grid_count == 2


def test_head_list_filters_by_village_grid_and_status_and_searches_certificates(world, clients):
    other = HouseholdHeadFactory(grid=world.grid_b1, name="赵云", certificate_number="QS-9")
    HouseholdHeadFactory(grid=world.grid_a2, name="钱多", status=HouseholdHead.Status.ENDED)
    client = clients["staff"]
    url = reverse("governance:head-list")
    assert _rows(client.get(f"{url}?village={world.village_b.pk}")) == [other]
    assert set(_rows(client.get(f"{url}?grid={world.grid_a1.pk}"))) == {world.head_a1, world.head_a1_2}
    assert [h.name for h in _rows(client.get(f"{url}?status=ended"))] == ["钱多"]
    assert _rows(client.get(f"{url}?q=QS-9")) == [other]


def test_grid_list_is_paginated_and_sortable_by_village(world, clients):
    for n in range(30):
        GridFactory(village=world.village_b, name=f"网格{n:02d}")
    response = clients["staff"].get(reverse("governance:grid-list") + "?sort=village")
    assert len(_page_rows(response)) == 25
    assert response.context["table"].page.paginator.count == 33
    assert clients["staff"].get(reverse("governance:grid-list") + "?page=2").status_code == 200


def test_a_village_cadres_grid_dropdown_shows_only_their_grids(world, clients):
    form = clients["village_cadre"].get(reverse("governance:head-list")).context["filter"].form
    offered = {int(str(v)) for v, _ in form.fields["grid"].widget.choices if str(v)}
    assert offered == {world.grid_a1.pk, world.grid_a2.pk}
    assert set(form.fields["village"].queryset) == {world.village_a}
    grid_worker_form = clients["grid_worker"].get(reverse("governance:head-list")).context["filter"].form
    assert {int(str(v)) for v, _ in grid_worker_form.fields["grid"].widget.choices if str(v)} == {world.grid_a1.pk}


def test_lists_show_only_the_rows_in_scope(world, clients):
    HouseholdHeadFactory(grid=world.grid_b1)
    expectations = {
        "village_cadre": ({world.village_a}, {world.grid_a1, world.grid_a2}),
        "township_cadre": ({world.village_a}, {world.grid_a1, world.grid_a2}),
        "grid_worker": ({world.village_a}, {world.grid_a1}),
        "household_head": ({world.village_a}, {world.grid_a1}),
        "staff": ({world.village_a, world.village_b}, {world.grid_a1, world.grid_a2, world.grid_b1}),
        "outsider": (set(), set()),
    }
    for who, (villages, grids) in expectations.items():
        assert set(_rows(clients[who].get(reverse("governance:village-list")))) == villages, who
        assert set(_rows(clients[who].get(reverse("governance:grid-list")))) == grids, who
        heads = set(_rows(clients[who].get(reverse("governance:head-list"))))
        assert heads == set(HouseholdHead.objects.filter(grid__in=grids)) if who != "household_head" else {world.head_a1}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, n: int) -> None:
    villages = [VillageFactory(township=world.township) for _ in range(n)]
    for village in villages:
        grid = GridFactory(village=village, leader=world.users["grid_worker"])
        head = HouseholdHeadFactory(grid=grid)
        HouseholdFactory(grid=grid, household_head=head)
        UserFactory(role=User.Role.VILLAGE_CADRE, township=world.township, villages=[village])
        UserFactory(role=User.Role.GRID_WORKER, township=world.township, grids=[grid])


@pytest.mark.parametrize("url_name", [
    "governance:village-list", "governance:grid-list", "governance:head-list", "governance:user-list",
])
def test_list_pages_run_the_same_number_of_queries_at_10_and_at_100_rows(
    url_name, world, clients, django_assert_max_num_queries
):
    url = reverse(url_name) + "?per_page=100"
    _grow(world, 10)
    at_ten = _queries(clients["staff"], url)
    _grow(world, 90)
    response = None
    with django_assert_max_num_queries(at_ten):
        response = clients["staff"].get(url)
    assert len(response.context["table"].page.object_list) == 100


def test_no_dropdown_renders_more_than_200_options_even_with_250_grids(world, clients):
    villages = [VillageFactory(township=world.township) for _ in range(10)]
    Grid.objects.bulk_create(Grid(village=v, name=f"网格{n}") for v in villages for n in range(25))
    head = world.head_a1
    cadre = world.users["village_cadre"]
    pages = [
        reverse("governance:head-list"), reverse("governance:grid-list"), reverse("governance:village-list"),
        reverse("governance:user-list"), reverse("governance:head-appoint"), reverse("governance:grid-create"),
        reverse("governance:head-move", args=[head.pk]), reverse("governance:user-create"),
        reverse("governance:user-edit", args=[cadre.pk]), reverse("governance:grid-merge", args=[world.grid_a1.pk]),
        reverse("governance:grid-edit", args=[world.grid_a1.pk]),
    ]
    for url in pages:
        html = clients["staff"].get(url).content.decode()
        for name, count in _options(html).items():
            assert count <= 201, f"{url} renders {count} options in {name}"
    # Choosing a village narrows the grid filter to its grids.
    html = clients["staff"].get(reverse("governance:head-list") + f"?village={villages[0].pk}").content.decode()
    assert _options(html)["grid"] == 26


def test_the_grid_cascade_answers_only_grids_in_scope(world, clients):
    url = reverse("governance:grid-options")
    html = clients["village_cadre"].get(f"{url}?village={world.village_a.pk}").content.decode()
    assert html.count("<option") == 3 and "第二网格" in html
    html = clients["village_cadre"].get(f"{url}?village={world.village_b.pk}").content.decode()
    assert html.count("<option") == 1  # only the empty choice
    html = clients["staff"].get(f"{url}?village={world.village_b.pk}&multiple=1&grids={world.grid_a1.pk}").content.decode()
    assert html.count("<option") == 2 and "selected" in html


def test_a_filter_value_outside_the_scope_shows_nothing(world, clients):
    HouseholdHeadFactory(grid=world.grid_b1)
    for name in ("governance:grid-list", "governance:head-list"):
        response = clients["village_cadre"].get(reverse(name) + f"?village={world.village_b.pk}")
        assert _rows(response) == [], name
    response = clients["village_cadre"].get(reverse("governance:head-list") + f"?grid={world.grid_b1.pk}")
    assert _rows(response) == []


def test_the_organisation_entry_page_is_the_village_list(world, clients):
    body = clients["village_cadre"].get(reverse("home")).content.decode()
    assert reverse("governance:village-list") in body
    assert Village.objects.count() == 2


def test_counts_in_lists_and_pages_cover_only_rows_in_scope(world, clients):
    HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    HouseholdFactory(grid=world.grid_a1)
    HouseholdFactory(grid=world.grid_a2)
    HouseholdHeadFactory(grid=world.grid_a1)
    counts = {
        who: _page_rows(clients[who].get(reverse("governance:village-list")))[0].household_count
        for who in ("village_cadre", "grid_worker", "household_head")
    }
    assert counts == {"village_cadre": 3, "grid_worker": 2, "household_head": 1}
    page = clients["household_head"].get(reverse("governance:grid-detail", args=[world.grid_a1.pk]))
    assert page.context["household_count"] == 1 and list(page.context["heads"]) == [world.head_a1]


def test_a_filtered_page_never_narrows_the_next_pages_dropdowns(world, clients):
    """A filter form's fields are its own, not copied from its class (core.lists.ListFilterSet): choosing a village
    narrows that page's grid dropdown and no other."""
    from petitions.filters import PetitionFilter
    from petitions.models import Petition

    client = clients["staff"]
    url = reverse("households:list")
    everything = _options(client.get(url).content.decode())["grid"]
    assert _options(client.get(url, {"village": world.village_b.pk}).content.decode())["grid"] < everything
    assert _options(client.get(url).content.decode())["grid"] == everything

    user = world.users["staff"]
    request = type("Request", (), {"user": user, "GET": {}})()
    first, second = (PetitionFilter({}, queryset=Petition.objects.visible_to(user), request=request).form
                     for _ in range(2))
    assert first.fields.keys() == second.fields.keys()
    assert all(first.fields[name] is not second.fields[name] for name in first.fields)
