"""Visit coverage, the households not visited, and those past their care cadence, against hand counts."""

import datetime as dt

import pytest
from django.urls import reverse

from households import figures
from tests.factories import HouseholdFactory, HouseholdHeadFactory, VisitFactory, tag, tag_with
from tests.households.factories import ResidentFactory

TODAY = dt.date(2026, 11, 20)


def _ago(days):
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def fixture_township(world):
    """Village A: grid A1 (head 马林: h1–h4; h5 unlinked), grid A2 (head 周芳: h6, h7). Village B: h8."""
    head_a2 = HouseholdHeadFactory(grid=world.grid_a2, name="周芳")
    hh = {}
    for name, grid, head in [("h1", world.grid_a1, world.head_a1), ("h2", world.grid_a1, world.head_a1),
                             ("h3", world.grid_a1, world.head_a1), ("h4", world.grid_a1, world.head_a1),
                             ("h5", world.grid_a1, None), ("h6", world.grid_a2, head_a2),
                             ("h7", world.grid_a2, head_a2), ("h8", world.grid_b1, None)]:
        hh[name] = HouseholdFactory(grid=grid, household_head=head, head_name=f"测试户{name}")
    # Visits: h1 5 days ago and 100 days ago; h2 29 and 31 days ago (a meeting with h3); h4 89 days ago;
    # h5 never; h6 91 days ago; h7 today; h8 2 days ago.
    VisitFactory(grid=world.grid_a1, households=[hh["h1"]], visited_on=_ago(5))
    VisitFactory(grid=world.grid_a1, households=[hh["h1"]], visited_on=_ago(100))
    VisitFactory(grid=world.grid_a1, households=[hh["h2"]], visited_on=_ago(29))
    VisitFactory(grid=world.grid_a1, households=[hh["h2"], hh["h3"]], visited_on=_ago(31))
    VisitFactory(grid=world.grid_a1, households=[hh["h4"]], visited_on=_ago(89))
    VisitFactory(grid=world.grid_a2, households=[hh["h6"]], visited_on=_ago(91))
    VisitFactory(grid=world.grid_a2, households=[hh["h7"]], visited_on=TODAY)
    VisitFactory(grid=world.grid_b1, households=[hh["h8"]], visited_on=_ago(2))
    hh["head_a2"] = head_a2
    return hh


def _by(rows, key):
    return {r[key]: (r["households"], r["visited_30"], r["visited_90"]) for r in rows}


def test_coverage_per_village_grid_and_head_equals_a_hand_count(world, fixture_township):
    hh = fixture_township
    staff = world.users["staff"]
    # Hand count. 30 days: h1, h2, h7, h8 (h2 at 29 days; h3's meeting was 31 days ago). 90 days: + h3, h4.
    villages = _by(figures.coverage(staff, level="village", today=TODAY), "key")
    assert villages == {world.village_a.pk: (7, 3, 5), world.village_b.pk: (1, 1, 1)}
    grids = _by(figures.coverage(staff, level="grid", today=TODAY), "key")
    assert grids == {world.grid_a1.pk: (5, 2, 4), world.grid_a2.pk: (2, 1, 1), world.grid_b1.pk: (1, 1, 1)}
    heads = {(r["key"], r["grid__name"], r["grid__village__name"]): (r["households"], r["visited_30"], r["visited_90"])
             for r in figures.coverage(staff, level="head", today=TODAY)}
    # Households with no head are counted per grid.
    assert heads == {(world.head_a1.pk, "第一网格", "桃源村"): (4, 2, 4), (hh["head_a2"].pk, "第二网格", "桃源村"): (2, 1, 1),
                     (None, "第一网格", "桃源村"): (1, 0, 0), (None, "第一网格", "柳湾村"): (1, 1, 1)}
    total = figures.coverage_total(staff, today=TODAY)
    assert (total["households"], total["visited_30"], total["visited_90"]) == (8, 4, 6)
    assert total["share_90"] == pytest.approx(0.75)


