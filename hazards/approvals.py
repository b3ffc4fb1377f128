"""The hazards that wait for a user's 销号 decision (casework's 待我审批 list)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.notices import Approval
from casework.rectification import CloseOutBase
from governance.models import User

from .models import CloseOut, Hazard


def pending_for(user: User) -> list[Approval]:
    """As ``Hazard.can_approve``: township staff and supervisors of the township; never one the user asked for."""
    hazards = Hazard.objects.visible_to(user).filter(status=Hazard.Status.CLOSEOUT)
    if not user.is_superuser:
        if not user.has_role(User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR):
            return []
        hazards = hazards.filter(township_id=user.township_id)
    closeouts = (CloseOut.objects.filter(case__in=hazards, decision=CloseOutBase.Decision.PENDING)
                 .exclude(requested_by=user).select_related("case", "requested_by"))
    return [Approval(label=str(c.case), kind=_("Close-out of a hazard"), url=c.case.get_absolute_url(),
                     requested_by=str(c.requested_by), requested_at=c.requested_at) for c in closeouts]
