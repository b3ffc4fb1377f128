"""Use cases of the organisation (一中心一张网十联户): villages, grids, household heads (联户长) and the
accounts of the people who work in them. Keyword-only, ``<entity>_<action>``, atomic.

Who and from where: simple-history takes the request's user and address through its middleware; the
bulk moves below pass them explicitly. Governance never imports the households app: households are reached
through the reverse relations ``grid.households`` and ``head.households``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from core.addresses import client_ip
from core.concurrency import Versioned

from .models import COUNTY_ROLES, County, Grid, GridMerge, HeadTerm, HouseholdHead, Township, User, Village

R = User.Role
VILLAGE_SCOPED_ROLES = (R.TOWNSHIP_CADRE, R.VILLAGE_CADRE)


# --- helpers ------------------------------------------------------------------------------------------


def _request_address() -> str | None:
    request = getattr(HistoricalRecords.context, "request", None)
    return client_ip(request) if request is not None else None


def _bulk_set(objs: list, field: str, value, *, by: User | None, reason: str) -> int:
    """Set ``field`` on many rows at once, with one history row each (who, why, from where)."""
    if not objs:
        return 0
    now = timezone.now()
    fields = [field, "updated_at"]
    versioned = isinstance(objs[0], Versioned)  # the rows were read under lock (select_for_update)
    for obj in objs:
        setattr(obj, field, value)
        obj.updated_at = now
        if versioned:
            obj.version += 1
    if versioned:
        fields.append("version")
    bulk_update_with_history(
        objs, type(objs[0]), fields, batch_size=500, default_user=by,
        default_change_reason=reason[:100], custom_historical_attrs={"ip_address": _request_address()},
    )
    return len(objs)


def user_scope_changed(*, user: User) -> None:
    """The user's role or scope changed: their sessions end (the session hash includes scope_version)."""
    user.scope_version += 1
    user.save(update_fields=["scope_version"])


def certificate_in_use(number: str, *, exclude_head: HouseholdHead | None = None) -> bool:
    if not number:
        return False
    heads = HouseholdHead.objects.filter(certificate_number=number)
    terms = HeadTerm.objects.filter(certificate_number=number)
    if exclude_head is not None:
        heads = heads.exclude(pk=exclude_head.pk)
        terms = terms.exclude(head=exclude_head)
    return heads.exists() or terms.exists()


def _delete_structure(obj, refusal: str) -> None:
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(refusal) from exc


# --- villages and grids -------------------------------------------------------------------------------


@transaction.atomic
def village_delete(*, village: Village) -> None:
    """Only a village with nothing hanging off it (no grids, no cadres, no cases) can be deleted."""
    refusal = _("This village has grids, users or records; it cannot be deleted.")
    if village.grids.exists() or village.cadres.exists():
        raise ValidationError(refusal)
    _delete_structure(village, refusal)


@transaction.atomic
def grid_delete(*, grid: Grid) -> None:
    """Only an empty grid (no households, heads, workers, merges or cases) can be deleted; else merge it."""
    refusal = _("This grid has households, household heads, workers or records; merge it instead.")
    if (
        grid.household_heads.exists() or grid.households.exists() or grid.workers.exists()
        or grid.merged_grids.exists() or grid.is_merged
    ):
        raise ValidationError(refusal)
    _delete_structure(grid, refusal)


@transaction.atomic
def grid_merge(*, grid: Grid, into: Grid, reason: str, by: User | None) -> GridMerge:
    """合并网格: ``grid`` ends; its households, household heads and workers go to ``into``.
    Every moved row gets a history row; the merged grid stays readable with ``merged_into`` set."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the merge."))
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    into = Grid.objects.select_for_update().get(pk=into.pk)
    grid.merge_into(into)
    note = _("Grid %(source)s merged into %(target)s") % {"source": grid.name, "target": into.name}
    households = _bulk_set(list(grid.households.select_for_update().order_by("pk")), "grid", into, by=by, reason=note)
    heads = _bulk_set(list(grid.household_heads.all()), "grid", into, by=by, reason=note)
    for worker in grid.workers.exclude(grids=into):
        worker.grids.add(into)
        user_scope_changed(user=worker)
    if into.leader_id is None and grid.leader_id is not None:
        into.leader_id = grid.leader_id
        into.save(update_fields=["leader", "updated_at"])
    return GridMerge.objects.create(
        source=grid, target=into, reason=reason, merged_by=by, merged_at=grid.merged_at,
        households_moved=households, heads_moved=heads,
    )


# --- household heads (联户长) ---------------------------------------------------------------------------


@transaction.atomic
def head_appoint(
    *, grid: Grid, name: str, phone: str, appointed_on: dt.date, term_ends_on: dt.date | None,
    certificate_number: str, by: User | None,
) -> HouseholdHead:
    """聘任: a resident becomes the household head of ``grid`` for a term, with a certificate (聘书)."""
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    if grid.is_merged:
        raise ValidationError(_("This grid has been merged into another; choose a current grid."))
    if certificate_in_use(certificate_number):
        raise ValidationError(_("This certificate number is already in use."))
    if term_ends_on is not None and term_ends_on <= appointed_on:
        raise ValidationError(_("The term must end after the appointment."))
    head = HouseholdHead.objects.create(
        grid=grid, name=name, phone=phone, appointed_on=appointed_on, term_ends_on=term_ends_on,
        certificate_number=certificate_number,
    )
    HeadTerm.objects.create(
        head=head, grid=grid, certificate_number=certificate_number, starts_on=appointed_on,
        ends_on=term_ends_on, appointed_by=by,
    )
    return head


@transaction.atomic
def head_update(*, head: HouseholdHead, name: str, phone: str, term_ends_on: dt.date | None) -> HouseholdHead:
    """Correct a head's name, phone or term end; the current term follows the term end."""
    head.name, head.phone, head.term_ends_on = name, phone, term_ends_on
    head.save(update_fields=["name", "phone", "term_ends_on", "updated_at"])
    term = head.current_term()
    if term is not None and term.ends_on != term_ends_on:
        term.ends_on = term_ends_on
        term.save(update_fields=["ends_on", "updated_at"])
    return head


