"""The households app's part of the scoping matrix (tests/governance/test_scoping_matrix.py)."""

from tests.factories import HouseholdFactory, VisitFactory
from tests.households.factories import (
    DemandFactory,
    ResidentFactory,
    RosterImportFactory,
    VisitPhotoFactory,
    advance_demand,
)

LIST_URLS = [
    "households:list",
    "households:resident-list",
    "households:visit-list",
    "households:demand-list",
    "households:not-visited",
    "households:past-cadence",
]


# In grid A1, a household not linked to the 联户长 of A1: staff, cadres and the grid's worker keep the register; the
# supervisor reads and comments on visits; revealing an ID number and commenting on a visit are not the grid worker's;
# roster imports belong to township staff. The 联户长 sees the grid's linking page, with their own households only.
PAGES = ["households:detail", "households:card", "households:resident-detail", "households:visit-detail",
         "households:visit-photo"]
FORMS = ["households:update", "households:resident-create", "households:resident-update"]
ACTIONS = ["households:demand-create", "households:demand-status"]
IMPORTS = ["households:import-preview", "households:import-progress", "households:import-commit"]
CADRES = ("township_cadre", "village_cadre")

IN_SCOPE_READABLE = {
    **{who: [*PAGES, *FORMS, "households:linking-grid"] for who in ("staff", *CADRES, "grid_worker")},
    "staff": [*PAGES, *FORMS, "households:linking-grid", "households:import-preview", "households:import-progress"],
    "supervisor": [*PAGES, "households:linking-grid"],
    "household_head": ["households:linking-grid"],
}
IN_SCOPE_ALLOWED = {
    **{who: [*FORMS, *ACTIONS, "households:linking-grid", "households:resident-reveal", "households:visit-comment"]
       for who in ("staff", *CADRES)},
    "staff": [*FORMS, *ACTIONS, "households:linking-grid", "households:resident-reveal", "households:visit-comment",
              "households:import-commit"],
    "grid_worker": [*FORMS, *ACTIONS, "households:linking-grid"],
    "supervisor": ["households:resident-reveal", "households:visit-comment"],
}
IN_SCOPE_FORBIDDEN = {
    "grid_worker": ["households:resident-reveal", "households:visit-comment"],
    "supervisor": [*FORMS, *ACTIONS, *IMPORTS, "households:linking-grid"],
    "household_head": ["households:linking-grid"],
}
# The county: both read everything and may reveal an ID number; the county leader comments on visits as a supervisor;
# keeping the register and importing rosters stay the township's.
COUNTY_READ_ONLY = [*FORMS, *ACTIONS, *IMPORTS, "households:linking-grid"]
IN_SCOPE_READABLE |= {who: [*PAGES, "households:linking-grid"] for who in ("county_staff", "county_leader")}
IN_SCOPE_ALLOWED |= {
    "county_staff": ["households:resident-reveal"],
    "county_leader": ["households:resident-reveal", "households:visit-comment"],
}
IN_SCOPE_FORBIDDEN |= {
    "county_staff": [*COUNTY_READ_ONLY, "households:visit-comment"],
    "county_leader": COUNTY_READ_ONLY,
}
IN_SCOPE_HIDDEN = {
    **{who: IMPORTS for who in (*CADRES, "grid_worker")},
    "household_head": [*PAGES, *FORMS, *ACTIONS, *IMPORTS, "households:resident-reveal", "households:visit-comment"],
}


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first()
    household = HouseholdFactory(grid=grid, head_name=f"户主{village.name}")
    resident = ResidentFactory(household=household)
    visit = VisitFactory(grid=grid, households=[household])
    photo = VisitPhotoFactory(visit=visit)
    demand = DemandFactory(visit=visit, household=household)
    roster_import = RosterImportFactory(township=village.township, uploaded_by=world.users["staff"])
    return {
        "households:detail": {"pk": household.pk},
        "households:card": {"pk": household.pk},
        "households:update": {"pk": household.pk},
        "households:resident-create": {"pk": household.pk},
        "households:resident-update": {"pk": resident.pk},
        "households:resident-detail": {"pk": resident.pk},
        "households:resident-reveal": {"pk": resident.pk},
        "households:linking-grid": {"pk": grid.pk},
        "households:import-preview": {"pk": roster_import.pk},
        "households:import-progress": {"pk": roster_import.pk},
        "households:import-commit": {"pk": roster_import.pk},
        "households:visit-detail": {"pk": visit.pk},
        "households:visit-comment": {"pk": visit.pk},
        "households:demand-create": {"pk": visit.pk},
        "households:visit-photo": {"visit_pk": visit.pk, "pk": photo.pk},
        "households:demand-status": {"pk": demand.pk},
        **_demands_in(world, visit, household),
    }


