"""The lifecycle: each step from its states only, one history row each; the publicity minimum; 不予纳入 with a reason;
the exit path keeps the record; a new lead opens a new episode; the decision clock; the watch tag follows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from casework.cases import TransitionError
from casework.services import assignment_for
from monitoring.models import MonitoringCase
from tests.monitoring.factories import DAY, ENTRY_PATH, EXIT_PATH, S, advance, open_case, step

PATH = ENTRY_PATH + EXIT_PATH[1:]
ALLOWED = {
    S.VERIFYING: (S.LEAD,), S.PUBLICITY: (S.VERIFYING,), S.TOWNSHIP_REVIEW: (S.PUBLICITY,),
    S.COUNTY_REVIEW: (S.TOWNSHIP_REVIEW,), S.MONITORED: (S.COUNTY_REVIEW,),
    S.EXIT_APPLIED: (S.MONITORED,), S.EXIT_VERIFYING: (S.EXIT_APPLIED,), S.EXIT_PUBLICITY: (S.EXIT_VERIFYING,),
    S.EXIT_COUNTY_REVIEW: (S.EXIT_PUBLICITY,), S.ELIMINATED: (S.EXIT_COUNTY_REVIEW,),
    S.REJECTED: (S.LEAD, S.VERIFYING, S.PUBLICITY, S.TOWNSHIP_REVIEW, S.COUNTY_REVIEW),
}
# One method serves both paths (verify, start and end the publicity): from the other path's state it moves along that one.
SAME_METHOD = {S.VERIFYING: S.EXIT_VERIFYING, S.PUBLICITY: S.EXIT_PUBLICITY, S.TOWNSHIP_REVIEW: S.EXIT_COUNTY_REVIEW}
SAME_METHOD |= {v: k for k, v in SAME_METHOD.items()}


def _refused(target):
    return [*ALLOWED[target], *ALLOWED.get(SAME_METHOD.get(target), ())]


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff(world):
    return world.users["staff"]


def test_a_lead_is_numbered_and_gets_a_decision_clock(world, staff, today):
    case = open_case(staff, grid=world.grid_a1)
    assert case.number == f"FP-{today.year}-0001"
    assert case.status == S.LEAD
    assignment = assignment_for(case)
    assert assignment.is_open and assignment.deadline == today + 15 * DAY
    assert assignment.village == world.village_a
    assert open_case(staff, grid=world.grid_a1).number == f"FP-{today.year}-0002"


@override_settings(MONITORING_DECISION_DAYS=20)
def test_the_decision_limit_is_a_setting(world, staff, today):
    assert assignment_for(open_case(staff, grid=world.grid_a1)).deadline == today + 20 * DAY


@pytest.mark.parametrize(("target", "source"), [(t, s) for t, sources in ALLOWED.items() for s in sources])
def test_each_step_is_allowed_from_its_states_and_writes_one_history_row(world, staff, target, source):
    case = advance(open_case(staff, grid=world.grid_a1), source, staff)
    before = case.history.count()
    step(case, target, staff)
    assert case.status == target
    assert case.history.count() == before + 1
    assert case.history.first().history_user == staff


@pytest.mark.parametrize(("target", "source"), [(t, s) for t in ALLOWED for s in PATH
                                                if s not in _refused(t)])
def test_each_step_is_refused_from_other_states(world, staff, target, source):
    case = advance(open_case(staff, grid=world.grid_a1), source, staff)
    before = case.history.count()
    with pytest.raises(TransitionError):
        step(case, target, staff)
    case.refresh_from_db()
    assert case.status == source and case.history.count() == before


def test_publicity_lasts_at_least_five_days_and_cannot_end_earlier(world, staff, today):
    case = advance(open_case(staff, grid=world.grid_a1), S.VERIFYING, staff)
    with pytest.raises(ValidationError, match="at least 5 days"):
        case.start_publicity(by=staff, starts_on=today, ends_on=today + 4 * DAY)
    case.refresh_from_db()
    assert case.status == S.VERIFYING
    case.start_publicity(by=staff, starts_on=today, ends_on=today + 5 * DAY)
    with pytest.raises(ValidationError, match="cannot end before"):
        case.end_publicity(by=staff, on=today + 4 * DAY)
    case.refresh_from_db()
    assert case.status == S.PUBLICITY
    case.end_publicity(by=staff, on=today + 5 * DAY)
    assert case.status == S.TOWNSHIP_REVIEW


@override_settings(MONITORING_PUBLICITY_MIN_DAYS=7)
def test_the_publicity_minimum_is_a_setting(world, staff, today):
    case = advance(open_case(staff, grid=world.grid_a1), S.VERIFYING, staff)
    with pytest.raises(ValidationError, match="at least 7 days"):
        case.start_publicity(by=staff, starts_on=today, ends_on=today + 6 * DAY)


def test_refusal_needs_a_reason_and_stops_the_clock(world, staff, today):
    case = advance(open_case(staff, grid=world.grid_a1), S.VERIFYING, staff)
    with pytest.raises(ValidationError, match="Say why"):
        case.reject(by=staff, on=today, reason=" ")
    case.reject(by=staff, on=today, reason="收入高于监测范围")
    case.refresh_from_db()
    assert case.status == S.REJECTED and case.rejection_reason == "收入高于监测范围"
    assert not assignment_for(case).is_open


def test_approval_tags_the_household_and_elimination_untags_it_keeping_the_record(world, staff):
    case = advance(open_case(staff, grid=world.grid_a1, type_code="unstable"), S.MONITORED, staff)
    assert list(case.household.tags.values_list("code", flat=True)) == ["watch-unstable"]
    assert not assignment_for(case).is_open
    advance(case, S.ELIMINATED, staff)
    assert not case.household.tags.exists()
    assert MonitoringCase.objects.filter(pk=case.pk, status=S.ELIMINATED).exists()


def test_a_household_has_one_open_episode_and_a_new_lead_opens_a_new_one(world, staff):
    case = open_case(staff, grid=world.grid_a1)
    with pytest.raises(ValidationError, match="already has an open monitoring case"):
        open_case(staff, household=case.household)
    advance(case, S.ELIMINATED, staff)
    again = open_case(staff, household=case.household)
    assert again.pk != case.pk and again.number != case.number
    assert case.household.monitoring_cases.count() == 2


def test_a_household_without_labour_on_guarantee_stays_monitored(world, staff, today):
    case = advance(open_case(staff, grid=world.grid_a1, no_labour_on_guarantee=True), S.MONITORED, staff)
    with pytest.raises(ValidationError, match="stays monitored"):
        case.apply_exit(by=staff, on=today)


def test_an_elimination_can_be_refused_back_to_monitored(world, staff):
    case = advance(open_case(staff, grid=world.grid_a1), S.EXIT_VERIFYING, staff)
    case.refuse_elimination(by=staff, reason="收入仍不稳定")
    case.refresh_from_db()
    assert case.status == S.MONITORED


def test_an_overdue_lead_is_past_its_decision_date(world, staff, today):
    case = open_case(staff, grid=world.grid_a1, found_on=today - 16 * DAY)
    assert case.decision_overdue
    assert not open_case(staff, grid=world.grid_a1).decision_overdue
    assert dt.date.today  # (today is pinned by the fixture)
