"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for honours: a rule ranking the grids of the
village and its lists in each state. The rule and the drafts are the township's staff's and supervisors'; a published
list of the village is read by everyone of it."""

from honours.models import HygieneInspection
from tests.factories import HouseholdFactory, UserFactory
from tests.honours.factories import make_definition, make_issue

LIST_URLS = ["honours:inspection-list"]

LOWER = ("township_cadre", "village_cadre", "grid_worker", "household_head")
COUNTY = ("county_staff", "county_leader")
RULE = ["honours:definition-detail"]
PUBLISHED = ["honours:issue-detail", "honours:issue-poster"]
DRAFTING = ["honours:definition-draft", "honours:issue-reasons"]
DECIDE = ["honours:issue-decide"]
FOLLOW_UP = ["honours:follow-up-close"]

#: A list ranks the grids of the village and is posted for all of it (its 整改 is the township staff's).
NOT_IN_A_GRID = {"honours:issue-detail": "a published list is posted for the village", "honours:issue-poster": "its poster",
                 "honours:follow-up-close": "the township staff's 整改"}

IN_SCOPE_READABLE = {
    "staff": [*RULE, *PUBLISHED], "supervisor": [*RULE, *PUBLISHED],
    **{who: PUBLISHED for who in LOWER}, **{who: [*RULE, *PUBLISHED] for who in COUNTY},
}
IN_SCOPE_ALLOWED = {
    "staff": [*DRAFTING, *FOLLOW_UP],  # township staff rectify with the owner
    "supervisor": DECIDE, "county_leader": DECIDE,
}
IN_SCOPE_FORBIDDEN = {
    "staff": DECIDE, "supervisor": [*DRAFTING, *FOLLOW_UP],
    **{who: FOLLOW_UP for who in LOWER},
    "county_staff": [*DRAFTING, *DECIDE, *FOLLOW_UP], "county_leader": [*DRAFTING, *FOLLOW_UP],
}
IN_SCOPE_HIDDEN = {who: [*RULE, *DRAFTING, *DECIDE] for who in LOWER}


def objects_in(world, village) -> dict[str, dict]:
    clerk = UserFactory(role="township_staff", township=village.township)
    definition = make_definition(village.township, by=clerk, village=village)
    draft = make_issue(definition, by=clerk)
    submitted = make_issue(definition, by=clerk, status="submitted")
    published = make_issue(definition, by=clerk, status="published")
    grid = village.grids.order_by("pk").first()
    HygieneInspection.objects.create(household=HouseholdFactory(grid=grid), inspected_on="2026-11-20",
                                     inspector=clerk, sundries=20, waste=15)
    return {
        "honours:definition-detail": {"pk": definition.pk},
        "honours:definition-draft": {"pk": definition.pk},
        "honours:issue-detail": {"pk": published.pk},
        "honours:issue-poster": {"pk": published.pk},
        "honours:issue-reasons": {"pk": draft.pk},
        "honours:issue-decide": {"pk": submitted.pk},
        "honours:follow-up-close": {"pk": published.entries.get(board="black").follow_up.pk},
    }
