"""Each grid's households, residents and visits, kept by the database (households/tally.py), and the lists' «共 N 条»
read from them: exact after every way rows are written, for every role, and with any filter but a place the rows are
counted as before."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.lists import KeysFirstPaginator
from households import services, tally
from households.models import (
    GridCharTally,
    GridTagTally,
    GridTally,
    Household,
    Resident,
    TownshipNameTally,
    Visit,
)
from tests.factories import (
    GridFactory,
    HouseholdFactory,
    ResidentFactory,
    VillageFactory,
    VisitFactory,
    tag,
    tag_with,
)

ROLES = ("staff", "supervisor", "township_cadre", "village_cadre", "village_cadre_b", "grid_worker", "household_head",
         "outsider", "county_staff", "county_leader", "county_outsider")
LISTS = {"households:list": Household, "households:resident-list": Resident, "households:visit-list": Visit}


def _kept(grid) -> tuple[int, int, int]:
    row = GridTally.objects.filter(grid=grid).values_list(*tally.COLUMNS).first()
    return tuple(row) if row else (0, 0, 0)


def _tagged(grid, tag) -> int:
    return sum(GridTagTally.objects.filter(grid=grid, tag_id=tag.pk).values_list("households", flat=True))


def _with_character(grid, character) -> int:
    return sum(GridCharTally.objects.filter(grid=grid, character=character).values_list("households", flat=True))


def _exact():
    assert tally.drifted() == []


def test_every_way_of_writing_rows_keeps_the_tallies_exact(world):
    a1, a2, b1 = world.grid_a1, world.grid_a2, world.grid_b1
    households = [HouseholdFactory(grid=a1) for _ in range(3)]
    for household in households:
        ResidentFactory(household=household)
        ResidentFactory(household=household)
    assert _kept(a1) == (3, 6, 0)
    # Many at once (the import, the demo's loads), and a visit.
    more = Household.objects.bulk_create(
        [Household(grid=b1, head_name=f"户{i}", house_number=str(i)) for i in range(4)])
    Resident.objects.bulk_create([
        Resident(household=more[0], township=world.township, name="甲", id_number="510723199001011234",
                 birth_date=dt.date(1990, 1, 1)),
        Resident(household=more[1], township=world.township, name="乙", id_number="510723199001021230",
                 birth_date=dt.date(1990, 1, 2)),
    ])
    VisitFactory(grid=a1, households=households[:2])
    assert (_kept(a1), _kept(b1)) == ((3, 6, 1), (4, 2, 0))
    _exact()

    # A household moved to another grid takes its residents; a resident moved to a household of another grid.
    moved = households[0]
    moved.grid = a2
    moved.save()
    assert (_kept(a1), _kept(a2)) == ((2, 4, 1), (1, 2, 0))
    Household.objects.filter(pk=more[3].pk).update(grid=a2)  # a QuerySet.update()
    assert (_kept(a2), _kept(b1)) == ((2, 2, 0), (3, 2, 0))
    resident = Resident.objects.filter(household=households[1]).first()
    services.resident_move(resident=resident, household=more[0])
    assert (_kept(a1), _kept(b1)) == ((2, 3, 1), (3, 3, 0))
    Visit.objects.filter(grid=a1).update(grid=b1)
    assert (_kept(a1), _kept(b1)) == ((2, 3, 0), (3, 3, 1))
    # Updates that leave the grid alone change nothing.
    Household.objects.update(address="青石镇")
    _exact()

    # Special groups, on a member or on the household: each grid's households by tag follow.
    veteran, elderly = tag("veteran"), tag("elderly-alone")
    tag_with(Resident.objects.filter(household=households[2]).first(), veteran)
    tag_with(households[2], veteran, elderly)
    tag_with(moved, elderly)
    assert _tagged(a1, veteran) == 1 and _tagged(a1, elderly) == 1 and _tagged(a2, elderly) == 1
    moved.grid = a1
    moved.save()
    assert _tagged(a1, elderly) == 2 and _tagged(a2, elderly) == 0
    services.household_tags_set(household=households[2], tags=[])
    assert _tagged(a1, veteran) == 1 and _tagged(a1, elderly) == 1  # the member still carries it
    _exact()

    # The characters of each household's searched text (its head, house number, address, members): a household
    # counts once per character however often it has it, and follows its names and its grid.
    def counts():
        return {(g.pk, c): _with_character(g, c) for g in (a1, a2) for c in "王小李"}

    before = counts()

    def changed():
        now = counts()
        return {key: now[key] - before[key] for key in now if now[key] != before[key]}

    surnamed = HouseholdFactory(grid=a1, head_name="王小王", address="王家沟")
    assert changed() == {(a1.pk, "王"): 1, (a1.pk, "小"): 1}
    ResidentFactory(household=surnamed, name="王芳")
    assert changed() == {(a1.pk, "王"): 1, (a1.pk, "小"): 1}  # once however often
    surnamed.head_name, surnamed.address = "李小", "李家沟"
    services.household_save(household=surnamed)
    assert changed() == {(a1.pk, "王"): 1, (a1.pk, "小"): 1, (a1.pk, "李"): 1}  # its member 王芳 still has it
    Household.objects.filter(pk=surnamed.pk).update(grid=a2)
    assert changed() == {(a2.pk, "王"): 1, (a2.pk, "小"): 1, (a2.pk, "李"): 1}
    surnamed.delete()
    assert changed() == {}
    _exact()

    # Residents by character of their name, per township.
    def named(character, township=world.township):
        return sum(TownshipNameTally.objects.filter(township=township, character=character)
                   .values_list("residents", flat=True))

    before = {c: named(c) for c in "赵钱"}
    zhao = ResidentFactory(household=households[1], name="赵钱赵")
    assert (named("赵") - before["赵"], named("钱") - before["钱"]) == (1, 1)
    Resident.objects.filter(pk=zhao.pk).update(name="钱")
    assert (named("赵") - before["赵"], named("钱") - before["钱"]) == (0, 1)
    Resident.objects.filter(pk=zhao.pk).update(township=world.other_township)
    assert (named("钱") - before["钱"], named("钱", world.other_township)) == (0, 1)
    Resident.objects.filter(pk=zhao.pk).delete()
    assert named("钱", world.other_township) == 0
    _exact()

    # Deleted: a resident, a household with its residents, a visit.
    services.resident_delete(resident=Resident.objects.filter(household=households[2]).first())
    assert _kept(a1) == (3, 4, 0)
    Visit.objects.all().delete()
    households[2].delete()
    assert _kept(a1) == (2, 3, 0)
    assert _tagged(a1, veteran) == 0
    _exact()


def test_a_failed_write_leaves_the_tallies_as_they_were(world):
    from django.db import IntegrityError, transaction

    existing = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
    with pytest.raises(IntegrityError), transaction.atomic():
        household = Household.objects.create(grid=world.grid_a1, head_name="新户")
        # The same ID number twice in a township: refused, and the household with it.
        Resident.objects.create(household=household, township=world.township, name="重号", id_number=existing.id_number,
                                birth_date=dt.date(1990, 1, 1))
    assert _kept(world.grid_a1) == (1, 1, 0)
    _exact()


@pytest.mark.parametrize("name", LISTS)
def test_every_roles_count_is_its_list(world, county, clients, name):
    elsewhere = GridFactory(village=VillageFactory(township=world.other_township, name="石桥村"), name="第一网格")
    veteran = tag("veteran")
    for grid, n in ((world.grid_a1, 3), (world.grid_a2, 1), (world.grid_b1, 2), (elsewhere, 2)):
        for i in range(n):
            household = HouseholdFactory(grid=grid, household_head=world.head_a1 if grid == world.grid_a1 and i else None)
            resident = ResidentFactory(household=household)
            VisitFactory(grid=grid, households=[household])
            if i % 2:
                tag_with(resident, veteran)
    for household in Household.objects.all()[::2]:
        household.head_name = "王" + household.head_name
        services.household_save(household=household)
    Resident.objects.filter(pk__in=[r.pk for r in Resident.objects.order_by("pk")[::3]]).update(name="王五")
    model = LISTS[name]
    for role in ROLES:
        for params in ({}, {"village": world.village_a.pk}, {"grid": world.grid_a1.pk},
                       {"township": world.other_township.pk}, {"page": 1, "sort": "-pk"},
                       {"tag": veteran.pk}, {"tag": veteran.pk, "village": world.village_a.pk},
                       {"q": "王"}, {"q": "王", "village": world.village_a.pk}, {"q": "王", "tag": veteran.pk}):
            response = clients[role].get(reverse(name), params)
            assert response.status_code == 200, (role, params)
            listed = response.context["object_list"]
            assert response.context["table"].paginator.count == listed.count(), (role, params)
            assert listed.count() == model.objects.visible_to(world.users[role]).filter(
                pk__in=listed.values("pk")).count()


def test_the_unfiltered_lists_do_not_count_their_rows_and_filtered_ones_do(world, county, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    tag_with(ResidentFactory(household=household), tag("veteran"))
    HouseholdFactory(grid=world.grid_b1)
    client = clients["county_staff"]

    def counted(params) -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("households:list"), params)
        rows_counted = not any(f'"households_grid{kind}tally"' in q["sql"] for q in queries for kind in ("", "tag", "char"))
        return response.context["table"].paginator.count, rows_counted

    assert counted({}) == (2, False)
    assert counted({"village": world.village_a.pk}) == (1, False)
    assert counted({"tag": tag("veteran").pk}) == (1, False)
    assert counted({"tag": tag("veteran").pk, "village": world.village_b.pk}) == (0, False)
    assert counted({"tag": tag("veteran").pk, "residence_type": "floating"}) == (0, True)
    assert counted({"residence_type": "floating"}) == (0, True)
    assert counted({"q": "无此人"}) == (0, True)
    # One character (a surname): the grids' households by character.
    assert counted({"q": household.head_name[0]}) == (1, False)
    assert counted({"q": "空"}) == (0, False)
    assert counted({"q": household.head_name[0], "village": world.village_b.pk}) == (0, False)
    assert counted({"q": household.head_name[0], "tag": tag("veteran").pk}) == (1, True)
    assert counted({"q": "a"}) == (0, True)  # a letter has case: not counted by character
    assert counted({"no_head": "on"}) == (2, True)
    assert counted({"village": "abc"}) == (0, True)  # refused: the form says so, the list is empty


def test_a_resident_search_for_one_character_is_counted_by_township(world, county, clients):
    for name in ("王一", "王二", "李三"):
        ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name=name)
    ResidentFactory(household=HouseholdFactory(grid=world.grid_b1), name="王四")

    def counted(role, params) -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(reverse("households:resident-list"), params)
        listed = response.context["object_list"].count()
        assert response.context["table"].paginator.count == listed
        return listed, not any('"households_townshipnametally"' in q["sql"] for q in queries)

    for role in ("staff", "county_staff", "county_leader"):
        assert counted(role, {"q": "王"}) == (3, False)
        assert counted(role, {"q": "王", "village": world.village_b.pk}) == (1, True)
        assert counted(role, {"q": "王二"}) == (1, True)
    assert counted("county_staff", {"q": "王", "township": world.township.pk}) == (3, False)
    assert counted("county_staff", {"q": "王", "township": world.other_township.pk}) == (0, False)
    assert counted("village_cadre", {"q": "王"})[1] is True  # part of a township: its rows counted


def test_check_summaries_finds_a_drifted_tally_and_fix_recounts_it(world, registry):
    HouseholdFactory(grid=world.grid_a1)
    GridTally.objects.filter(grid=world.grid_a1).update(households=7)
    with pytest.raises(CommandError):
        call_command("check_summaries", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_summaries", "--fix", stdout=out)
    assert "1 grid tallies drifted" in out.getvalue()
    assert _kept(world.grid_a1)[0] == Household.objects.filter(grid=world.grid_a1).count()
    _exact()


@pytest.mark.parametrize("role", ["staff", "county_staff"])
def test_a_search_counted_by_character_pages_through_every_match_in_the_lists_order(world, county, clients, role,
                                                                                      monkeypatch):
    """The «共 N 条» of a one-character search comes from the grids' tallies, a first page from the list's order
    and a deep page from every key: page after page, the matches in order, each once, as many as the count says."""
    for grid in (world.grid_a1, world.grid_a2, world.grid_b1):
        for i in range(4):
            HouseholdFactory(grid=grid, head_name="王" + "甲乙丙丁"[i] if i != 2 else "李四", house_number=f"{4 - i}号")
    client = clients[role]
    expected = list(Household.objects.visible_to(world.users[role]).filter(search_text__contains="王")
                    .order_by("grid_id", "house_number", "pk").values_list("pk", flat=True))
    assert len(expected) >= 9
    for deep in (1000, 4):  # every page shallow, then the pages from the fifth row on deep
        monkeypatch.setattr(KeysFirstPaginator, "deep", deep)
        seen = []
        for page in (1, 2, 3, 4, 5):
            response = client.get(reverse("households:list"), {"q": "王", "per_page": 2, "page": page})
            assert response.status_code == 200
            assert response.context["table"].paginator.count == len(expected)
            seen += [row.record.pk for row in response.context["table"].page.object_list]
        assert seen == expected, deep
