"""Use cases of the 包案 responsibility assignment that the case types call. Keyword-only, ``<entity>_<action>``,
atomic. A case type never writes an assignment itself."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import locked
from governance.models import User

from . import notices
from .models import ResponsibilityAssignment


@transaction.atomic
def assignment_create(
    *, case, township, village, lead: User, responsible_unit: str, deadline: dt.date, grid=None,
    team: list[User] | tuple = (), label: str | None = None, url: str = "", at_county: bool = False,
    by: User | None = None,
) -> ResponsibilityAssignment:
    """包案 for a dispute or a petition (三定: lead, team, deadline). One assignment per case. ``village`` and
    ``grid`` are where the case is (None: not in one): they decide who sees the assignment. ``at_county``: a case
    of the county (escalated there, or registered there), whose overdue escalation reaches the county's leaders."""
    case_type = ContentType.objects.get_for_model(case)
    if ResponsibilityAssignment.objects.filter(case_type=case_type, case_id=case.pk).exists():
        raise ValidationError(_("This case already has a responsibility assignment."))
    assignment = ResponsibilityAssignment.objects.create(
        township=township, village=village, grid=grid, case_type=case_type, case_id=case.pk,
        case_label=(label or str(case))[:200], case_url=url or _absolute_url(case),
        lead=lead, responsible_unit=responsible_unit, deadline=deadline, at_county=at_county,
    )
    if team:
        assignment.team.set(team)
    notices.assignment_assigned(assignment=assignment, people=[lead, *team], actor=by)
    return assignment


def assignment_for(case) -> ResponsibilityAssignment | None:
    case_type = ContentType.objects.get_for_model(case)
    return ResponsibilityAssignment.objects.filter(case_type=case_type, case_id=case.pk).first()


@transaction.atomic
def assignment_update(
    *, assignment: ResponsibilityAssignment, lead: User | None = None, responsible_unit: str | None = None,
    deadline: dt.date | None = None, team: list[User] | None = None, by: User | None = None,
) -> ResponsibilityAssignment:
    """Change the lead, unit, team or deadline. A new deadline lets the reminder stages of that deadline apply.
    A change of the team alone is a new version too (the edit forms compare versions)."""
    with locked(assignment):
        fields = []
        for name, value in (("lead", lead), ("responsible_unit", responsible_unit), ("deadline", deadline)):
            if value is not None and getattr(assignment, name) != value:
                setattr(assignment, name, value)
                fields.append(name)
        team_changed = team is not None and {u.pk for u in team} != set(assignment.team.values_list("pk", flat=True))
        if fields or team_changed:
            assignment.save(update_fields=[*fields, "updated_at"])
        if team_changed:
            assignment.team.set(team)
    if "lead" in fields or team_changed:  # whoever is new to the case is told; the others were already
        notices.assignment_assigned(assignment=assignment, people=[assignment.lead, *(team or ())], actor=by)
    return assignment


@transaction.atomic
def assignment_relocate(*, case, village, grid) -> None:
    """The case moved (its grid was corrected): its assignment follows, so that the right grid worker sees it."""
    assignment = assignment_for(case)
    if assignment is None or (assignment.village_id, assignment.grid_id) == (getattr(village, "pk", village),
                                                                          getattr(grid, "pk", grid)):
        return
    with locked(assignment):
        assignment.village, assignment.grid = village, grid
        assignment.save(update_fields=["village", "grid", "updated_at"])


@transaction.atomic
def assignment_set_county(*, case, at_county: bool) -> None:
    """The case went up to the county or came back down (难事不出县): its assignment follows, so that an overdue
    case's escalation reaches the county's leaders while the county holds it."""
    assignment = assignment_for(case)
    if assignment is None or assignment.at_county == at_county:
        return
    with locked(assignment):
        assignment.at_county = at_county
        assignment.save(update_fields=["at_county", "updated_at"])


@transaction.atomic
def assignment_close(*, case, now: dt.datetime | None = None) -> None:
    """The case is closed: its assignment stops being chased by reminders (reopening opens it again). ``now``: when
    the case was closed, if not now (a return entered afterwards keeps the time it was submitted)."""
    assignment = assignment_for(case)
    if assignment is None:
        return
    with locked(assignment):
        if not assignment.is_open:
            return
        assignment.is_open = False
        assignment.closed_at = now or timezone.now()
        assignment.save(update_fields=["is_open", "closed_at", "updated_at"])


@transaction.atomic
def assignment_reopen(*, case, deadline: dt.date | None = None) -> None:
    assignment = assignment_for(case)
    if assignment is None:
        return
    with locked(assignment):
        if assignment.is_open:
            return
        assignment.is_open = True
        assignment.closed_at = None
        fields = ["is_open", "closed_at", "updated_at"]
        if deadline is not None:
            assignment.deadline = deadline
            fields.append("deadline")
        assignment.save(update_fields=fields)


@transaction.atomic
def assignment_supervise(
    *, assignment: ResponsibilityAssignment, by: User, level: str, comment: str = ""
) -> ResponsibilityAssignment:
    """挂牌督办: a supervisor puts the case under supervision with a yellow or red card (or lifts it with "")."""
    if not by.has_role(User.Role.SUPERVISOR, User.Role.COUNTY_LEADER):
        raise ValidationError(_("Only a supervisor can put a case under supervision."))
    if level not in ResponsibilityAssignment.SupervisionLevel.values:
        raise ValidationError(_("Unknown supervision level."))
    if level and not comment.strip():
        raise ValidationError(_("Say what the supervision asks for."))
    with locked(assignment):
        if (assignment.supervision_level, assignment.supervision_comment) == (level, comment):
            return assignment  # a second click on the same 督办 changes nothing
        assignment.supervision_level = level
        assignment.supervision_comment = comment
        assignment.supervised_by = by if level else None
        assignment.supervised_at = timezone.now() if level else None
        assignment.save(update_fields=[
            "supervision_level", "supervision_comment", "supervised_by", "supervised_at", "updated_at",
        ])
    if level:
        notices.assignment_supervised(assignment=assignment, actor=by)
    return assignment


def _absolute_url(case) -> str:
    get_url = getattr(case, "get_absolute_url", None)
    return get_url() if get_url else ""


@transaction.atomic
def assignment_flag(*, assignment: ResponsibilityAssignment, level: str, comment: str) -> ResponsibilityAssignment:
    """挂牌督办 that a rule puts on, not a person (a 重大 hazard is under a red card from its first deadline):
    no supervisor's name; a supervisor may later change or lift it with ``assignment_supervise``."""
    if level not in ResponsibilityAssignment.SupervisionLevel.values or not level:
        raise ValidationError(_("Unknown supervision level."))
    with locked(assignment):
        if assignment.supervision_level == level:
            return assignment
        assignment.supervision_level, assignment.supervision_comment = level, comment
        assignment.supervised_by, assignment.supervised_at = None, timezone.now()
        assignment.save(update_fields=[
            "supervision_level", "supervision_comment", "supervised_by", "supervised_at", "updated_at",
        ])
    notices.assignment_supervised(assignment=assignment, actor=None)
    return assignment

