"""Governance's entries in the scoping matrix (tests/governance/test_scoping_matrix.py explains the contract)."""

from governance.models import User
from tests.factories import GridFactory, HouseholdHeadFactory, UserFactory
from tests.governance.factories import CalendarDayFactory, HeadTermFactory

LIST_URLS = [
    "governance:village-list",
    "governance:grid-list",
    "governance:head-list",
    "governance:user-list",
]

# The holiday calendar belongs to the deployment, not to a village: role-guarded (403), not scoped.
NOT_LOCATED = {
    "governance:calendar-edit": "the holiday calendar is national, shared by every township",
    "governance:calendar-delete": "the holiday calendar is national, shared by every township",
    "governance:calendar-year": "the holiday calendar is national, shared by every township",
}

READS = ["governance:village-detail", "governance:grid-detail", "governance:head-detail", "governance:head-certificate"]
WRITES = [
    "governance:village-edit", "governance:village-delete",
    "governance:grid-edit", "governance:grid-merge", "governance:grid-delete",
    "governance:head-edit", "governance:head-end-term", "governance:head-reappoint", "governance:head-move",
]
USER_PAGES = [
    "governance:user-edit", "governance:user-password", "governance:user-deactivate",
    "governance:user-activate", "governance:user-unlock",
]

# In village A (a grid of its own, not grid A1): staff manage everything; the supervisor reads everything and changes
# nothing; cadres read their villages' structure; the grid worker and the 联户长 see the village, not another grid.
# Users are managed by township staff only: other roles do not see them.
EDITS = [name for name in WRITES if not name.endswith("-delete")]
GRID_AND_HEAD = [name for name in READS + WRITES if not name.startswith("governance:village-")]
IN_SCOPE_READABLE = {
    "staff": [*READS, *EDITS, "governance:user-detail", "governance:user-edit", "governance:user-password"],
    "supervisor": [*READS, "governance:user-detail"],
    "village_cadre": READS,
    "township_cadre": READS,
    "grid_worker": ["governance:village-detail"],
    "household_head": ["governance:village-detail"],
}
IN_SCOPE_ALLOWED = {"staff": [*WRITES, *USER_PAGES]}
IN_SCOPE_FORBIDDEN = {
    "supervisor": [*WRITES, *USER_PAGES, "governance:calendar-edit", "governance:calendar-delete",
                   "governance:calendar-year"],
    "village_cadre": WRITES,
    "township_cadre": WRITES,
    "grid_worker": ["governance:village-edit", "governance:village-delete"],
    "household_head": ["governance:village-edit", "governance:village-delete"],
}
# County staff manage every township's structure and users as township staff do; the county leader reads, as the
# township's supervisor does.
IN_SCOPE_READABLE |= {"county_staff": IN_SCOPE_READABLE["staff"], "county_leader": IN_SCOPE_READABLE["supervisor"]}
IN_SCOPE_ALLOWED |= {"county_staff": IN_SCOPE_ALLOWED["staff"]}
IN_SCOPE_FORBIDDEN |= {"county_leader": IN_SCOPE_FORBIDDEN["supervisor"]}
IN_SCOPE_HIDDEN = {
    "village_cadre": ["governance:user-detail", *USER_PAGES],
    "township_cadre": ["governance:user-detail", *USER_PAGES],
    "grid_worker": [*GRID_AND_HEAD, "governance:user-detail", *USER_PAGES],
    "household_head": [*GRID_AND_HEAD, "governance:user-detail", *USER_PAGES],
}


def objects_in(world, village) -> dict[str, dict]:
    grid = GridFactory(village=village)
    head = HeadTermFactory(head=HouseholdHeadFactory(grid=grid)).head
    person = UserFactory(role=User.Role.VILLAGE_CADRE, township=village.township, villages=[village])
    day = CalendarDayFactory()
    by_name = {
        "village": {"pk": village.pk},
        "grid": {"pk": grid.pk},
        "head": {"pk": head.pk},
        "user": {"pk": person.pk},
        "calendar": {"pk": day.pk},
    }
    by_year = {"governance:calendar-year": {"year": day.date.year}}
    names = {
        "village": ["detail", "edit", "delete"],
        "grid": ["detail", "edit", "merge", "delete"],
        "head": ["detail", "certificate", "edit", "end-term", "reappoint", "move"],
        "user": ["detail", "edit", "password", "deactivate", "activate", "unlock"],
        "calendar": ["edit", "delete"],
    }
    return by_year | {
        f"governance:{kind}-{action}": by_name[kind] for kind, actions in names.items() for action in actions
    }