def test_coverage_is_scoped(world, fixture_township):
    villages = _by(figures.coverage(world.users["village_cadre_b"], level="village", today=TODAY), "key")
    assert villages == {world.village_b.pk: (1, 1, 1)}
    total = figures.coverage_total(world.users["household_head"], today=TODAY)
    assert (total["households"], total["visited_30"], total["visited_90"]) == (4, 2, 4)
    assert figures.coverage_total(world.users["outsider"], today=TODAY)["households"] == 0


def test_households_not_visited_in_90_days_list_special_groups_first(world, fixture_township):
    hh = fixture_township
    tag_with(ResidentFactory(household=hh["h6"]), tag("elderly-alone"))
    names = [h.head_name[3:] for h in figures.households_not_visited(world.users["staff"], today=TODAY)]
    # h6 (a lone elder, last visited 91 days ago) first, then h5 (never visited).
    assert names == ["h6", "h5"]


def test_households_past_their_care_cadence(world, fixture_township):
    hh = fixture_township
    tag_with(ResidentFactory(household=hh["h1"]), tag("elderly-alone"))  # weekly; visited 5 days ago: fine
    tag_with(ResidentFactory(household=hh["h2"]), tag("elderly-alone"))  # weekly; 29 days ago: past
    tag_with(hh["h4"], tag("subsistence"))  # monthly; 89 days ago: past
    tag_with(ResidentFactory(household=hh["h7"]), tag("children-left-behind"))  # monthly; today: fine
    tag_with(ResidentFactory(household=hh["h5"]), tag("veteran"))  # no cadence
    past = list(figures.households_past_cadence(world.users["staff"], today=TODAY,
                                                cadence={"elderly-alone": 7, "subsistence": 30,
                                                         "children-left-behind": 30}))
    assert [(h.head_name[3:], h.cadence) for h in past] == [("h2", 7), ("h4", 30)]


def test_the_care_cadence_is_a_setting(world, fixture_township, settings):
    hh = fixture_township
    tag_with(ResidentFactory(household=hh["h2"]), tag("elderly-alone"))
    settings.CARE_CADENCE_DAYS = {"elderly-alone": 30}
    assert not figures.households_past_cadence(world.users["staff"], today=TODAY).exists()
    settings.CARE_CADENCE_DAYS = {"elderly-alone": 7}
    assert figures.households_past_cadence(world.users["staff"], today=TODAY).count() == 1


def test_special_group_counts_count_households_with_the_tag_on_them_or_a_member(world, fixture_township):
    hh = fixture_township
    tag_with(ResidentFactory(household=hh["h1"]), tag("disabled"))
    tag_with(ResidentFactory(household=hh["h1"]), tag("disabled"))
    tag_with(ResidentFactory(household=hh["h8"]), tag("disabled"))
    tag_with(hh["h2"], tag("subsistence"))
    tag_with(ResidentFactory(household=hh["h2"]), tag("focus-disciplined"))
    counts = {g["code"]: (g["residents"], g["households"]) for g in figures.special_group_counts(world.users["staff"])}
    assert counts["disabled"] == (3, 2)
    assert counts["subsistence"] == (0, 1)
    assert counts["focus-disciplined"] == (1, 1)
    counts = {g["code"]: (g["residents"], g["households"])
              for g in figures.special_group_counts(world.users["village_cadre"])}
    assert counts["disabled"] == (2, 1)
    grid_counts = {g["code"] for g in figures.special_group_counts(world.users["grid_worker"])}
    assert "focus-disciplined" not in grid_counts


@pytest.mark.today(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_the_coverage_pages_show_the_figures(world, clients, fixture_township):
    body = clients["staff"].get(reverse("households:coverage"), {"level": "grid"}).content.decode()
    assert "75%" in body
    body = clients["village_cadre"].get(reverse("households:not-visited")).content.decode()
    assert "测试户h5" in body and "测试户h6" in body and "测试户h8" not in body
    response = clients["village_cadre"].get(reverse("households:not-visited"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "测试户h5" in text and "测试户h6" in text and "测试户h1" not in text


@pytest.mark.today(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_the_cadence_page_lists_overdue_households_for_a_household_head(world, clients, fixture_township):
    tag_with(ResidentFactory(household=fixture_township["h2"]), tag("elderly-alone"))
    body = clients["household_head"].get(reverse("households:past-cadence")).content.decode()
    assert "测试户h2" in body and "测试户h1" not in body
