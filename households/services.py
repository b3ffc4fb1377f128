"""Use cases of the registry and the visit diary. Keyword-only, ``<entity>_<action>``, atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Grid, HouseholdHead, User

from .models import Demand, Household, Resident, RevealLog, Tag, Visit, VisitComment, VisitPhoto
from .permissions import COMMENTERS, may_export_full, may_reveal
from .photos import clean_photo
from .summary import refresh_summary

TOPICS = ("topic_living", "topic_production", "topic_policy", "topic_development")


# --- Households and their members: each writer locks the household, writes, then refreshes its summary ------------


#: Sent when a household moves to another grid (inside the transaction that moves it): the case types whose cases
#: follow a household's grid move their 包案 along, so the new grid's worker sees them and the old one's no longer.
household_regridded = Signal()


def _lock_households(*household_ids: int | None) -> None:
    """Lock these households' rows in key order (two writers never wait on each other crosswise): a second clerk adding
    a member waits here until the first has committed, then counts the first's member too."""
    ids = sorted({pk for pk in household_ids if pk is not None})
    list(Household._base_manager.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def household_save(*, household: Household, tags: Iterable[Tag] | None = None) -> Household:
    """Create or edit a household (its head's name, house number and address are searched), and set its tags when
    given."""
    _lock_households(household.pk)
    before = Household.objects.filter(pk=household.pk).values_list("grid_id", flat=True).first()
    household.save()
    if tags is not None:
        household.tags.set(tags)
    refresh_summary([household.pk])
    if before is not None and before != household.grid_id:
        household_regridded.send(sender=Household, household=household)
    return household


@transaction.atomic
def household_tags_set(*, household: Household, tags: Iterable[Tag]) -> None:
    _lock_households(household.pk)
    household.tags.set(tags)
    refresh_summary([household.pk])


@transaction.atomic
def resident_create(*, resident: Resident, tags: Iterable[Tag] = ()) -> Resident:
    """Add ``resident`` (not saved yet) to its household."""
    _lock_households(resident.household_id)
    resident.save()
    resident.tags.set(tags)
    refresh_summary([resident.household_id])
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, tags: Iterable[Tag] | None = None) -> Resident:
    """Save an edited resident, and set its tags when given. A resident whose household changed is moved: both
    households are refreshed."""
    before = Resident._base_manager.filter(pk=resident.pk).values_list("household_id", flat=True).first()
    _lock_households(before, resident.household_id)
    resident.save()
    if tags is not None:
        resident.tags.set(tags)
    refresh_summary([before, resident.household_id])
    return resident


def resident_move(*, resident: Resident, household: Household) -> Resident:
    """Move ``resident`` to ``household`` (of the same township: ID numbers are unique per township)."""
    if household.grid.village.township_id != resident.township_id:
        raise ValidationError(_("A resident can only be moved to a household of the same township."))
    resident.household = household
    return resident_update(resident=resident)


@transaction.atomic
def resident_tags_set(*, resident: Resident, tags: Iterable[Tag]) -> None:
    _lock_households(resident.household_id)
    resident.tags.set(tags)
    refresh_summary([resident.household_id])


@transaction.atomic
def resident_delete(*, resident: Resident) -> None:
    household_id = Resident._base_manager.filter(pk=resident.pk).values_list("household_id", flat=True).first()
    _lock_households(household_id)
    resident.delete()
    refresh_summary([household_id])


# --- Residents ------------------------------------------------------------------------------------------


def resident_duplicate_message(*, user, township_id: int, id_number: str, exclude_pk: int | None = None) -> str | None:
    """The refusal for an ID number already registered in the township; names the record only when in scope."""
    existing = Resident.objects.filter(township_id=township_id, id_number=id_number)
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    existing = existing.values_list("pk", flat=True).first()
    if existing is None:
        return None
    visible = (
        Resident.objects.visible_to(user).filter(pk=existing)
        .select_related("household").first()
    )
    if visible is None:
        return _("This ID number is already registered in the township, outside your area. Ask the township "
                 "staff to move the resident.")
    return _("This ID number is already registered: %(name)s, household %(household)s.") % {
        "name": visible.name, "household": visible.household,
    }


# --- Linking households to household heads (联户) -------------------------------------------------------


