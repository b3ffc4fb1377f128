"""Making and revoking API tokens. Nobody grants more than they hold: a person's token only for oneself or for an
account one manages and outranks; an integration only for a township (or county) in one's scope, acting with a role
one may grant; the reveal permission only by someone who has it."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import County, Township, User
from households.permissions import may_reveal

from .models import ApiToken, hash_token, new_raw_token

R = User.Role
#: Who makes and revokes tokens: the township's and the county's 综治中心 (and the system administrator).
TOKEN_MANAGERS = (R.TOWNSHIP_STAFF, R.COUNTY_STAFF, R.COUNTY_LEADER)


def may_manage_tokens(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*TOKEN_MANAGERS))


def _check_person(by: User, person: User) -> None:
    if person.pk == by.pk:
        return
    if not person.is_active or not User.objects.manageable_by(by).filter(pk=person.pk).exists() \
            or not by.outranks(person):
        raise PermissionDenied


@transaction.atomic
def token_create(*, by: User, name: str, kind: str, access: str, may_reveal_values: bool = False,
                 person: User | None = None, township: Township | None = None,
                 county: County | None = None) -> tuple[ApiToken, str]:
    """A new token and its raw value, to be shown once: only its hash is kept."""
    if not may_manage_tokens(by):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."))
    if access not in ApiToken.Access.values:
        raise ValidationError(_("Choose the token's access."))
    if kind == ApiToken.Kind.PERSONAL:
        if person is None:
            raise ValidationError(_("Choose whose token it is."))
        _check_person(by, person)
        acts_as, township, county = person, None, None
    elif kind == ApiToken.Kind.INTEGRATION:
        acts_as = _service_user(by=by, name=name, township=township, county=county)
    else:
        raise ValidationError(_("Choose the token's kind."))
    if may_reveal_values and not (may_reveal(by) and may_reveal(acts_as)):
        raise ValidationError(_("Only someone allowed to see full ID numbers and phones may grant it to a token."))
    raw = new_raw_token()
    token = ApiToken.objects.create(
        name=name[:64], kind=kind, user=acts_as, township=township, county=county, access=access,
        may_reveal=may_reveal_values, key_prefix=raw[:12], key_hash=hash_token(raw), created_by=by,
    )
    return token, raw


def _service_user(*, by: User, name: str, township: Township | None, county: County | None) -> User:
    """The integration's own user: the township staff's role for a township, the county staff's for a county; no
    password (it never logs in), deactivated with its token."""
    if (township is None) == (county is None):
        raise ValidationError(_("Choose the township or the county the integration reads."))
    if township is not None:
        if not Township.objects.visible_to(by).filter(pk=township.pk).exists() or not by.may_grant(R.TOWNSHIP_STAFF):
            raise PermissionDenied
        role, where = R.TOWNSHIP_STAFF, {"township": township}
    else:
        if not (by.is_superuser or (by.is_county_user and by.county_id == county.pk)) \
                or not by.may_grant(R.COUNTY_STAFF):
            raise PermissionDenied
        role, where = R.COUNTY_STAFF, {"county": county}
    user = User(username=f"api-{secrets.token_hex(6)}", role=role, display_name=f"接口·{name}"[:32], **where)
    user.set_unusable_password()
    user.save()
    return user


def may_revoke(by: User, token: ApiToken) -> bool:
    if not may_manage_tokens(by):
        return token.user_id == by.pk and token.kind == ApiToken.Kind.PERSONAL
    if token.kind == ApiToken.Kind.INTEGRATION:
        return True  # in scope (the caller found it with visible_to)
    return token.user_id == by.pk or by.outranks(token.user)


@transaction.atomic
def token_revoke(*, by: User, token: ApiToken) -> None:
    """Revoked at once and for good; an integration's service user is deactivated with it."""
    if not may_revoke(by, token):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    if token.kind == ApiToken.Kind.INTEGRATION:
        User.objects.filter(pk=token.user_id).update(is_active=False)
