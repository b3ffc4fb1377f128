"""Migration petitions 0009: a petition's own 四包 rows become the checklist of its 包案; the items ticked on a
petition that had no 包案 yet are kept as a 办理过程 entry (nothing is lost)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from casework.models import AssignmentCheck
from petitions.models import Petition, ProgressEntry
from petitions.services import assignment_for

from .factories import advance, assign, register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.today("2026-11-20")]

BEFORE = [("petitions", "0008_petition_correction_note")]
AFTER = [("petitions", "0009_checks_move_to_the_assignment")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_the_checks_move_to_the_assignment_or_into_the_progress_record(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    with_lead = advance(register(by=staff, village=world.village_a), Petition.Status.HANDLING, staff=staff,
                        supervisor=supervisor)
    assignment = assign(with_lead, by=staff, lead=supervisor)
    alone = advance(register(by=staff, village=world.village_a), Petition.Status.HANDLING, staff=staff,
                    supervisor=supervisor)
    assert assignment_for(alone) is None

    executor = _migrate(BEFORE)
    Check = executor.loader.project_state(BEFORE).apps.get_model("petitions", "ResponsibilityCheck")
    Check.objects.create(petition_id=with_lead.pk, item="investigate", done=True, note="已走访核实",
                         updated_by_id=supervisor.pk)
    Check.objects.create(petition_id=with_lead.pk, item="stabilise", done=False, note="", updated_by_id=staff.pk)
    Check.objects.create(petition_id=alone.pk, item="coordinate", done=True, note="召开协调会", updated_by_id=staff.pk)
    _migrate(AFTER)

    moved = {c.item: c for c in AssignmentCheck.objects.filter(assignment=assignment)}
    assert set(moved) == {"investigate", "stabilise"}
    assert (moved["investigate"].done, moved["investigate"].note, moved["investigate"].updated_by) == (
        True, "已走访核实", supervisor)
    assert moved["investigate"].done_on is not None and moved["stabilise"].done_on is None
    kept = ProgressEntry.objects.get(petition=alone, action__startswith="四包")
    assert kept.action == "四包·包协调处理：已完成：召开协调会" and kept.recorded_by == staff
