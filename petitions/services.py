"""Use cases of the petition ledger that span models: registration (number, petitioners, repeat detection),
包案 through governance's shared assignment, and the transitions that must keep that assignment in step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import notices
from casework.models import ResponsibilityAssignment
from casework.services import (
    assignment_close,
    assignment_create,
    assignment_for,
    assignment_relocate,
    assignment_reopen,
    assignment_supervise,
    assignment_update,
)
from core.concurrency import lock
from governance.models import User
from households.models import RevealLog

from .models import (
    REPEAT_WINDOW_DAYS,
    CloseOut,
    Petition,
    PetitionCounter,
    Petitioner,
    ProgressEntry,
    accept_days,
)


@dataclass(frozen=True)
class PetitionerData:
    """A petitioner as the form hands it over: a resident (details copied) or an outside person."""

    name: str
    id_number: str
    phone: str = ""
    resident: object | None = None


def repeat_candidates(
    *, township, subject: str | None, id_numbers: Iterable[str] = (), households: Iterable = (),
    today: dt.date | None = None, exclude_pk: int | None = None,
):
    """Open or recent (12 months) petitions on ``subject`` (any subject when None) by one of these people (by ID
    number) or households, newest first. Across the township: whether a petition is a 重复访 does not depend on who registers it."""
    ids = [i for i in id_numbers if i]
    household_ids = [h.pk if hasattr(h, "pk") else h for h in households if h]
    if not ids and not household_ids:
        return Petition.objects.none()
    who = Q(pk__in=Petitioner.objects.filter(id_number__in=ids).values("petition")) | Q(household__in=household_ids)
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    recent = (~Q(status__in=Petition.FINISHED) | Q(received_on__gte=since) | Q(closed_at__date__gte=since)
              | Q(declined_on__gte=since))
    qs = Petition.objects.filter(township=township).filter(who).filter(recent)
    if subject:
        qs = qs.filter(subject=subject)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("-received_on", "-pk")


def repeat_check_log(*, user: User, petitions: Iterable[Petition], id_numbers: Iterable[str] = (),
                     ip: str | None = None) -> None:
    """Each petition outside ``user``'s area that a repeat check found is logged as a reveal of a full ID number
    is (PIPL): the check told them that these people have petitioned elsewhere, though not what about."""
    ids = set(id_numbers)
    reason = _("Repeat check while registering a petition: an earlier petition %(number)s outside the user's area")
    rows = []
    for petition in petitions:
        people = list(petition.petitioners.all())
        people = [p for p in people if p.id_number in ids] or people[:1]
        rows.append(RevealLog(
            township_id=petition.township_id, resident_id=people[0].resident_id if people else None,
            subject="、".join(p.name for p in people)[:64], field=RevealLog.Field.ID_NUMBER,
            reason=(reason % {"number": petition.number})[:200], user=user, ip_address=ip,
        ))
    RevealLog.objects.bulk_create(rows)


@transaction.atomic
def petition_register(
    *, by: User, township, village, received_on: dt.date, channel: str, subject: str, content: str,
    petitioners: list[PetitionerData], demands: str = "", head_count: int = 1, referred_by: str = "",
    skip_level: bool = False, household=None, visit=None,
) -> Petition:
    """登记: a number unique per township and year (a locked counter row), the petitioners, and the link to an
    open or recent petition of the same people on the same subject (重复访)."""
    if not petitioners:
        raise ValidationError(_("Name at least one petitioner."))
    if head_count < len(petitioners):
        raise ValidationError(_("The head count cannot be smaller than the number of petitioners named."))
    # Skip-level (越级访): said by the referral from above, or seen by the county itself when it registers the petition.
    if skip_level and channel != Petition.Channel.REFERRED and not by.is_county_user:
        raise ValidationError(_("Only a petition referred from above can be marked as skip-level."))
    resident_households = [p.resident.household for p in petitioners if p.resident is not None]
    household = household or (resident_households[0] if resident_households else None)
    repeat_of = repeat_candidates(
        township=township, subject=subject, id_numbers=[p.id_number for p in petitioners],
        households=[household, *resident_households], today=received_on,
    ).first()
    number, sequence = PetitionCounter.next_number(township, received_on.year)
    acceptance_due = received_on + dt.timedelta(days=accept_days())
    petition = Petition(
        township=township, village=village, household=household, source_visit=visit,
        number=number, year=received_on.year, sequence=sequence,
        received_on=received_on, channel=channel, referred_by=referred_by, skip_level=skip_level, subject=subject,
        head_count=head_count, content=content, demands=demands, repeat_of=repeat_of, registered_by=by,
        acceptance_due_on=acceptance_due, due_on=acceptance_due,
    )
    petition._history_user = by
    petition.save()
    for position, data in enumerate(petitioners):
        person = Petitioner(
            petition=petition, resident=data.resident, name=data.name, id_number=data.id_number,
            phone=data.phone, position=position,
        )
        person._history_user = by
        person.save()
    return petition


def _sync_deadline(petition: Petition) -> None:
    """The reminder scan reads the assignment only: its deadline follows the petition's current due date."""
    assignment = assignment_for(petition)
    if assignment is not None and assignment.deadline != petition.due_on:
        assignment_update(assignment=assignment, deadline=petition.due_on)


