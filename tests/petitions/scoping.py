"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py): for every petitions URL name that takes
arguments, the kwargs of an object located in ``village``; and the list URLs that accept ``?village=<pk>``."""

from __future__ import annotations

from tests.factories import GridFactory, HouseholdFactory, ResidentFactory

from .factories import register, resident_petitioner

LIST_URLS: list[str] = ["petitions:list"]

ACTIONS = [
    "detail", "accept", "assign", "supervise", "checklist", "progress", "reply", "satisfaction", "extend",
    "closeout-request", "closeout-decide", "reopen",
]


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first() or GridFactory(village=village)
    household = HouseholdFactory(grid=grid)
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=village, petitioners=[resident_petitioner(resident)])
    urls = {f"petitions:{name}": {"pk": petition.pk} for name in ACTIONS}
    urls["petitions:household-panel"] = {"pk": household.pk}
    return urls