@transaction.atomic
def households_link(*, by: User, grid: Grid, households: list[Household], head: HouseholdHead | None) -> int:
    """Link ``households`` of ``grid`` to ``head`` (a head of that grid in office), or unlink them (None)."""
    if head is not None and (head.grid_id != grid.pk or head.status != HouseholdHead.Status.ACTIVE):
        raise ValidationError(_("A household can only be linked to a household head in office in its own grid."))
    changed = 0
    # Re-read under lock: the grid check and the version see what the rows hold now.
    for household in Household.objects.select_for_update().filter(pk__in=[h.pk for h in households]).order_by("pk"):
        if household.grid_id != grid.pk:
            raise ValidationError(_("A household can only be linked to a household head in office in its own grid."))
        if household.household_head_id != (head.pk if head else None):
            household.household_head = head
            household.save(update_fields=["household_head", "updated_at"])
            changed += 1
    return changed


# --- Visits (走访 / 民情日记) ----------------------------------------------------------------------------


@transaction.atomic
def visit_log(
    *, by: User, households: list[Household], visited_on: dt.date, method: str, topics: dict[str, bool],
    notes: str = "", photos: list | tuple = (), demand: dict | None = None, client_id=None,
) -> Visit:
    """One visit to one or more households of one grid; a household head visits as themself. ``demand``: a demand
    heard on it (``demand_raise``'s content, category, level), saved with the visit or not at all. ``client_id``: the
    phone's id of a visit logged offline; a second visit with it fails on the unique column (IntegrityError)."""
    if not households:
        raise ValidationError(_("Choose at least one household."))
    grids = {h.grid_id for h in households}
    if len(grids) > 1:
        raise ValidationError(_("The households of one visit must be in the same grid."))
    if visited_on > timezone.localdate():
        raise ValidationError(_("A visit cannot be in the future."))
    if len(photos) > settings.HOUSEHOLDS_PHOTOS_PER_VISIT:
        raise ValidationError(_("At most %(n)s photos.") % {"n": settings.HOUSEHOLDS_PHOTOS_PER_VISIT})
    cleaned = [clean_photo(p) for p in photos]
    visit = Visit.objects.create(
        grid_id=grids.pop(), visitor=by,
        visitor_head_id=by.household_head_id if by.role == User.Role.HOUSEHOLD_HEAD else None,
        visited_on=visited_on, method=method, notes=notes.strip(), client_id=client_id,
        **{name: bool(topics.get(name)) for name in TOPICS},
    )
    visit.households.set(households)
    for content, width, height in cleaned:
        photo = VisitPhoto(visit=visit, width=width, height=height, size=content.size)
        photo.image.save(content.name, content, save=False)
        photo.save()
    if demand:
        demand_raise(visit=visit, by=by, **demand)
    return visit


@transaction.atomic
def visit_comment(*, visit: Visit, by: User, text: str) -> VisitComment:
    """点评 by a supervisor or cadre."""
    if not by.has_role(*COMMENTERS):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write a comment first."))
    return VisitComment.objects.create(visit=visit, author=by, text=text.strip())


@transaction.atomic
def demand_raise(*, visit: Visit, by: User, content: str, household: Household | None = None,
                 level: str = Demand.Level.VILLAGE, category=None) -> Demand:
    """A demand (诉求) heard on ``visit``, from one of its households that ``by`` may see (a household head raises
    demands of their own households only, whoever else the visit covered). It starts 待核实, handled by the village,
    uncategorised unless said; the follow-up (deadline, person responsible) is ``demand_follow_up``."""
    if not content.strip():
        raise ValidationError(_("Describe the demand."))
    households = visit.households.visible_to(by)
    if household is None:
        household = households.first()
    elif not households.filter(pk=household.pk).exists():
        raise ValidationError(_("The household was not part of this visit."))
    return _demand_register(by=by, visit=visit, household=household, grid=visit.grid, content=content,
                            channel=Demand.Channel.VISIT, level=level, category=category)


@transaction.atomic
def demand_log(*, by: User, household: Household, channel: str, content: str, level: str = Demand.Level.VILLAGE,
               category=None, client_id=None) -> Demand:
    """A demand logged without a visit: a phone call or a resident who came to the village office (登记诉求).
    ``household`` must be one ``by`` may see."""
    if not content.strip():
        raise ValidationError(_("Describe the demand."))
    if not Household.objects.visible_to(by).filter(pk=household.pk).exists():
        raise ValidationError(_("Choose a household you look after."))
    return _demand_register(by=by, visit=None, household=household, grid=household.grid, content=content,
                            channel=channel, level=level, category=category, client_id=client_id)


