"""What a token may do beyond what its user may: a read-only token reads; the reveal of full values needs a token
with ``may_reveal`` (and a user with the permission, households.permissions)."""

from __future__ import annotations

from rest_framework import permissions

from .errors import ApiError
from .models import ApiToken


def token_of(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


class TokenAccess(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = token_of(request)
        if token is not None and request.method not in permissions.SAFE_METHODS and not token.may_write:
            raise ApiError("read_only_token")
        return True


def may_reveal_through(request) -> bool:
    """The request may see full values: its user has the permission, and its token (if any) was given it."""
    from households.permissions import may_reveal

    token = token_of(request)
    return may_reveal(request.user) and (token is None or token.may_reveal)
