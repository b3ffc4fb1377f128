"""联户: households linked to the household heads of their grid; counts, the warning above 15, the unlinked."""

from django.urls import reverse

from households.models import Household
from tests.factories import HouseholdFactory, HouseholdHeadFactory


def test_the_grid_page_shows_each_heads_count_and_warns_above_fifteen(world, clients):
    busy = HouseholdHeadFactory(grid=world.grid_a1, name="忙碌的联户长")
    HouseholdFactory.create_batch(16, grid=world.grid_a1, household_head=busy)
    HouseholdFactory.create_batch(3, grid=world.grid_a1, household_head=world.head_a1)
    body = clients["village_cadre"].get(reverse("households:linking-grid", args=[world.grid_a1.pk])).content.decode()
    assert body.count('data-testid="over-limit"') == 1
    assert "忙碌的联户长" in body and "马林" in body


def test_the_overview_counts_households_heads_and_the_unlinked_per_grid(world, clients):
    HouseholdFactory.create_batch(2, grid=world.grid_a1, household_head=world.head_a1)
    HouseholdFactory.create_batch(3, grid=world.grid_a1)
    HouseholdFactory(grid=world.grid_b1)
    response = clients["village_cadre"].get(reverse("households:linking"))
    rows = {row["grid"].pk: (row["households"], row["heads"], row["unlinked"]) for row in response.context["rows"]}
    assert rows == {world.grid_a1.pk: (5, 2, 3), world.grid_a2.pk: (0, 0, 0)}  # grid A1 has two heads


def test_households_are_moved_to_another_head_of_the_grid_with_history(world, clients):
    other = HouseholdHeadFactory(grid=world.grid_a1, name="周芳")
    households = HouseholdFactory.create_batch(3, grid=world.grid_a1, household_head=world.head_a1)
    response = clients["grid_worker"].post(reverse("households:linking-grid", args=[world.grid_a1.pk]), {
        "households": [households[0].pk, households[1].pk], "head": other.pk})
    assert response.status_code == 302
    assert list(Household.objects.filter(household_head=other).order_by("pk")) == households[:2]
    households[0].refresh_from_db()
    assert households[0].history.count() == 2


def test_households_are_unlinked_and_then_listed_as_without_a_head(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="待联户")
    clients["staff"].post(reverse("households:linking-grid", args=[world.grid_a1.pk]),
                          {"households": [household.pk], "head": ""})
    household.refresh_from_db()
    assert household.household_head is None
    body = clients["staff"].get(reverse("households:list"), {"no_head": "on"}).content.decode()
    assert "待联户" in body


def test_a_head_of_another_grid_or_a_household_of_another_grid_is_refused(world, clients):
    head_a2 = HouseholdHeadFactory(grid=world.grid_a2)
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    stranger = HouseholdFactory(grid=world.grid_a2)
    url = reverse("households:linking-grid", args=[world.grid_a1.pk])
    assert clients["staff"].post(url, {"households": [household.pk], "head": head_a2.pk}).status_code == 200
    assert clients["staff"].post(url, {"households": [stranger.pk], "head": world.head_a1.pk}).status_code == 200
    household.refresh_from_db()
    stranger.refresh_from_db()
    assert household.household_head == world.head_a1 and stranger.household_head is None


def test_a_head_who_left_office_takes_no_households(world, clients):
    gone = HouseholdHeadFactory(grid=world.grid_a1, status="ended")
    household = HouseholdFactory(grid=world.grid_a1)
    clients["staff"].post(reverse("households:linking-grid", args=[world.grid_a1.pk]),
                          {"households": [household.pk], "head": gone.pk})
    household.refresh_from_db()
    assert household.household_head is None


def test_supervisors_see_the_linking_but_cannot_change_it(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    url = reverse("households:linking-grid", args=[world.grid_a1.pk])
    body = clients["supervisor"].get(url).content.decode()
    assert 'name="households"' not in body
    assert clients["supervisor"].post(url, {"households": [household.pk], "head": world.head_a1.pk}).status_code == 403
