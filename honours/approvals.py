"""The red and black lists that wait for a supervisor's approval (casework's 待我审批 list)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.notices import Approval
from governance.models import User
from governance.permissions import SUPERVISORS

from .models import ListIssue


def pending_for(user: User) -> list[Approval]:
    if not user.has_role(*SUPERVISORS):
        return []
    issues = (ListIssue.objects.visible_to(user).filter(status=ListIssue.Status.SUBMITTED)
              .exclude(drafted_by=user).exclude(submitted_by=user).select_related("definition", "submitted_by"))
    return [Approval(label=str(i), kind=_("Red and black list to publish"), url=i.get_absolute_url(),
                     requested_by=str(i.submitted_by), requested_at=i.submitted_at) for i in issues]
