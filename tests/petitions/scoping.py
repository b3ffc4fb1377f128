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


# In village A (a household of grid A1): staff and the supervisor accept and assign; those who handle (staff, cadres,
# the grid's worker) work the case; the supervisor alone decides close-outs and extensions and puts under supervision;
# a 联户长 sees no petition of a household not linked to them.
PAGES = ["petitions:detail", "petitions:household-panel"]
WORK = ["petitions:checklist", "petitions:progress", "petitions:reply", "petitions:satisfaction",
        "petitions:closeout-request"]
MANAGE = ["petitions:accept", "petitions:assign", "petitions:reopen"]
APPROVE = ["petitions:closeout-decide", "petitions:extend", "petitions:supervise"]
HANDLERS = ("township_cadre", "village_cadre", "grid_worker")

IN_SCOPE_READABLE = {who: PAGES for who in ("staff", "supervisor", *HANDLERS)}
IN_SCOPE_ALLOWED = {
    **{who: WORK for who in HANDLERS},
    "staff": [*WORK, *MANAGE],
    "supervisor": [*WORK, *MANAGE, *APPROVE],
}
IN_SCOPE_FORBIDDEN = {
    **{who: [*MANAGE, *APPROVE] for who in HANDLERS},
    "staff": APPROVE,
}
# The county reads a township's petitions; a county leader decides close-outs and extensions and supervises.
IN_SCOPE_READABLE |= {"county_staff": PAGES, "county_leader": PAGES}
IN_SCOPE_ALLOWED |= {"county_leader": APPROVE}
IN_SCOPE_FORBIDDEN |= {"county_staff": [*WORK, *MANAGE, *APPROVE], "county_leader": [*WORK, *MANAGE]}
IN_SCOPE_HIDDEN = {"household_head": [*PAGES, *WORK, *MANAGE, *APPROVE]}


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first() or GridFactory(village=village)
    household = HouseholdFactory(grid=grid)
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=village, petitioners=[resident_petitioner(resident)])
    urls = {f"petitions:{name}": {"pk": petition.pk} for name in ACTIONS}
    urls["petitions:household-panel"] = {"pk": household.pk}
    return urls
