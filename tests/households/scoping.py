"""The households app's part of the scoping matrix (tests/governance/test_scoping_matrix.py)."""

from tests.factories import HouseholdFactory, VisitFactory
from tests.households.factories import DemandFactory, ResidentFactory, RosterImportFactory, VisitPhotoFactory

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
    }