def _demand_register(*, by, visit, household, grid, content, channel, level, category, client_id=None) -> Demand:
    from .models import DemandCounter

    township = grid.village.township
    demand = Demand(visit=visit, household=household, grid=grid, township=township, content=content.strip(),
                    channel=channel, level=level, category=category, raised_by=by, client_id=client_id)
    demand.number, _sequence = DemandCounter.next_number(township, timezone.localdate().year)
    demand._history_user = by
    demand._change_reason = "register"
    demand.save()
    _tell_village(demand, by=by)
    return demand


@transaction.atomic
def demand_follow_up(*, demand: Demand, by: User, level: str, category, requirement: str, deadline: dt.date,
                     owner: User, responsible_unit: str, team=()) -> None:
    """分层级、分类别、分时限: the level and category confirmed, the handling starts (整改中) with its deadline, and the
    person responsible answers for it as the 包案 lead, so the reminder scan chases the deadline."""
    from casework import rectification as engine

    values = {"level": level, "category": category, "owner": owner}
    fields = [name for name, value in values.items() if getattr(demand, name) != value]
    for name in fields:
        setattr(demand, name, values[name])
    if fields:
        demand.commit(by, fields, reason="follow_up")
    engine.rectification_start(case=demand, by=by, deadline=deadline, requirement=requirement, lead=owner,
                               responsible_unit=responsible_unit, team=team)


@transaction.atomic
def demand_report(*, demand: Demand, by: User, outcome: str, done_on: dt.date, measures: str, cost=None) -> None:
    """办结 reported: what was done and whether it was resolved or explained; the re-check (回访) clock starts."""
    from casework import rectification as engine

    if outcome not in Demand.Outcome.values:
        raise ValidationError(_("Choose how the demand was settled."))
    engine.rectification_report(case=demand, by=by, done_on=done_on, measures=measures, cost=cost)
    demand.outcome = outcome
    demand.commit(by, ["outcome"], reason="outcome")


def _tell_village(demand: Demand, *, by: User) -> None:
    """A demand raised in a village reaches its cadres at once (with the demand list of their village)."""
    from casework.notices import notify, village_cadres

    village_id = Grid.objects.filter(pk=demand.grid_id).values_list("village_id", flat=True).first()
    url = reverse("households:demand-list") + f"?village={village_id}&state=open"
    notify(village_cadres(village_id), kind="demand_raised", key=f"demand:{demand.pk}", subject=demand.content[:200],
           detail=str(demand.household or ""), url=url, actor=by)


# --- Sensitive information ------------------------------------------------------------------------------


def _reveal_within_limit(user: User) -> bool:
    """At most HOUSEHOLDS_REVEALS_PER_MINUTE full values per user in a minute (counted in the shared cache, Redis in
    production, from the first reveal of the minute): a reason is typed for one person, not for a whole village."""
    key = f"households:reveals:{user.pk}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # the minute ended between add and incr
        cache.set(key, count := 1, timeout=60)
    return count <= settings.HOUSEHOLDS_REVEALS_PER_MINUTE


@transaction.atomic
def sensitive_reveal(*, user: User, resident: Resident, field: str, reason: str, ip: str | None = None) -> str:
    """The full value of ``field`` for a user with the permission, with a reason; logged before it is shown."""
    if not may_reveal(user):
        raise PermissionDenied
    if field not in RevealLog.Field.values:
        raise ValidationError(_("Unknown field."))
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError(_("State why you need to see the full value."))
    if not _reveal_within_limit(user):
        raise ValidationError(_(
            "You have seen too many full values in the last minute. Wait a minute, then try again."
        ))
    RevealLog.objects.create(
        township_id=resident.township_id, resident=resident, subject=resident.name, field=field,
        reason=reason[:200], user=user, ip_address=ip,
    )
    return getattr(resident, field)


#: What the reveal log says was seen, for a roster exported with full ID numbers.
FULL_EXPORT_SUBJECT = "人员名册（%(count)s人）"


@transaction.atomic
def roster_full_export_log(*, user: User, count: int, reason: str, ip: str | None = None) -> RevealLog:
    """A roster with full ID numbers is about to be exported: logged, with the reason, before a byte is written, as a
    reveal of the ID numbers of ``count`` residents."""
    if not may_export_full(user):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError(_("State why you need the full ID numbers."))
    return RevealLog.objects.create(
        township_id=user.township_id, resident=None, subject=(FULL_EXPORT_SUBJECT % {"count": count})[:64],
        field=RevealLog.Field.ID_NUMBER, reason=reason[:200], user=user, ip_address=ip,
    )