def _unlink_households(households: Iterable, *, by: User | None, reason: str) -> int:
    if hasattr(households, "select_for_update"):
        households = households.select_for_update().order_by("pk")
    return _bulk_set(list(households), "household_head", None, by=by, reason=reason)


def _end_login(head: HouseholdHead, *, deactivate: bool) -> None:
    user = User.objects.filter(household_head=head).first()
    if user is None:
        return
    if deactivate and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    user_scope_changed(user=user)


@transaction.atomic
def head_end_term(*, head: HouseholdHead, on: dt.date, reason: str, by: User | None) -> HouseholdHead:
    """离任: the appointment ends with a reason; the head's households wait for a new head, the login stops."""
    head = HouseholdHead.objects.select_for_update().get(pk=head.pk)
    head.end_term(on=on, reason=reason, by=by)
    _unlink_households(head.households.all(), by=by, reason=_("Household head left office"))
    _end_login(head, deactivate=True)
    return head


@transaction.atomic
def head_reappoint(
    *, head: HouseholdHead, on: dt.date, term_ends_on: dt.date | None, certificate_number: str, by: User | None,
) -> HeadTerm:
    """续聘 / 再聘: a head who left office serves a new term under a new certificate."""
    if certificate_in_use(certificate_number, exclude_head=head) or (
        certificate_number and head.terms.filter(certificate_number=certificate_number).exists()
    ):
        raise ValidationError(_("This certificate number is already in use."))
    if term_ends_on is not None and term_ends_on <= on:
        raise ValidationError(_("The term must end after the appointment."))
    head = HouseholdHead.objects.select_for_update().select_related("grid").get(pk=head.pk)
    return head.reappoint(on=on, term_ends_on=term_ends_on, certificate_number=certificate_number, by=by)


@transaction.atomic
def head_move(*, head: HouseholdHead, grid: Grid, by: User | None) -> HouseholdHead:
    """调整网格: the head serves another grid; the households of the old grid are no longer linked to them."""
    head = HouseholdHead.objects.select_for_update().select_related("grid__village").get(pk=head.pk)
    grid = Grid.objects.select_related("village").get(pk=grid.pk)
    head.move_to(grid)
    _unlink_households(head.households.exclude(grid=grid), by=by, reason=_("Household head moved to another grid"))
    _end_login(head, deactivate=False)
    return head


# --- user accounts ---------------------------------------------------------------------------------------


def _scope_for_role(role: str, villages, grids, household_head):
    """Only the scope a role uses is kept: villages for cadres, grids for grid workers, a head record for heads."""
    return (
        list(villages) if role in VILLAGE_SCOPED_ROLES else [],
        list(grids) if role == R.GRID_WORKER else [],
        household_head if role == R.HOUSEHOLD_HEAD else None,
    )


def _check_grant(by: User, role: str) -> None:
    """Nobody grants a role above their own (User.ROLE_RANK): township staff make no supervisor."""
    if not by.may_grant(role):
        raise ValidationError(_("You cannot grant a role above your own."))


def _require_outranks(by: User, user: User) -> None:
    """Another account's role, password or activity is changed only by someone of a higher rank (User.ROLE_RANK)."""
    if not by.outranks(user):
        raise PermissionDenied


