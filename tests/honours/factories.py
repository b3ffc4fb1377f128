from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from honours import services
from honours.models import Entry, ListDefinition, ListIssue
from tests.factories import UserFactory


def make_definition(township, *, by, village=None, subject="grid", metric="coverage_90", **kwargs) -> ListDefinition:
    fields = {"name": "网格走访覆盖红黑榜", "red_count": 1, "black_count": 1, "min_denominator": 1, **kwargs}
    return ListDefinition.objects.create(township=township, village=village, subject=subject, metric=metric,
                                         created_by=by, **fields)


def make_issue(definition, *, by, status="draft", approver=None, today=None) -> ListIssue:
    """A list with one red and one black entry (made by hand, not computed), moved to ``status``."""
    today = today or timezone.localdate()
    issue = ListIssue.objects.create(definition=definition, township=definition.township,
                                     village=definition.village, period_start=dt.date(2026, 11, 1),
                                     period_end=dt.date(2026, 11, 30), evaluated_on=today, drafted_by=by)
    Entry.objects.create(issue=issue, board="red", rank=1, subject_id=999_999_901, label="第一网格", value=Decimal("90"),
                         numerator=9, denominator=10, display="90.0%（9/10）", reason="走访扎实")
    Entry.objects.create(issue=issue, board="black", rank=1, subject_id=999_999_902, label="第二网格", value=Decimal("20"),
                         numerator=2, denominator=10, display="20.0%（2/10）", reason="多户长期未走访")
    if status in ("submitted", "published"):
        issue.submit(by=by)
    if status == "published":
        services.issue_approve(issue=issue, by=approver or UserFactory(role="supervisor",
                                                                       township=definition.township), today=today)
    return issue
