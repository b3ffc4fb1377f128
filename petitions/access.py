"""Who may act on a petition (seeing is scoping: PetitionQuerySet.visible_to; acting is decided here, 403).

- register: case workers and supervisors (a village cadre or grid worker takes in a petition on the spot), and
  county staff (a petition brought to the county: registered for its township, which handles it, 转送/交办);
- accept or decline (不予受理), 包案, reopen: township staff and supervisors (the township's decisions);
- work the case (progress, 四包, reply, satisfaction, ask for close-out): case workers, supervisors, and the
  lead official and team of its assignment wherever they sit;
- extend, approve or send back a close-out: a supervisor or the petition's lead official;
- 挂牌督办: supervisors and county leaders. Household heads read only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from casework.models import ResponsibilityAssignment
from governance.models import User
from governance.permissions import PETITION_REGISTRARS

R = User.Role
#: County staff register a petition brought to the county (越级访) for the township it belongs to, which handles it.
REGISTRARS = PETITION_REGISTRARS
COUNTY_REGISTRARS = (R.COUNTY_STAFF,)
MANAGERS = (R.TOWNSHIP_STAFF, R.SUPERVISOR)


def is_lead(user, assignment: ResponsibilityAssignment | None) -> bool:
    return assignment is not None and assignment.lead_id == user.pk


def is_on_team(user, assignment: ResponsibilityAssignment | None) -> bool:
    return assignment is not None and any(member.pk == user.pk for member in assignment.team.all())


def can_register(user) -> bool:
    return user.has_role(*REGISTRARS) or (user.role in COUNTY_REGISTRARS and user.is_county_user)


def can_manage(user) -> bool:
    return user.has_role(*MANAGERS)


def can_work(user, assignment) -> bool:
    return user.has_role(*REGISTRARS) or is_lead(user, assignment) or is_on_team(user, assignment)


def can_approve(user, assignment) -> bool:
    return user.has_role(R.SUPERVISOR, R.COUNTY_LEADER) or is_lead(user, assignment)


def can_supervise(user) -> bool:
    return user.has_role(R.SUPERVISOR, R.COUNTY_LEADER)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
