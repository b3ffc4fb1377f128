"""The scoping-matrix contract (CONVENTIONS.md): an object of each URL with arguments, located in a village."""

from disputes.models import Dispute
from tests.disputes.factories import DisputeFactory, PartyFactory, advance
from tests.factories import HouseholdFactory

LIST_URLS = ["disputes:list"]

DISPUTE_URLS = [
    "disputes:detail", "disputes:update", "disputes:party-add", "disputes:agreement-print", "disputes:assignment",
    "disputes:supervise", "disputes:accept", "disputes:start-mediation", "disputes:session-add", "disputes:succeed",
    "disputes:fail", "disputes:refer", "disputes:fulfilment", "disputes:follow-up", "disputes:close",
    "disputes:escalate", "disputes:hand-down",
]


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
    return objects
