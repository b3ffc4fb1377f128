"""A 红黑榜 can rank 联户长 by their graded 考核 score (the assessment's metric in honours' registry): only graded runs
whose period ends inside the list's period count."""

import datetime as dt
from decimal import Decimal

import pytest

from assessment.models import Run
from honours import services
from honours.sources import metric_choices
from tests.factories import HouseholdFactory
from tests.honours.factories import make_definition

from .factories import make_runs

pytestmark = pytest.mark.today("2026-11-20")


def test_a_list_ranks_heads_by_their_graded_score(world):
    for head in (world.head_a1, world.head_a1_2):
        HouseholdFactory(grid=world.grid_a1, household_head=head)
    runs = make_runs(world, day=dt.date(2026, 10, 15))
    Run.objects.filter(pk=runs[world.head_a1.pk].pk).update(status=Run.Status.FINAL, score=Decimal("91.5"), stars=5)
    Run.objects.filter(pk=runs[world.head_a1_2.pk].pk).update(status=Run.Status.FINAL, score=Decimal("58"), stars=1)
    assert "assessment_score" in dict(metric_choices("head"))
    rule = make_definition(world.township, by=world.users["staff"], subject="head", metric="assessment_score",
                           name="联户长考核红黑榜")
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    issue = services.issue_draft(definition=rule, by=world.users["staff"], start=start, end=end,
                                 today=dt.date(2026, 11, 20))
    entries = {(e.board, e.display) for e in issue.entries.all()}
    assert entries == {("red", "91.5分★★★★★"), ("black", "58.0分★")}
    # a run not yet graded is not ranked
    Run.objects.filter(pk=runs[world.head_a1_2.pk].pk).update(status=Run.Status.PUBLICITY)
    again = services.issue_draft(definition=rule, by=world.users["staff"], start=start, end=end,
                                 today=dt.date(2026, 11, 20))
    assert "58.0分★" not in {e.display for e in again.entries.all()}
