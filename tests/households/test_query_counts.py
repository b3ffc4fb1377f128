"""Every list and export costs the same number of queries at 10 rows as at 100."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.idnumbers import make_id_number
from households.models import Demand, DemandCategory, Household, Resident, Visit, VisitComment
from tests.factories import HouseholdFactory, tag, tag_with
from tests.households.factories import ResidentFactory, VisitPhotoFactory


def _populate(world, start: int, n: int) -> None:
    """n households in grid A1 with two tagged members each, a visit each with a comment, a demand each;
    written in bulk (the factories would take a minute)."""
    households = Household.objects.bulk_create(
        Household(grid=world.grid_a1, household_head=world.head_a1 if i % 2 else None, head_name=f"户主{i}",
                  address="桃源村一组", house_number=f"{i}号")
        for i in range(start, start + n)
    )
    Household.tags.through.objects.bulk_create(
        Household.tags.through(household=h, tag=tag("subsistence")) for h in households)
    residents = Resident.objects.bulk_create(
        Resident(household=h, township=world.township, name=f"成员{i}{k}", gender="male", birth_date=born,
                 id_number=make_id_number("510723", born, 11 + 2 * k, True))
        for i, h in enumerate(households, start=start) for k in range(2)
        for born in [dt.date(1940, 1, 1) + dt.timedelta(days=i)]
    )
    Resident.tags.through.objects.bulk_create(
        Resident.tags.through(resident=r, tag=tag(code)) for r in residents for code in ("elderly-alone", "focus-poor"))
    visits = Visit.objects.bulk_create(
        Visit(grid=world.grid_a1, visited_on=timezone.localdate() - dt.timedelta(days=203 - i % 90),
              visitor=world.users["village_cadre"], notes=f"走访{i}")
        for i in range(start, start + n)
    )
    Visit.households.through.objects.bulk_create(
        Visit.households.through(visit=v, household=h) for v, h in zip(visits, households, strict=True))
    VisitComment.objects.bulk_create(VisitComment(visit=v, author=world.users["supervisor"], text="好") for v in visits)
    Demand.objects.bulk_create(Demand(visit=v, household=h, grid=world.grid_a1, township=world.township,
                                      number=f"SQ-2026-{v.pk:05d}", content=f"诉求{v.pk}", owner=world.users["staff"],
                                      category=DemandCategory.objects.first())
                               for v, h in zip(visits, households, strict=True))
    VisitPhotoFactory(visit=visits[0])


LISTS = ["households:list", "households:resident-list", "households:visit-list", "households:demand-list",
         "households:not-visited", "households:past-cadence"]


def _count(client, url, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return len(queries), len(body)


def test_every_list_and_export_costs_the_same_queries_at_10_and_100_rows(world, clients):
    client = clients["village_cadre"]
    cases = [(name, fmt) for name in LISTS for fmt in (None, "csv", "xlsx")]

    def measure():
        result = {}
        for name, fmt in cases:
            params = {"format": fmt, "per_page": 100} if fmt else {"per_page": 100}
            result[(name, fmt)] = _count(client, reverse(name), params)
        return result

    ContentType.objects.get_for_model(Demand)  # cached for the process's life (demands are cases: CaseQuerySet)
    _populate(world, 0, 10)
    at_10 = measure()
    _populate(world, 10, 90)
    assert Household.objects.count() == 100 and Resident.objects.count() == 200
    at_100 = measure()
    for case in cases:
        assert at_100[case][1] > at_10[case][1], case  # the rows really are there
        assert at_100[case][0] == at_10[case][0], case


def test_the_household_page_and_visit_page_do_not_grow_with_members_and_visits(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    client = clients["village_cadre"]

    def add(n):
        for _ in range(n):
            tag_with(ResidentFactory(household=household), tag("veteran"))
            visit = Visit.objects.create(grid=world.grid_a1, visited_on=dt.date(2026, 5, 1))
            visit.households.add(household)

    add(3)
    url = reverse("households:detail", args=[household.pk])
    first, _size = _count(client, url, {})
    add(20)
    assert _count(client, url, {})[0] == first
