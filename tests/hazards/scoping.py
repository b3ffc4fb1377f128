"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for hazards: one hazard per URL, in grid A1
of the village, each in the state where its page or action is offered."""

from hazards.models import Hazard
from tests.factories import UserFactory
from tests.hazards.factories import HazardFactory, HazardPhotoFactory, advance

S = Hazard.Status
LIST_URLS = ["hazards:list"]

PAGES = ["hazards:detail", "hazards:notice", "hazards:photo"]
WORK = ["hazards:verify", "hazards:complete", "hazards:request-closeout", "hazards:transfer", "hazards:control",
        "hazards:edit"]
SHARED = ["hazards:recheck", "hazards:plan"]  # workers and approvers
APPROVE = ["hazards:decide-closeout", "hazards:look-back"]  # township staff and supervisors
WORKERS = ("township_cadre", "village_cadre", "grid_worker")

IN_SCOPE_READABLE = {
    "staff": [*PAGES, *WORK, *SHARED, *APPROVE],
    "supervisor": [*PAGES, *SHARED, *APPROVE],
    **{who: [*PAGES, *WORK, *SHARED] for who in WORKERS},
}
IN_SCOPE_ALLOWED = {
    "staff": [*WORK, *SHARED, *APPROVE],
    "supervisor": [*SHARED, *APPROVE],
    **{who: [*WORK, *SHARED] for who in WORKERS},
}
IN_SCOPE_FORBIDDEN = {
    "supervisor": WORK,
    **{who: APPROVE for who in WORKERS},
}
IN_SCOPE_HIDDEN = {"household_head": [*PAGES, *WORK, *SHARED, *APPROVE]}


def objects_in(world, village) -> dict[str, dict]:
    grid = village.grids.order_by("pk").first()
    staff, supervisor = world.users["staff"], world.users["supervisor"]

    # Who rectified and who asked for 销号 is someone outside the matrix: the re-check and the approval are offered
    # to everyone else (never to the one who did it, tests/hazards/test_views.py).
    clerk = UserFactory(role="township_staff", township=village.township)

    def at(status, by=staff, **kwargs):
        hazard = HazardFactory(grid=grid, **kwargs)
        return advance(hazard, status, by, checker=supervisor, approver=supervisor, lead=staff)

    major = at(S.RECTIFYING, grade=Hazard.Grade.MAJOR)
    photo = HazardPhotoFactory(case=major, uploaded_by=staff)
    closeout = at(S.CLOSEOUT)
    asked = at(S.CLOSEOUT)
    asked.request_closeout(by=clerk)
    return {
        "hazards:detail": {"pk": major.pk},
        "hazards:notice": {"pk": major.pk},
        "hazards:photo": {"pk": major.pk, "photo_pk": photo.pk},
        "hazards:plan": {"pk": major.pk},
        "hazards:edit": {"pk": major.pk},
        "hazards:verify": {"pk": at(S.PENDING).pk},
        "hazards:transfer": {"pk": at(S.PENDING).pk},
        "hazards:control": {"pk": at(S.PENDING).pk},
        "hazards:complete": {"pk": major.pk},
        "hazards:recheck": {"pk": at(S.RECHECK, by=clerk).pk},
        "hazards:request-closeout": {"pk": closeout.pk},
        "hazards:decide-closeout": {"pk": asked.pk},
        "hazards:look-back": {"pk": at(S.CLOSED).pk},
    }

# The county reads its townships' hazards; rectifying, re-checking and 销号 are the township's.
IN_SCOPE_READABLE |= {"county_staff": PAGES, "county_leader": PAGES}
IN_SCOPE_FORBIDDEN |= {"county_staff": [*WORK, *SHARED, *APPROVE], "county_leader": [*WORK, *SHARED, *APPROVE]}
