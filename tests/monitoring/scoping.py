"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py): an object of each URL with arguments, located
in a village.

In grid A1: staff, 包村干部 and village cadres work the case (staff alone pass 镇初审, and record the county's approvals
only for a county without users of its own); the county's users record 县审定 and 县审核批准; the supervisor reads it (details after a logged reveal) and acts on nothing; the grid worker sees only that the household
is monitored and when to visit; a 联户长 whose households these are not sees nothing."""

from monitoring.models import AlertImport
from tests.factories import HouseholdFactory
from tests.monitoring.factories import category, open_case

LIST_URLS = ["monitoring:list"]

WORK = ["monitoring:update", "monitoring:measure-add", "monitoring:measure-done", "monitoring:check-add"]
STEPS = ["monitoring:verify", "monitoring:start-publicity", "monitoring:end-publicity", "monitoring:reject",
         "monitoring:apply-exit", "monitoring:refuse-elimination"]
DECISIONS = ["monitoring:township-approve", "monitoring:county-approve", "monitoring:approve-elimination"]
DETAILS = ["monitoring:plan-print"]
PAGES = ["monitoring:detail", "monitoring:household-panel"]
REVEAL = ["monitoring:reveal"]
ALL = [*WORK, *STEPS, *DECISIONS, *DETAILS, *PAGES, *REVEAL]
CADRES = ("township_cadre", "village_cadre")

# A department's alert list belongs to the township: its staff import it, its supervisors read it.
NOT_LOCATED = {"monitoring:alert-detail": "a township's department alert list",
               "monitoring:alert-commit": "a township's department alert list"}
ALERTS = list(NOT_LOCATED)

IN_SCOPE_READABLE = {
    "staff": [*PAGES, *DETAILS, *WORK, "monitoring:alert-detail"],
    **{who: [*PAGES, *DETAILS, *WORK] for who in CADRES},
    "supervisor": [*PAGES, *DETAILS, "monitoring:alert-detail"],
    "grid_worker": PAGES,
}
IN_SCOPE_ALLOWED = {
    "staff": [*WORK, *STEPS, *DECISIONS, *REVEAL, "monitoring:alert-commit"],
    **{who: [*WORK, *STEPS, *REVEAL] for who in CADRES},
    "supervisor": REVEAL,
}
IN_SCOPE_FORBIDDEN = {
    **{who: DECISIONS for who in CADRES},
    "supervisor": [*WORK, *STEPS, *DECISIONS, "monitoring:alert-commit"],
    "grid_worker": [*WORK, *STEPS, *DECISIONS, *DETAILS, *REVEAL],
}
IN_SCOPE_HIDDEN = {"household_head": [*ALL, *ALERTS], "grid_worker": ALERTS,
                   **{who: ALERTS for who in CADRES}}


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first()
    case = open_case(world.users["staff"], household=HouseholdFactory(grid=grid))
    measure = case.measures.create(category=category(), what="安排公益性岗位", owner_name="村委会",
                                   planned_on=case.found_on)
    objects = {name: {"pk": case.pk} for name in ALL}
    objects["monitoring:measure-done"] = {"pk": measure.pk}
    objects["monitoring:household-panel"] = {"pk": case.household_id}
    alert = AlertImport.objects.create(township=world.township, department="medical", file_name="医保预警.xlsx",
                                       uploaded_by=world.users["staff"], rows=[])
    objects |= {name: {"pk": alert.pk} for name in NOT_LOCATED}
    return objects

# The county reads its townships' cases (not the household's details: income, health, the plan) and records its own
# decisions (县审定, 县审核批准); the township records each other step. (In the world without a county above, the
# township's staff record the county's decisions on its behalf: tests/monitoring/test_county.py.)
COUNTY_DECISIONS = ["monitoring:county-approve", "monitoring:approve-elimination"]
COUNTY_FORBIDDEN = [*WORK, *STEPS, "monitoring:township-approve", *REVEAL, *DETAILS]
IN_SCOPE_READABLE |= {"county_staff": PAGES, "county_leader": PAGES}
IN_SCOPE_ALLOWED |= {"county_staff": COUNTY_DECISIONS, "county_leader": COUNTY_DECISIONS}
IN_SCOPE_FORBIDDEN |= {"county_staff": COUNTY_FORBIDDEN, "county_leader": COUNTY_FORBIDDEN}
IN_SCOPE_HIDDEN |= {"county_staff": ALERTS, "county_leader": ALERTS}