def _demands_in(world, visit, household) -> dict[str, dict]:
    """A demand in the state where each step of its follow-up is offered (requested by the township cadre, so that
    every approver of the matrix may decide the 销号)."""
    staff, supervisor, cadre = world.users["staff"], world.users["supervisor"], world.users["township_cadre"]

    def at(status):
        demand = DemandFactory(visit=visit, household=household)
        if status == "pending":
            return demand
        return advance_demand(demand, status, cadre, checker=supervisor, approver=supervisor, owner=staff)

    asked = at("closeout")
    asked.request_closeout(by=cadre)
    return {
        "households:demand-detail": {"pk": at("pending").pk},
        "households:demand-follow-up": {"pk": at("pending").pk},
        "households:demand-report": {"pk": at("rectifying").pk},
        "households:demand-recheck": {"pk": at("recheck").pk},
        "households:demand-request-closeout": {"pk": at("closeout").pk},
        "households:demand-decide-closeout": {"pk": asked.pk},
        "households:demand-look-back": {"pk": at("closed").pk},
    }


# Demands: read by all who see them; worked (follow-up, handled) by the township's staff, the village's cadres and
# the grid's worker; re-check and 销号 request also by the approvers; approval and 回头看 by staff and supervisors.
DEMAND_PAGE = ["households:demand-detail"]
DEMAND_WORK = ["households:demand-follow-up", "households:demand-report"]
DEMAND_SHARED = ["households:demand-recheck", "households:demand-request-closeout"]
DEMAND_APPROVE = ["households:demand-decide-closeout", "households:demand-look-back"]
for _who in ("staff", *CADRES, "grid_worker"):
    IN_SCOPE_READABLE[_who] = [*IN_SCOPE_READABLE[_who], *DEMAND_PAGE, *DEMAND_WORK, *DEMAND_SHARED]
    IN_SCOPE_ALLOWED[_who] = [*IN_SCOPE_ALLOWED[_who], *DEMAND_WORK, *DEMAND_SHARED]
    if _who != "staff":
        IN_SCOPE_FORBIDDEN[_who] = [*IN_SCOPE_FORBIDDEN.get(_who, []), *DEMAND_APPROVE]
IN_SCOPE_READABLE["staff"] += DEMAND_APPROVE
IN_SCOPE_ALLOWED["staff"] += DEMAND_APPROVE
IN_SCOPE_READABLE["supervisor"] += [*DEMAND_PAGE, *DEMAND_SHARED, *DEMAND_APPROVE]
IN_SCOPE_ALLOWED["supervisor"] += [*DEMAND_SHARED, *DEMAND_APPROVE]
IN_SCOPE_FORBIDDEN["supervisor"] += DEMAND_WORK
IN_SCOPE_HIDDEN["household_head"] += [*DEMAND_PAGE, *DEMAND_WORK, *DEMAND_SHARED, *DEMAND_APPROVE]
for _who in ("county_staff", "county_leader"):
    IN_SCOPE_READABLE[_who] = [*IN_SCOPE_READABLE[_who], *DEMAND_PAGE]
    IN_SCOPE_FORBIDDEN[_who] = [*IN_SCOPE_FORBIDDEN[_who], *DEMAND_WORK, *DEMAND_SHARED, *DEMAND_APPROVE]
