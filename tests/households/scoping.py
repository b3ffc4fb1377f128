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
        "households:update": {"pk": household.pk},
        "households:resident-create": {"pk": household.pk},
        "households:resident-update": {"pk": resident.pk},
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
