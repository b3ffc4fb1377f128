"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py): for every petitions URL name that takes
arguments, the kwargs of an object located in ``village``; and the list URLs that accept ``?village=<pk>``."""

from __future__ import annotations

from petitions import services
from tests.factories import GridFactory, HouseholdFactory, ResidentFactory

from .factories import register, resident_petitioner

LIST_URLS: list[str] = ["petitions:list"]

ACTIONS = [
    "detail", "accept", "decline", "assign", "supervise", "progress", "reply", "satisfaction", "extend",
    "closeout-request", "closeout-decide", "reopen", "correct",
]


# In village A (a household of grid A1): staff and the supervisor accept and assign; those who handle (staff, cadres,
# the grid's worker) work the case; the supervisor alone decides close-outs and extensions and puts under supervision;
# a 联户长 sees no petition of a household not linked to them.
NOTICES = ["petitions:notice-acceptance", "petitions:notice-extension", "petitions:notice-reply",
           "petitions:notice-closeout", "petitions:notice-decline"]
PAGES = ["petitions:detail", "petitions:household-panel", *NOTICES]
WORK = ["petitions:progress", "petitions:reply", "petitions:satisfaction",
        "petitions:closeout-request"]
MANAGE = ["petitions:accept", "petitions:decline", "petitions:assign", "petitions:reopen"]
APPROVE = ["petitions:closeout-decide", "petitions:extend", "petitions:supervise"]
HANDLERS = ("township_cadre", "village_cadre", "grid_worker")
# 更正 of the registration: whoever may register a petition (the county staff too); the page is a form.
CORRECT = ["petitions:correct"]

IN_SCOPE_READABLE = {who: [*PAGES, *CORRECT] for who in ("staff", "supervisor", *HANDLERS)}
IN_SCOPE_ALLOWED = {
    **{who: [*WORK, *CORRECT] for who in HANDLERS},
    "staff": [*WORK, *MANAGE, *CORRECT],
    "supervisor": [*WORK, *MANAGE, *APPROVE, *CORRECT],
}
IN_SCOPE_FORBIDDEN = {
    **{who: [*MANAGE, *APPROVE] for who in HANDLERS},
    "staff": APPROVE,
}
# The county reads a township's petitions; a county leader decides close-outs and extensions and supervises. The
# notices are the handling township's papers: the county does not issue them.
COUNTY_PAGES = [p for p in PAGES if p not in NOTICES]
IN_SCOPE_READABLE |= {"county_staff": [*COUNTY_PAGES, *CORRECT], "county_leader": COUNTY_PAGES}
IN_SCOPE_ALLOWED |= {"county_leader": APPROVE, "county_staff": CORRECT}
IN_SCOPE_FORBIDDEN |= {"county_staff": [*NOTICES, *WORK, *MANAGE, *APPROVE],
                       "county_leader": [*NOTICES, *WORK, *MANAGE, *CORRECT]}
IN_SCOPE_HIDDEN = {"household_head": [*PAGES, *WORK, *MANAGE, *APPROVE, *CORRECT]}


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first() or GridFactory(village=village)
    household = HouseholdFactory(grid=grid)
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=village, petitioners=[resident_petitioner(resident)])
    urls = {f"petitions:{name}": {"pk": petition.pk} for name in ACTIONS}
    urls["petitions:household-panel"] = {"pk": household.pk}
    noticed = _noticed(world, village, household)
    urls.update({name: {"pk": noticed.pk} for name in NOTICES})
    urls["petitions:notice-decline"] = {"pk": _declined(world, village, household).pk}
    return urls


def _declined(world, village, household):
    """A petition not accepted (不予受理): its notice has something to say."""
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=village, petitioners=[resident_petitioner(resident)])
    services.petition_decline(petition=petition, by=world.users["staff"], on=petition.received_on,
                              reason="已通过行政复议途径处理")
    return petition


def _noticed(world, village, household):
    """A petition accepted, extended, replied to and put up for close-out: each of its papers has something to say."""
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=village, petitioners=[resident_petitioner(resident)])
    services.petition_accept(petition=petition, by=world.users["staff"], on=petition.received_on)
    petition.extend(by=world.users["supervisor"], days=30, reason="需要多部门会商")
    petition.record_reply(by=world.users["staff"], text="经核实，补偿款已补发。", on=petition.received_on)
    petition.record_satisfaction(by=world.users["staff"], level="satisfied")
    petition.request_closeout(by=world.users["staff"], outcome="resolved")
    return petition
