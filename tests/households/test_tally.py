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

from households import services, tally
from households.models import GridTagTally, GridTally, Household, Resident, Visit
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
    model = LISTS[name]
    for role in ROLES:
        for params in ({}, {"village": world.village_a.pk}, {"grid": world.grid_a1.pk},
                       {"township": world.other_township.pk}, {"page": 1, "sort": "-pk"},
                       {"tag": veteran.pk}, {"tag": veteran.pk, "village": world.village_a.pk}):
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
        rows_counted = not any('"households_gridtally"' in q["sql"] or '"households_gridtagtally"' in q["sql"]
                               for q in queries)
        return response.context["table"].paginator.count, rows_counted

    assert counted({}) == (2, False)
    assert counted({"village": world.village_a.pk}) == (1, False)
    assert counted({"tag": tag("veteran").pk}) == (1, False)
    assert counted({"tag": tag("veteran").pk, "village": world.village_b.pk}) == (0, False)
    assert counted({"tag": tag("veteran").pk, "residence_type": "floating"}) == (0, True)
    assert counted({"residence_type": "floating"}) == (0, True)
    assert counted({"q": "无此人"}) == (0, True)
    assert counted({"no_head": "on"}) == (2, True)
    assert counted({"village": "abc"}) == (0, True)  # refused: the form says so, the list is empty


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
