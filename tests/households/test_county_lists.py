"""The household lists for county users (issue 21): narrowed to one township by ``?township=`` (the county dashboard's
links), its count the township's, and the village dropdown that township's villages."""

from django.urls import reverse

from tests.factories import GridFactory, HouseholdFactory, ResidentFactory, VillageFactory, VisitFactory


def _count(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response


def _villages_offered(response) -> list[str]:
    field = response.context["filter"].form.fields["village"]
    return [str(label) for value, label in field.widget.choices if value != ""]


def test_county_users_narrow_the_household_lists_to_a_township(world, county, clients):
    elsewhere = GridFactory(village=VillageFactory(township=world.other_township, name="石桥村"), name="第一网格")
    mine = [HouseholdFactory(grid=world.grid_a1) for _ in range(3)]
    theirs = [HouseholdFactory(grid=elsewhere) for _ in range(2)]
    for household in (*mine, *theirs):
        ResidentFactory(household=household)
    VisitFactory(grid=world.grid_a1, households=mine[:1])
    VisitFactory(grid=elsewhere, households=theirs)
    client = clients["county_staff"]
    for name, township, expected in (
        ("households:list", world.township, 3), ("households:list", world.other_township, 2),
        ("households:resident-list", world.township, 3), ("households:resident-list", world.other_township, 2),
        ("households:visit-list", world.township, 1), ("households:visit-list", world.other_township, 1),
    ):
        response = _count(client, reverse(name), township=township.pk)
        assert response.context["table"].paginator.count == expected, (name, township.name)
    whole = _count(client, reverse("households:list"))
    assert whole.context["table"].paginator.count == 5
    # The village dropdown: the chosen township's villages; the whole county's when they are few.
    narrowed = _count(client, reverse("households:list"), township=world.other_township.pk)
    assert _villages_offered(narrowed) == ["石桥村"]
    assert sorted(_villages_offered(whole)) == sorted(["桃源村", "柳湾村", "石桥村"])
    # A village given in a link without its township is still honoured.
    linked = _count(client, reverse("households:list"), village=world.village_a.pk)
    assert linked.context["table"].paginator.count == 3


def test_a_township_outside_the_county_or_for_township_staff_is_no_choice(world, county, clients):
    response = clients["county_staff"].get(reverse("households:list"), {"township": world.far_township.pk})
    assert response.status_code == 200
    assert response.context["filter"].form.errors.get("township")
    staff = clients["staff"].get(reverse("households:list"))
    assert "township" not in staff.context["filter"].form.fields


def test_a_one_character_name_search_finds_the_same_residents_for_the_county_as_for_its_townships(
        world, county, clients):
    """Over several townships a one-character search is answered by the index of the names' characters alone
    (core.lists.contains, index_alone); what it finds is what the township's own search finds, township by township."""
    elsewhere = GridFactory(village=VillageFactory(township=world.other_township, name="石桥村"), name="第一网格")
    for grid, names in ((world.grid_a1, ["王小明", "李王氏", "张三"]), (elsewhere, ["王五", "赵六"])):
        household = HouseholdFactory(grid=grid)
        for name in names:
            ResidentFactory(household=household, name=name)
    url = reverse("households:resident-list")

    def found(client, term, **params):
        response = _count(client, url, q=term, per_page=100, **params)
        names = {resident.name for resident in response.context["table"].page.object_list.data}
        assert response.context["table"].paginator.count == len(names)
        return names

    assert found(clients["county_staff"], "王") == {"王小明", "李王氏", "王五"}
    assert found(clients["county_staff"], "王", township=world.other_township.pk) == {"王五"}
    assert found(clients["staff"], "王") == {"王小明", "李王氏"}
    assert found(clients["county_staff"], "王五") == {"王五"}
    assert found(clients["county_staff"], "五王") == set()
