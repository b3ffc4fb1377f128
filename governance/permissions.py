"""Who may change what. Seeing is scoping (scoping.py, 404 outside); changing is by role (403 inside)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import User

R = User.Role

#: Manage villages, grids, household heads and users.
STRUCTURE_MANAGERS = (R.COUNTY_STAFF, R.TOWNSHIP_STAFF)
#: Register and work cases, log visits, edit households.
CASE_WORKERS = (R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE, R.GRID_WORKER)
VISIT_LOGGERS = (*CASE_WORKERS, R.HOUSEHOLD_HEAD)
#: Register a petition (a 联户长 reports what they hear as a dispute or a demand; the township registers petitions),
#: open a 防返贫 monitoring lead: shared here so that a visit's page offers only what its reader may do.
PETITION_REGISTRARS = (*CASE_WORKERS, R.SUPERVISOR)
LEAD_OPENERS = CASE_WORKERS
#: Put cases under supervision (挂牌督办), approve close-outs.
SUPERVISORS = (R.SUPERVISOR, R.COUNTY_LEADER)
#: Who keeps the household heads' papers (花名册, 聘书): those who read the heads; grid workers and 联户长 do not.
HEAD_PAPER_READERS = (R.TOWNSHIP_STAFF, R.SUPERVISOR, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE, R.COUNTY_STAFF, R.COUNTY_LEADER)


def may_change_deployment(user) -> bool:
    """Change what every township of the deployment shares (the working-day calendar, whose 调休 days move every
    township's deadlines): only those who answer for the whole deployment, the system administrator (superuser).
    There is no county-level role yet; when there is one, it belongs here. Township staff read, they do not change."""
    return bool(getattr(user, "is_superuser", False))


def require_deployment_keeper(user) -> None:
    if not may_change_deployment(user):
        raise PermissionDenied


def require_role(user, *roles: str) -> None:
    """403 for a user in scope whose role may not do this."""
    if not user.has_role(*roles):
        raise PermissionDenied


class RoleRequiredMixin:
    """For class-based views: ``allowed_roles`` may use the view; others get 403."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_role(request.user, *self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)
