"""Use cases of monitoring: opening a lead (a new episode, with its decision clock on a 包案 assignment), and the
measures and checks of a case. Keyword-only, ``<entity>_<action>``, atomic."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.services import assignment_create
from governance.models import User

from .models import Measure, MonitoringCase, MonitoringCounter, SecurityCheck


def decision_deadline(found_on: dt.date) -> dt.date:
    """From the first lead to a decision: ``MONITORING_DECISION_DAYS`` days (15 by default)."""
    return found_on + dt.timedelta(days=settings.MONITORING_DECISION_DAYS)


@transaction.atomic
def case_open(*, by: User, household, type, source: str = MonitoringCase.Source.CADRE, risk_kinds=(),
              found_on: dt.date | None = None, lead_note: str = "", contact: User | None = None, visit=None,
              found_in_return=None, lead: User | None = None, **fields) -> MonitoringCase:
    """A 线索: a new episode of ``household``, numbered FP-年-序号, with its decision clock (a 包案 assignment on
    ``lead``, else the assistance contact, else the one who opened it) so the reminder scan warns and escalates."""
    if MonitoringCase.objects.filter(household=household).open().exists():
        raise ValidationError(_("This household already has an open monitoring case."))
    found_on = found_on or timezone.localdate()
    village = household.grid.village
    case = MonitoringCase(
        township=village.township, household=household, village=village, grid=household.grid, type=type,
        source=source, found_on=found_on, lead_note=lead_note, contact=contact, registered_by=by, visit=visit,
        found_in_return=found_in_return, members=household.member_count or 1, **fields,
    )
    case.number, _seq = MonitoringCounter.next_number(village.township, found_on.year)
    case._history_user = by
    case.save()
    if risk_kinds:
        case.risk_kinds.set(risk_kinds)
    assignment_create(
        case=case, township=village.township, village=village, grid=household.grid, lead=lead or contact or by,
        responsible_unit=str(village), deadline=decision_deadline(found_on),
        label=f"{case.number} {household.head_name}", by=by,
    )
    return case


@transaction.atomic
def measure_add(*, case: MonitoringCase, **fields) -> Measure:
    if case.is_closed:
        raise ValidationError(_("A closed case takes no new measures."))
    return Measure.objects.create(case=case, **fields)


@transaction.atomic
def measure_done(*, measure: Measure, on: dt.date, evidence: str = "") -> Measure:
    if measure.done_on is not None:
        raise ValidationError(_("This measure is already done."))
    measure.done_on = on
    if evidence.strip():
        measure.evidence = evidence
    measure.save(update_fields=["done_on", "evidence"])
    return measure


@transaction.atomic
def check_record(*, case: MonitoringCase, by: User, **fields) -> SecurityCheck:
    """A 三保障/饮水 check; the case's open problems become the failing items of its latest check."""
    check = SecurityCheck.objects.create(case=case, checked_by=by, **fields)
    latest = case.checks.order_by("-checked_on", "-pk").first()
    problems = "、".join(latest.problems)
    if problems != case.security_problems:
        case.security_problems = problems
        case.commit(by, ["security_problems"], reason="check")
    if latest.pk == check.pk:
        _house_unsafe_follow(case.household, unsafe=latest.housing_grade in ("C", "D"))
    return check


def _house_unsafe_follow(household, *, unsafe: bool) -> None:
    """住房不安全: a house graded C or D tags the household (its care cadence applies), a later A or B clears it."""
    from households.models import Tag
    from households.services import household_tags_set

    tag = Tag.objects.filter(code="house-unsafe").first()
    tags = set(household.tags.all())
    if tag is None or (tag in tags) == unsafe:
        return
    household_tags_set(household=household, tags=(tags | {tag}) if unsafe else (tags - {tag}))


@transaction.atomic
def details_reveal(*, user: User, case: MonitoringCase, reason: str, ip: str | None = None):
    """Income, health and measures shown in full: logged, with the reason, before they are shown."""
    from django.core.exceptions import PermissionDenied

    from .models import DetailReveal

    if not case.details_visible_to(user):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError(_("State why you need to see the full details."))
    return DetailReveal.objects.create(township_id=case.township_id, case=case, subject=case.household.head_name,
                                       reason=reason[:200], user=user, ip_address=ip)


def village_cadres(village) -> list[User]:
    """Who a lead found in ``village`` is for: its village cadres (村两委), else its 包村干部."""
    people = list(User.objects.filter(villages=village, is_active=True, role=User.Role.VILLAGE_CADRE).order_by("pk"))
    return people or list(User.objects.filter(villages=village, is_active=True, role=User.Role.TOWNSHIP_CADRE)
                          .order_by("pk"))


@transaction.atomic
def lead_open_for_village(*, household, by: User, source: str, kinds, note: str, found_on=None,
                          **fields) -> MonitoringCase:
    """A 线索 found by someone other than the village (a 联户长's visit, a department's list) for the village cadres:
    the 包案 clock on the first of them, all of them told in their inbox. The type is the household's watch tag if it
    has one, else 突发严重困难户 (what a sudden risk makes a household until the verification says otherwise)."""
    from casework import notices

    from .models import MonitoringType

    watch = household.tags.filter(code__in=MonitoringType.objects.values("tag_code")).values("code")
    type_ = (MonitoringType.objects.filter(tag_code__in=watch, active=True).first()
             or MonitoringType.objects.get(code="sudden"))
    cadres = village_cadres(household.grid.village)
    case = case_open(by=by, household=household, type=type_, source=source, risk_kinds=kinds, found_on=found_on,
                     lead_note=note, lead=cadres[0] if cadres else None, **fields)
    if case.assignment is not None:  # the lead was told by the 包案 itself; the village's other cadres too
        notices.assignment_assigned(assignment=case.assignment, people=cadres, actor=by)
    return case


@transaction.atomic
def lead_from_visit(*, visit, household, toggles: list[str], by: User) -> tuple[MonitoringCase, bool]:
    """The risk toggles of a visit (``triggers.TOGGLES``): a 线索 of ``household`` for its village cadres; or, when the
    household already has an open episode, the risks added to that one (one episode per household) and its people
    told. (case, whether it was opened)."""
    from casework import notices
    from households.models import Household

    from .models import RiskKind
    from .triggers import toggle_kinds, toggle_labels

    Household.objects.select_for_update().filter(pk=household.pk).first()  # two visits at once: one episode
    kinds = list(RiskKind.objects.filter(code__in=toggle_kinds(toggles), active=True))
    note = f"{visit.visited_on:%Y-%m-%d} 走访发现：{'、'.join(toggle_labels(toggles))}"
    if visit.notes:
        note = f"{note}。{visit.notes}"
    case = MonitoringCase.objects.filter(household=household).open().first()
    if case is None:
        source = (MonitoringCase.Source.HOUSEHOLD_HEAD if by.role == User.Role.HOUSEHOLD_HEAD
                  else MonitoringCase.Source.VISIT)
        return lead_open_for_village(household=household, by=by, source=source, kinds=kinds, note=note,
                                     found_on=visit.visited_on, visit=visit), True
    case.risk_kinds.add(*kinds)
    case.lead_note = f"{case.lead_note}\n{note}".strip()
    case.commit(by, ["lead_note"], reason="visit_risk")
    people = [*village_cadres(household.grid.village), case.contact, case.assignment.lead if case.assignment else None]
    notices.case_news(case=case, people=people, key=f"visit:{visit.pk}", detail=note, actor=by)
    return case, False
