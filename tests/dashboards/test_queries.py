"""Query counts (with the cache cold: the figures themselves) and the cache (a warm hit asks the database nothing)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.scoping import scope_of
from dashboards import figures
from dashboards.figures import Filters
from disputes.models import Dispute
from disputes.services import dispute_assign
from governance.backends import UserBackend
from tests.disputes.factories import DisputeFactory
from tests.factories import (
    GridFactory,
    HouseholdFactory,
    TownshipFactory,
    VillageFactory,
    VisitFactory,
    tag,
    tag_with,
)
from tests.petitions.factories import outsider, register

from .conftest import ON_TODAY, ago

pytestmark = ON_TODAY


def grow(world, villages: int) -> None:
    """``villages`` more villages, each with two grids of three households (one visited lately, one long ago, one
    never and living alone), two disputes (one overdue) and a petition."""
    staff = world.users["staff"]
    for _ in range(villages):
        village = VillageFactory(township=world.township)
        for _grid in range(2):
            grid = GridFactory(village=village)
            recent, old, never = (HouseholdFactory(grid=grid) for _h in range(3))
            VisitFactory(grid=grid, households=[recent], visited_on=ago(3))
            VisitFactory(grid=grid, households=[old, recent], visited_on=ago(60))
            tag_with(never, tag("elderly-alone"))
            late = DisputeFactory(grid=grid, registered_on=ago(20), kind="contract")
            DisputeFactory(grid=grid, registered_on=ago(200))
            dispute_assign(dispute=late, by=staff, lead=staff, responsible_unit="村委会", deadline=ago(2))
        register(by=staff, village=village, received_on=ago(30), petitioners=[outsider()])


def _page_queries(client, query="") -> list:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboards:home") + query).status_code == 200
    return ctx.captured_queries


@pytest.mark.parametrize("who", ["staff", "village_cadre", "grid_worker"])
def test_the_query_count_stays_the_same_when_villages_and_rows_grow_tenfold(world, township, clients, who):
    client = clients[who]
    grow(world, 2)
    cache.clear()
    small = _page_queries(client)
    grow(world, 18)
    cache.clear()
    large = _page_queries(client)
    assert len(large) == len(small), "\n".join(q["sql"][:120] for q in large)
    cards = {c["key"]: c["count"] for c in client.get(reverse("dashboards:home")).context["data"]["cards"]}
    if who == "staff":  # the figures did grow: 20 new villages × 2 grids × (1 overdue dispute, 3 households)
        assert cards["overdue"] == 3 + 40 and cards["coverage_90"] == 4 + 80


def test_the_query_count_stays_the_same_with_a_village_and_grid_chosen(world, township, clients):
    client = clients["staff"]
    query = f"?village={world.village_a.pk}&grid={world.grid_a1.pk}"
    grow(world, 2)
    cache.clear()
    small = _page_queries(client, query)
    grow(world, 18)
    cache.clear()
    assert len(_page_queries(client, query)) == len(small)


def test_the_figures_take_at_most_the_budget_of_queries(world, township, django_assert_num_queries):
    assert figures.QUERY_BUDGET <= 12
    user = world.users["staff"]
    ContentType.objects.get_for_model(Dispute)  # cached for the process: not a figure query
    scope_of(user)
    with django_assert_num_queries(figures.QUERY_BUDGET):
        figures.dashboard(user, Filters(start=dt.date(2025, 12, 1)))


def test_a_warm_cache_hit_does_no_figure_query(world, township, clients, django_assert_num_queries):
    user = world.users["village_cadre"]
    f = Filters(start=dt.date(2025, 12, 1), village=world.village_a.pk)
    cold = figures.dashboard(user, f)
    with django_assert_num_queries(0):
        warm = figures.dashboard(user, f)
    assert warm == cold
    page_cold = _page_queries(clients["staff"])
    page_warm = _page_queries(clients["staff"])
    assert len(page_cold) - len(page_warm) == figures.QUERY_BUDGET


def test_the_cache_key_follows_the_user_the_scope_and_the_filters(world, township):
    cadre_a, cadre_b = world.users["village_cadre"], world.users["village_cadre_b"]
    f = Filters(start=dt.date(2025, 12, 1))
    a = figures.dashboard(cadre_a, f)
    assert figures.dashboard(cadre_b, f) != a
    assert figures.cache_key(cadre_a, f, dt.date(2026, 11, 20)) != figures.cache_key(
        cadre_a, Filters(start=dt.date(2026, 1, 1)), dt.date(2026, 11, 20))
    cadre_a.villages.add(world.village_b)  # a wider scope is a new key, not 60 s of the old figures
    widened = type(cadre_a).objects.get(pk=cadre_a.pk)
    counts = {c["key"]: c["count"] for c in figures.dashboard(widened, f)["cards"]}
    assert counts["open_disputes"] == 5


def test_the_cache_lifetime_is_a_setting(world, township, settings, django_assert_num_queries):
    settings.DASHBOARD_CACHE_SECONDS = 0  # Django: a timeout of 0 keeps nothing
    user = world.users["staff"]
    ContentType.objects.get_for_model(Dispute)
    figures.dashboard(user, Filters())
    user = type(user).objects.get(pk=user.pk)  # the next request's user: nothing of the scope remembered
    scope_of(user)
    with django_assert_num_queries(figures.QUERY_BUDGET):
        figures.dashboard(user, Filters())


def test_a_county_user_loaded_for_a_request_needs_no_query_for_the_scope(world, township, county,
                                                                          django_assert_num_queries,
                                                                          django_assert_max_num_queries):
    """The same budget as a township user's (issue 21): the county's townships come with the user's row."""
    for who in ("county_staff", "county_leader"):
        with django_assert_num_queries(1):
            user = UserBackend().get_user(world.users[who].pk)
            assert scope_of(user).township_ids == {world.township.pk, world.other_township.pk}
        ContentType.objects.get_for_model(Dispute)
        cache.clear()
        with django_assert_max_num_queries(figures.QUERY_BUDGET):
            figures.dashboard(user, Filters(start=dt.date(2025, 12, 1)))


def test_a_county_user_s_dashboard_page_costs_no_more_queries_than_a_township_user_s(world, township, county,
                                                                                       clients):
    staff = _page_queries(clients["staff"])
    for who in ("county_staff", "county_leader"):
        cache.clear()
        county_page = _page_queries(clients[who])
        assert len(county_page) <= len(staff), "\n".join(q["sql"][:120] for q in county_page)


def test_a_county_user_s_dashboard_costs_the_same_queries_with_five_times_the_townships(world, township, county,
                                                                                         clients):
    client = clients["county_staff"]
    small = _page_queries(client)
    for n in range(8):
        village = VillageFactory(township=TownshipFactory(name=f"第{n}镇", code=f"5107232{n:02d}000", county=county))
        grid = GridFactory(village=village)
        VisitFactory(grid=grid, households=[HouseholdFactory(grid=grid)], visited_on=ago(3))
        DisputeFactory(grid=grid, registered_on=ago(20))
    cache.clear()
    large = _page_queries(client)
    assert len(large) == len(small), "\n".join(q["sql"][:120] for q in large)
    assert client.get(reverse("dashboards:home")).context["data"]["cards"][0]["count"] > 0