@transaction.atomic
def petition_accept(*, petition: Petition, by: User, on: dt.date) -> None:
    petition.accept(by=by, on=on)
    _sync_deadline(petition)


@transaction.atomic
def petition_decline(*, petition: Petition, by: User, on: dt.date, reason: str) -> None:
    """不予受理: its 包案, if any, is closed so that reminders stop."""
    petition.decline(by=by, on=on, reason=reason)
    assignment_close(case=petition)


@transaction.atomic
def petition_extend(*, petition: Petition, by: User, days: int, reason: str) -> None:
    petition.extend(by=by, days=days, reason=reason)
    _sync_deadline(petition)


@transaction.atomic
def petition_assign(
    *, petition: Petition, by: User, lead: User, responsible_unit: str, deadline: dt.date, team: Iterable[User] = (),
) -> ResponsibilityAssignment:
    """包案 (三定): the lead official, the unit, the team and a deadline no later than the statutory date."""
    petition.set_deadline(by=by, deadline=deadline)
    assignment = assignment_for(petition)
    if assignment is None:
        return assignment_create(
            case=petition, township=petition.township, village=petition.village,
            grid=petition.household.grid if petition.household_id else None, lead=lead,
            responsible_unit=responsible_unit, deadline=petition.due_on, team=list(team),
            label=f"{petition.number} {petition.get_subject_display()}", url=petition.get_absolute_url(),
            at_county=petition.registered_at_county, by=by,
        )
    return assignment_update(
        assignment=assignment, lead=lead, responsible_unit=responsible_unit, deadline=petition.due_on,
        team=list(team), by=by,
    )


@transaction.atomic
def petition_supervise(*, petition: Petition, by: User, level: str, comment: str = "") -> ResponsibilityAssignment:
    """挂牌督办 rests on the 包案: a petition without a lead official has nobody to supervise."""
    assignment = assignment_for(petition)
    if assignment is None:
        raise ValidationError(_("Assign a lead official (包案) before putting the petition under supervision."))
    lock(petition)
    if petition.is_finished and level:
        raise ValidationError(_("A closed-out petition cannot be put under supervision."))
    return assignment_supervise(assignment=assignment, by=by, level=level, comment=comment)


@transaction.atomic
def petition_progress_add(*, petition: Petition, by: User, done_on: dt.date, handler: str, action: str) -> ProgressEntry:
    lock(petition)
    if petition.is_declined:
        raise ValidationError(_("A petition that was not accepted cannot be changed."))
    if petition.is_closed:
        raise ValidationError(_("A closed-out petition cannot be changed; reopen it first."))
    if done_on < petition.received_on or done_on > timezone.localdate():
        raise ValidationError(_("The date must lie between receipt and today."))
    entry = ProgressEntry(
        petition=petition, round=petition.round, done_on=done_on, handler=handler.strip() or str(by),
        action=action.strip(), recorded_by=by,
    )
    entry._history_user = by
    entry.save()
    return entry


