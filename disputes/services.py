"""Use cases of disputes that span several models. Keyword-only, ``dispute_<action>``, atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
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
    assignment_set_county,
    assignment_supervise,
    assignment_update,
)
from core.concurrency import lock
from governance.models import User
from governance.workdays import WorkCalendar

from .models import Dispute, DisputeCounter, LevelChange, Party


def dispute_next_number(*, township, year: int) -> str:
    """The next number of the township's year. Must run inside the registering transaction: the counter row
    stays locked until it commits, so concurrent registrations queue here and each gets its own number."""
    return DisputeCounter.next_number(township, year)[0]


@transaction.atomic
def dispute_register(*, by: User, data: dict, parties: Iterable[dict] = (), visit=None) -> Dispute:
    """Register a dispute with its parties. ``data`` holds Dispute fields (village and grid included);
    ``parties`` dicts of Party fields (``resident`` or ``name``/``id_number``/``phone``/``address``)."""
    dispute = Dispute(**data)
    dispute.township_id = dispute.village.township_id
    dispute.registered_by = by
    dispute.visit = visit
    if by.role == User.Role.HOUSEHOLD_HEAD and by.household_head_id:
        dispute.reporting_head_id = by.household_head_id
        dispute.source = Dispute.Source.HOUSEHOLD_HEAD
    if dispute.grid.village_id != dispute.village_id:
        raise ValidationError(_("The grid must belong to the village."))
    dispute.number = dispute_next_number(township=dispute.township, year=dispute.registered_on.year)
    dispute._history_user = by
    dispute._change_reason = "register"
    dispute.save()
    for party in parties:
        party_add(dispute=dispute, by=by, **party)
    return dispute


@transaction.atomic
def party_add(*, dispute: Dispute, by: User, side: str = Party.Side.APPLICANT, resident=None, name: str = "",
              id_number: str = "", phone: str = "", address: str = "", gender: str = "", ethnicity: str = "",
              age: int | None = None, occupation: str = "") -> Party:
    lock(dispute)  # not while someone closes it
    if dispute.is_closed:
        raise ValidationError(_("The parties of a closed dispute cannot change."))
    if resident is not None:
        name, id_number, phone = resident.name, "", ""
    party = Party(dispute=dispute, side=side, resident=resident, name=name, id_number=id_number, phone=phone,
                  address=address, gender=gender, ethnicity=ethnicity, age=age, occupation=occupation)
    party.full_clean(exclude=["dispute", "resident"])
    party._history_user = by
    party.save()
    return party


@transaction.atomic
def party_remove(*, party: Party, by: User) -> None:
    lock(party.dispute)
    if party.dispute.is_closed:
        raise ValidationError(_("The parties of a closed dispute cannot change."))
    if party.dispute.parties.count() <= 1:
        raise ValidationError(_("A dispute keeps at least one party."))
    party._history_user = by
    party.delete()


@transaction.atomic
def dispute_close(*, dispute: Dispute, by: User, outcome: str, note: str = "") -> None:
    """已结案 with its 到位 outcome, and its 包案 assignment stops being chased by reminders; a 较大/重大 dispute
    waits for someone else's approval first (the clock runs on until then)."""
    dispute.close(by=by, outcome=outcome, note=note)
    if dispute.is_closed:
        assignment_close(case=dispute)


@transaction.atomic
def dispute_decide_closeout(*, dispute: Dispute, by: User, approve: bool, comment: str = "") -> None:
    """Approve or send back the close-out of a 较大/重大 dispute (by someone other than who asked)."""
    if not dispute.can_assign(by):
        raise ValidationError(_("Only township staff or a supervisor can approve a close-out."))
    dispute.decide_closeout(by=by, approve=approve, comment=comment)
    if dispute.is_closed:
        assignment_close(case=dispute)


