"""The rectification engine (casework/rectification.py) on hazards: each transition, its guards, its history and its
clocks on the 包案 assignment (so the existing reminder scan chases them)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casework import rectification as engine
from casework.services import assignment_for
from hazards import services
from hazards.models import ControlPlan, Hazard
from tests.factories import UserFactory
from tests.hazards.factories import HazardFactory, advance

S = Hazard.Status


@pytest.fixture
def people(world):
    return world.users["staff"], world.users["grid_worker"], world.users["supervisor"]


def test_the_main_path_writes_history_and_keeps_every_row(world, hazard_a, people, today):
    staff, worker, supervisor = people
    advance(hazard_a, S.RECHECK, worker, lead=staff)
    hazard_a.refresh_from_db()
    assert hazard_a.status == S.RECHECK
    assert hazard_a.recheck_due_on == dt.date(2026, 11, 25)  # 3 working days after Friday 20 November
    assignment = assignment_for(hazard_a)
    assert assignment.is_open and assignment.deadline == hazard_a.recheck_due_on  # the second clock
    services.hazard_recheck(hazard=hazard_a, by=staff, on=today, passed=True)
    assert hazard_a.status == S.CLOSEOUT and not assignment_for(hazard_a).is_open
    hazard_a.request_closeout(by=worker)
    hazard_a.decide_closeout(by=supervisor, approve=True)
    hazard_a.refresh_from_db()
    assert hazard_a.status == S.CLOSED and hazard_a.closed_at
    reasons = list(hazard_a.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert [r for r in reasons if r] == ["start_rectification", "report_completion", "recheck_passed",
                                         "request_closeout", "closeout_approved"]
    assert hazard_a.rectifications.count() == 1 and hazard_a.rechecks.count() == 1
    assert hazard_a.closeouts.get().decided_by == supervisor


def test_the_rectifier_cannot_recheck_their_own_work(hazard_a, people, today, english):
    staff, worker, _ = people
    advance(hazard_a, S.RECHECK, worker, lead=staff)
    with pytest.raises(ValidationError, match="someone other than the person who rectified"):
        services.hazard_recheck(hazard=hazard_a, by=worker, on=today, passed=True)
    hazard_a.refresh_from_db()
    assert hazard_a.status == S.RECHECK and hazard_a.rechecks.count() == 0


def test_a_failed_recheck_starts_a_new_round_with_a_new_deadline(hazard_a, people, today):
    staff, worker, _ = people
    advance(hazard_a, S.RECHECK, worker, lead=staff)
    with pytest.raises(ValidationError):
        services.hazard_recheck(hazard=hazard_a, by=staff, on=today, passed=False, note="仍有裸线")  # no deadline
    new = today + dt.timedelta(days=5)
    services.hazard_recheck(hazard=hazard_a, by=staff, on=today, passed=False, note="仍有裸线", new_deadline=new)
    hazard_a.refresh_from_db()
    assert (hazard_a.status, hazard_a.round, hazard_a.deadline) == (S.RECTIFYING, 2, new)
    assert assignment_for(hazard_a).deadline == new and assignment_for(hazard_a).is_open
    services.hazard_report_completion(hazard=hazard_a, by=worker, done_on=today, measures="全部更换")
    services.hazard_recheck(hazard=hazard_a, by=staff, on=today, passed=True)
    assert list(hazard_a.rechecks.values_list("round", "passed")) == [(1, False), (2, True)]


def test_closeout_is_approved_by_someone_else_only(hazard_a, people, english):
    staff, worker, supervisor = people
    advance(hazard_a, S.CLOSEOUT, worker, lead=staff, checker=staff)
    hazard_a.request_closeout(by=worker)
    with pytest.raises(ValidationError, match="already waiting"):
        hazard_a.request_closeout(by=staff)
    with pytest.raises(ValidationError, match="someone other than the person who asked"):
        hazard_a.decide_closeout(by=worker, approve=True)
    with pytest.raises(ValidationError, match="Say why"):
        hazard_a.decide_closeout(by=supervisor, approve=False)
    hazard_a.decide_closeout(by=supervisor, approve=False, comment="照片不清")
    assert hazard_a.status == S.CLOSEOUT and hazard_a.pending_closeout() is None
    hazard_a.request_closeout(by=worker)
    hazard_a.decide_closeout(by=supervisor, approve=True)
    assert hazard_a.status == S.CLOSED
    assert hazard_a.closeouts.count() == 2  # the sent-back request stays on record


def test_a_look_back_reopens_a_closed_hazard(hazard_a, people, today):
    staff, worker, supervisor = people
    advance(hazard_a, S.CLOSED, worker, lead=staff, checker=staff, approver=supervisor)
    with pytest.raises(ValidationError):
        engine.rectification_look_back(case=hazard_a, by=supervisor, on=today, finding="复发", reopen=True)
    engine.rectification_look_back(case=hazard_a, by=supervisor, on=today, finding="整改到位")
    assert hazard_a.status == S.CLOSED
    engine.rectification_look_back(case=hazard_a, by=supervisor, on=today, finding="线路又被私接", reopen=True,
                                   new_deadline=today + dt.timedelta(days=3))
    hazard_a.refresh_from_db()
    assert (hazard_a.status, hazard_a.round, hazard_a.closed_at) == (S.RECTIFYING, 2, None)
    assert assignment_for(hazard_a).is_open
    assert list(hazard_a.lookbacks.values_list("reopened", flat=True)) == [False, True]


@pytest.mark.parametrize("exit_to", [S.TRANSFERRED, S.CONTROLLED])
def test_side_exits_stop_the_clock(hazard_a, people, exit_to):
    staff, worker, _ = people
    advance(hazard_a, S.RECTIFYING, worker, lead=staff)
    advance(hazard_a, exit_to, worker)
    hazard_a.refresh_from_db()
    assert hazard_a.status == exit_to and not assignment_for(hazard_a).is_open
    with pytest.raises(ValidationError):
        hazard_a.report_completion(by=worker, done_on=hazard_a.found_on, measures="x")


def test_wrong_states_are_refused(hazard_a, people, today, english):
    staff, worker, _ = people
    with pytest.raises(ValidationError):
        hazard_a.report_completion(by=worker, done_on=today, measures="x")
    with pytest.raises(ValidationError):
        hazard_a.request_closeout(by=worker)
    with pytest.raises(ValidationError):
        hazard_a.look_back(by=staff, on=today, finding="x")
    with pytest.raises(ValidationError, match="past"):
        hazard_a.start_rectification(by=staff, deadline=today - dt.timedelta(days=1))


def test_a_major_hazard_gets_a_plan_and_a_red_card(world, people, today):
    staff, worker, _ = people
    hazard = services.hazard_register(by=worker, data={
        "village": world.village_a, "grid": world.grid_a1, "field": HazardFactory.build().field,
        "grade": Hazard.Grade.MAJOR, "party_name": "村集体", "description": "山体裂缝，威胁三户。",
        "found_on": today,
    })
    assert ControlPlan.objects.filter(case=hazard).exists()
    advance(hazard, S.RECTIFYING, worker, lead=staff)
    assignment = assignment_for(hazard)
    assert assignment.supervision_level == "red" and assignment.supervised_by is None


def test_a_hazard_reported_by_a_household_head_is_theirs(world, today):
    head = world.users["household_head"]
    hazard = services.hazard_register(by=head, data={
        "village": world.village_a, "grid": world.grid_a1, "field": HazardFactory.build().field,
        "party_name": "马林", "description": "院坝边坡垮塌", "found_on": today,
    })
    assert hazard.source == Hazard.Source.HOUSEHOLD_HEAD and hazard.reporting_head == world.head_a1
    assert list(Hazard.objects.visible_to(head)) == [hazard]


def test_the_scan_sees_an_overdue_hazard(hazard_a, people, today):
    """No new scan code: the hazard's deadline is its assignment's."""
    from casework.models import ResponsibilityAssignment

    staff, worker, _ = people
    advance(hazard_a, S.RECTIFYING, worker, lead=staff)
    Hazard.objects.filter(pk=hazard_a.pk).update(deadline=today - dt.timedelta(days=2))
    ResponsibilityAssignment.objects.filter(pk=assignment_for(hazard_a).pk).update(
        deadline=today - dt.timedelta(days=2))
    overdue = ResponsibilityAssignment.objects.open().filter(deadline__lt=today).of_cases(Hazard)
    assert list(overdue.values_list("case_id", flat=True)) == [hazard_a.pk]
    assert list(Hazard.objects.overdue()) == [hazard_a]


def test_numbering_counts_per_township_and_year(world, today):
    worker = world.users["grid_worker"]
    data = {"village": world.village_a, "grid": world.grid_a1, "field": HazardFactory.build().field,
            "party_name": "张三", "description": "x", "found_on": today}
    first = services.hazard_register(by=worker, data=dict(data))
    second = services.hazard_register(by=worker, data=dict(data))
    other = UserFactory(role="township_staff", township=world.other_township)
    from tests.factories import GridFactory

    grid = GridFactory(village__township=world.other_township)
    theirs = services.hazard_register(by=other, data={**data, "village": grid.village, "grid": grid})
    assert (first.number, second.number, theirs.number) == ("YH-2026-0001", "YH-2026-0002", "YH-2026-0001")
