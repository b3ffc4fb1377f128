"""The petitions that wait for a user's 销号 decision (casework's 待我审批 list)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.models import ResponsibilityAssignment
from casework.notices import Approval
from governance.models import User

from .models import CloseOut, Petition


def pending_for(user: User) -> list[Approval]:
    """As ``access.can_approve``: supervisors and county leaders in their scope, a lead official their own cases;
    never a close-out the user asked for."""
    petitions = Petition.objects.visible_to(user).filter(status=Petition.Status.CLOSE_REQUESTED)
    if not (user.is_superuser or user.has_role(User.Role.SUPERVISOR, User.Role.COUNTY_LEADER)):
        led = ResponsibilityAssignment.objects.of_cases(Petition).filter(lead=user).values("case_id")
        petitions = petitions.filter(pk__in=led)
    closeouts = (CloseOut.objects.filter(petition__in=petitions, decision=CloseOut.Decision.PENDING)
                 .exclude(requested_by=user).select_related("petition", "requested_by"))
    return [Approval(label=str(c.petition), kind=_("Close-out of a petition"), url=c.petition.get_absolute_url(),
                     requested_by=str(c.requested_by), requested_at=c.created_at) for c in closeouts]
