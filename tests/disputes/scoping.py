"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py): an object of each URL with arguments, located in a village."""

from disputes.models import Dispute
from tests.disputes.factories import DAY, DisputeFactory, PartyFactory, advance
from tests.factories import HouseholdFactory

LIST_URLS = ["disputes:list"]

DISPUTE_URLS = [
    "disputes:detail", "disputes:update", "disputes:party-add", "disputes:agreement-print", "disputes:assignment",
    "disputes:supervise", "disputes:accept", "disputes:start-mediation", "disputes:session-add", "disputes:succeed",
    "disputes:fail", "disputes:refer", "disputes:fulfilment", "disputes:follow-up", "disputes:close",
    "disputes:request-close", "disputes:closeout-decide", "disputes:escalate", "disputes:hand-down",
    "disputes:reopen",
]


# In grid A1: those who handle disputes (staff, cadres, the grid's worker) work them; the 包案 is staff's and the
# supervisor's, 挂牌督办 the supervisor's alone, who otherwise reads; a 联户长 sees disputes of their households only.
PAGES = ["disputes:detail", "disputes:agreement-print", "disputes:household-panel", "disputes:mediation-record",
         "disputes:follow-up-record"]
FORMS = ["disputes:update", "disputes:party-add", "disputes:escalate", "disputes:follow-up", "disputes:fulfilment"]
ACTIONS = [
    "disputes:accept", "disputes:start-mediation", "disputes:session-add", "disputes:succeed", "disputes:fail",
    "disputes:refer", "disputes:close", "disputes:request-close", "disputes:hand-down", "disputes:party-remove",
    "disputes:reopen",
]
HANDLERS = ("staff", "township_cadre", "village_cadre", "grid_worker")
LEADERS = ["disputes:assignment", "disputes:supervise"]
# 包案 and the approval of a 较大/重大 dispute's close-out: township staff and supervisors (and the county). The
# approval page opens only while a close-out waits (the matrix's dispute has none: GET comes back to the dispute).
DECIDERS = ["disputes:assignment", "disputes:closeout-decide"]

IN_SCOPE_READABLE = {
    **{who: [*PAGES, *FORMS] for who in HANDLERS},
    "staff": [*PAGES, *FORMS, "disputes:assignment"],
    "supervisor": [*PAGES, *LEADERS],
}
IN_SCOPE_ALLOWED = {
    **{who: [*FORMS, *ACTIONS] for who in HANDLERS},
    "staff": [*FORMS, *ACTIONS, *DECIDERS],
    "supervisor": [*LEADERS, "disputes:closeout-decide"],
}
IN_SCOPE_FORBIDDEN = {
    **{who: [*LEADERS, "disputes:closeout-decide"] for who in HANDLERS},
    "staff": ["disputes:supervise"],
    "supervisor": [*FORMS, *ACTIONS],
}
# The county reads a township's village-level dispute and may take its 包案 (a county leader as lead official);
# only the county leader supervises; working the dispute stays with its level until it is escalated to the county.
IN_SCOPE_READABLE |= {"county_staff": [*PAGES, "disputes:assignment"], "county_leader": [*PAGES, *LEADERS]}
IN_SCOPE_ALLOWED |= {"county_staff": DECIDERS, "county_leader": [*LEADERS, "disputes:closeout-decide"]}
IN_SCOPE_FORBIDDEN |= {
    "county_staff": [*FORMS, *ACTIONS, "disputes:supervise"], "county_leader": [*FORMS, *ACTIONS],
}
IN_SCOPE_HIDDEN = {"household_head": [*PAGES, *FORMS, *ACTIONS, *LEADERS, "disputes:closeout-decide"]}


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first()
    dispute = DisputeFactory(grid=grid)
    party = PartyFactory(dispute=dispute)
    PartyFactory(dispute=dispute)
    advance(dispute, Dispute.Status.SUCCEEDED, world.users["staff"])
    household = HouseholdFactory(grid=grid)
    objects = {name: {"pk": dispute.pk} for name in DISPUTE_URLS}
    objects["disputes:party-remove"] = {"pk": party.pk}
    objects["disputes:household-panel"] = {"pk": household.pk}
    # The papers of a dispute mediated in sessions and followed up.
    recorded = DisputeFactory(grid=grid)
    PartyFactory(dispute=recorded)
    advance(recorded, Dispute.Status.MEDIATING, world.users["staff"])
    recorded.add_session(by=world.users["staff"], held_on=DAY, place="村委会", participants="双方", content="释法说理")
    advance(recorded, Dispute.Status.FOLLOWED_UP, world.users["staff"])
    objects["disputes:follow-up-record"] = objects["disputes:mediation-record"] = {"pk": recorded.pk}
    return objects