def _check_county(by: User, role: str, county: County | None, township: Township | None) -> None:
    """A county role belongs to a county and is granted only by the superuser or a county user of that county; a
    county user gives township roles in the townships of their own county only."""
    if role in COUNTY_ROLES:
        if county is None:
            raise ValidationError(_("Choose the county of this user."))
        if not by.is_superuser and by.county_id != county.pk:
            raise ValidationError(_("A county role is granted only within your own county."))
    elif township is None:
        raise ValidationError(_("Choose the township of this user."))
    elif by.is_county_user and township.county_id != by.county_id:
        raise ValidationError(_("Choose a township of your county."))


def _check_scope(role: str, villages: list, grids: list, household_head) -> None:
    if role in VILLAGE_SCOPED_ROLES and not villages:
        raise ValidationError(_("Choose the villages this user is responsible for."))
    if role == R.GRID_WORKER and not grids:
        raise ValidationError(_("Choose the grids this user works in."))
    if role == R.HOUSEHOLD_HEAD and household_head is None:
        raise ValidationError(_("A household head's login is created from the household head's page."))


@transaction.atomic
def user_create(
    *, by: User, username: str, password: str, role: str, township: Township | None, display_name: str = "",
    phone: str = "", villages: Iterable[Village] = (), grids: Iterable[Grid] = (),
    household_head: HouseholdHead | None = None, county: County | None = None,
) -> User:
    """A new login, with a role no higher than ``by``'s. Never a superuser or admin-site staff: those are made with
    ``createsuperuser``. ``by`` chose the password, so the user must change it at the first login."""
    _check_grant(by, role)
    if role in COUNTY_ROLES:
        township = None
    else:
        county = None
    _check_county(by, role, county, township)
    villages, grids, household_head = _scope_for_role(role, villages, grids, household_head)
    _check_scope(role, villages, grids, household_head)
    user = User(
        username=username, role=role, county=county, township=township, display_name=display_name, phone=phone,
        household_head=household_head, is_superuser=False, is_staff=False, must_change_password=True,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    user.villages.set(villages)
    user.grids.set(grids)
    return user


@transaction.atomic
def user_update(
    *, user: User, by: User, role: str, display_name: str, phone: str,
    villages: Iterable[Village] = (), grids: Iterable[Grid] = (),
) -> User:
    """Change a login's details, role and scope. A changed role or scope ends the user's sessions. Users edit their
    own details but not their own role; another account only when ``by`` outranks it, and never to a role above
    ``by``'s."""
    # Compare with what is stored: a bound ModelForm has already copied its data onto ``user``.
    stored_role, stored_head_id = User.objects.filter(pk=user.pk).values_list("role", "household_head").get()
    if user.pk == by.pk:
        if role != stored_role:
            raise ValidationError(_("You cannot change your own role."))
    else:
        _require_outranks(by, User.objects.get(pk=user.pk))
        if role != stored_role:
            _check_grant(by, role)
    county_fields = []
    if (role in COUNTY_ROLES) != (stored_role in COUNTY_ROLES):
        if role not in COUNTY_ROLES:
            raise ValidationError(_("A county user cannot be given a township role; make a new login instead."))
        # Up to the county: the county of the granter (a county user), else the county of the user's township.
        county = by.county if by.is_county_user else getattr(user.township, "county", None)
        _check_county(by, role, county, None)
        user.county, user.township = county, None
        county_fields = ["county", "township"]
    elif role in COUNTY_ROLES and role != stored_role:
        _check_county(by, role, user.county, None)
    household_head = HouseholdHead.objects.filter(pk=stored_head_id).first() if role == R.HOUSEHOLD_HEAD else None
    villages, grids, household_head = _scope_for_role(role, villages, grids, household_head)
    _check_scope(role, villages, grids, household_head)
    scope_changed = (
        role != stored_role
        or getattr(household_head, "pk", None) != stored_head_id
        or {v.pk for v in villages} != set(user.villages.values_list("pk", flat=True))
        or {g.pk for g in grids} != set(user.grids.values_list("pk", flat=True))
    )
    user.role, user.display_name, user.phone, user.household_head = role, display_name, phone, household_head
    fields = ["role", "display_name", "phone", "household_head", *county_fields]
    if scope_changed:
        user.scope_version += 1
        fields.append("scope_version")
    user.save(update_fields=fields)
    if scope_changed:
        user.villages.set(villages)
        user.grids.set(grids)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """The login stops working at once (the session hash includes ``is_active``); the record stays."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    _require_outranks(by, user)
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_activate(*, user: User, by: User) -> User:
    _require_outranks(by, user)
    if user.is_active:
        raise ValidationError(_("This account is already active."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def user_unlock(*, user: User) -> int:
    """Lift a django-axes lock on this username (failed logins from any address)."""
    from axes.utils import reset

    return reset(username=user.username)


@transaction.atomic
def user_set_password(*, user: User, password: str, by: User) -> User:
    """Someone of a higher rank sets a new password; it must pass the validators; old sessions end; any lock is
    lifted; the user must change it at the next login (their own password is changed on the password page)."""
    _require_outranks(by, user)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    user_unlock(user=user)
    return user