@transaction.atomic
def dispute_reopen(*, dispute: Dispute, by: User, reason: str) -> None:
    """A closed dispute taken up again: mediation resumes and its 包案 assignment is chased again."""
    dispute.reopen(by=by, reason=reason)
    assignment_reopen(case=dispute)


def deadline_after_working_days(*, start: dt.date | None = None, days: int | None = None) -> dt.date:
    """办结时限 counted in working days (statutory holidays skipped, 调休 Saturdays counted)."""
    start = start or timezone.localdate()
    days = settings.DISPUTES_DEADLINE_WORKING_DAYS if days is None else days
    return WorkCalendar.load().add_working_days(start, days)


@transaction.atomic
def dispute_assign(
    *, dispute: Dispute, by: User, lead: User, responsible_unit: str, deadline: dt.date, team: list[User] | tuple = ()
) -> ResponsibilityAssignment:
    """包案: set, or change, the lead official, responsible unit, team and deadline of the dispute."""
    if not dispute.can_assign(by):
        raise ValidationError(_("Only township staff or a supervisor can set the responsibility assignment."))
    lock(dispute)
    if dispute.is_closed:
        raise ValidationError(_("A closed dispute gets no responsibility assignment."))
    assignment = assignment_for(dispute)
    if assignment is None:
        return assignment_create(
            case=dispute, township=dispute.township, village=dispute.village, grid=dispute.grid, lead=lead,
            responsible_unit=responsible_unit, deadline=deadline, team=list(team), label=str(dispute),
            url=dispute.get_absolute_url(), at_county=dispute.level == Dispute.Level.COUNTY, by=by,
        )
    return assignment_update(
        assignment=assignment, lead=lead, responsible_unit=responsible_unit, deadline=deadline, team=list(team), by=by
    )


@transaction.atomic
def dispute_save_edit(*, dispute: Dispute) -> Dispute:
    """Save the edited facts; a corrected grid takes the 包案 along (its grid decides which grid worker sees it)."""
    dispute.save()
    assignment_relocate(case=dispute, village=dispute.village, grid=dispute.grid)
    return dispute


@transaction.atomic
def dispute_change_level(*, dispute: Dispute, by: User, to_level: str, reason: str, handler=None,
                         handler_name: str = "") -> LevelChange:
    """Escalate or hand down (村 → 镇 → 县): the level that now handles the case (and its new handler and lead
    official) is told at once; at the county, the 包案's overdue escalation reaches the county's leaders."""
    change = dispute.change_level(by=by, to_level=to_level, reason=reason, handler=handler,
                                  handler_name=handler_name)
    assignment_set_county(case=dispute, at_county=dispute.level == Dispute.Level.COUNTY)
    assignment = assignment_for(dispute)
    people = [*_people_at(dispute, to_level), handler, assignment.lead if assignment else None]
    notices.case_level_changed(case=dispute, change_pk=change.pk, escalated=change.is_escalation, people=people,
                               reason=reason, actor=by)
    return change


def _people_at(dispute: Dispute, level: str):
    R = User.Role
    if level == Dispute.Level.COUNTY:
        county_id = dispute.township.county_id
        return notices.county_people(county_id, R.COUNTY_STAFF, R.COUNTY_LEADER) if county_id else []
    if level == Dispute.Level.TOWNSHIP:
        return notices.township_people(dispute.township_id, R.TOWNSHIP_STAFF, R.SUPERVISOR)
    return notices.village_cadres(dispute.village_id) if dispute.village_id else []


@transaction.atomic
def dispute_supervise(*, dispute: Dispute, by: User, level: str, comment: str = "") -> ResponsibilityAssignment:
    """挂牌督办 (yellow or red card) on the dispute's assignment; a dispute without one must be assigned first."""
    assignment = assignment_for(dispute)
    if assignment is None:
        raise ValidationError(_("Set the responsibility assignment before putting the dispute under supervision."))
    return assignment_supervise(assignment=assignment, by=by, level=level, comment=comment)