@transaction.atomic
def petition_closeout_request(*, petition: Petition, by: User, outcome: str, reason: str = "",
                              note: str = "") -> CloseOut:
    """销号 asked for: the supervisors (county leaders for a county's case) and the lead official are told."""
    closeout = petition.request_closeout(by=by, outcome=outcome, reason=reason, note=note)
    notices.closeout_requested(case=petition, closeout=closeout, approvers=closeout_approvers(petition))
    return closeout


def closeout_approvers(petition: Petition) -> list[User]:
    """Who may approve a petition's 销号 (petitions.access.can_approve): the township's supervisors, the county's
    leaders, and the lead official."""
    people = list(User.objects.filter(
        Q(township_id=petition.township_id, role=User.Role.SUPERVISOR)
        | Q(county_id=petition.township.county_id, county__isnull=False, role=User.Role.COUNTY_LEADER),
        is_active=True))
    assignment = assignment_for(petition)
    return [*people, assignment.lead] if assignment is not None else people


@transaction.atomic
def petition_closeout_decide(*, petition: Petition, by: User, approve: bool, comment: str = "") -> CloseOut:
    closeout = petition.decide_closeout(by=by, approve=approve, comment=comment)
    if approve:
        assignment_close(case=petition)
    notices.closeout_decided(case=petition, closeout=closeout, approved=approve, comment=comment)
    return closeout


@transaction.atomic
def petition_correct(
    *, petition: Petition, by: User, reason: str, changes: dict, petitioners: list[tuple[Petitioner, dict]] = (),
) -> None:
    """更正 of a registered petition: its facts, its petitioners (name, ID number, phone) and, by a supervisor only,
    the dates its statutory clock runs from. The reminders follow the corrected due date."""
    from . import access

    lock(petition)
    if any(changes.get(k, getattr(petition, k)) != getattr(petition, k) for k in Petition.CLOCK_FIELDS) and (
            not access.can_supervise(by)):
        raise ValidationError(_("Only a supervisor corrects the dates the statutory clock runs from."))
    notes = []
    for person, values in petitioners:
        changed = {k: v for k, v in values.items() if v and getattr(person, k) != v}
        if not changed:
            continue
        if "name" in changed:
            notes.append(_("petitioner %(old)s → %(new)s") % {"old": person.name, "new": changed["name"]})
        if "id_number" in changed:
            notes.append(_("ID number of %(name)s corrected") % {"name": changed.get("name", person.name)})
        if "phone" in changed:
            notes.append(_("phone of %(name)s corrected") % {"name": changed.get("name", person.name)})
        for name, value in changed.items():
            setattr(person, name, value)
        fields = [*changed, "updated_at"]
        if "id_number" in changed and person.resident_id is not None:
            person.resident = None  # no longer the registry's person it was taken from
            fields.append("resident")
        person._history_user = by
        person.save(update_fields=fields)
    field_changes = {k: v for k, v in changes.items() if getattr(petition, k) != v}
    if not field_changes and not notes:
        raise ValidationError(_("Nothing was changed."))
    petition.correct(by=by, reason=reason, changes=field_changes, petitioner_note="; ".join(notes))
    _sync_deadline(petition)


@transaction.atomic
def petition_reopen(*, petition: Petition, by: User, reason: str) -> None:
    petition.reopen(by=by, reason=reason)
    assignment_reopen(case=petition, deadline=petition.due_on)
    _sync_deadline(petition)


def follow_household_grid(sender, *, household, **kwargs) -> None:
    """Answers ``households.services.household_regridded``: the 包案 of the household's petitions follow it to its
    new grid (a petition keeps the village it was registered in)."""
    for petition in Petition.objects.filter(household=household, assignments__isnull=False).distinct():
        assignment_relocate(case=petition, village=petition.village, grid=household.grid)
