"""Drafting, approving and following up a 红黑榜."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from governance.models import HouseholdHead, User

from .models import Entry, FollowUp, ListDefinition, ListIssue, TransitionRefused
from .sources import Value, metric_for


def _ranked(values: list[Value], definition: ListDefinition, higher_is_better: bool):
    """The red and black entries, best first for red and worst first for black; never the same subject twice."""
    eligible = [v for v in values if v.value is not None and v.denominator >= definition.min_denominator]
    best_first = sorted(eligible, key=lambda v: (-v.value if higher_is_better else v.value, v.label))

    def good_enough(v):
        t = definition.red_threshold
        return t is None or (v.value >= t if higher_is_better else v.value <= t)

    def bad_enough(v):
        t = definition.black_threshold
        return t is None or (v.value <= t if higher_is_better else v.value >= t)

    red = [v for v in best_first if good_enough(v)][:definition.red_count]
    # Ties at the bottom: the tied subjects are equally bad; the name decides as it does at the top.
    worst_first = sorted(eligible, key=lambda v: (v.value if higher_is_better else -v.value, v.label))
    red_ids = {v.subject_id for v in red}
    black = [v for v in worst_first if v.subject_id not in red_ids and bad_enough(v)][:definition.black_count]
    return red, black, [v for v in values if v not in eligible]


@transaction.atomic
def issue_draft(*, definition: ListDefinition, by: User, start: dt.date, end: dt.date, today: dt.date) -> ListIssue:
    """Compute the period's list as a snapshot (a later edit of the data never changes it): red and black entries
    without reasons yet, and the subjects left out for having fewer than the minimum denominator."""
    if start > end:
        raise TransitionRefused("start > end")
    metric = metric_for(definition.metric)
    if metric is None or definition.subject not in metric.subjects:
        raise TransitionRefused(definition.metric)
    values = metric.compute(definition, user=by, start=start, end=end, today=today)
    red, black, excluded = _ranked(values, definition, metric.higher_is_better)
    issue = ListIssue.objects.create(definition=definition, township_id=definition.township_id,
                                     village_id=definition.village_id, period_start=start, period_end=end,
                                     evaluated_on=today, drafted_by=by)
    rows = [(Entry.Board.RED, red), (Entry.Board.BLACK, black), (Entry.Board.EXCLUDED, excluded)]
    Entry.objects.bulk_create([
        Entry(issue=issue, board=board, rank=rank if board != Entry.Board.EXCLUDED else None,
              subject_id=v.subject_id, label=v.label[:64], value=v.value, numerator=v.numerator,
              denominator=v.denominator, display=v.display[:64])
        for board, chosen in rows for rank, v in enumerate(chosen, start=1)
    ])
    return issue


def _owner_for(entry: Entry, definition: ListDefinition, fallback: User) -> User:
    """Who rectifies a black entry: a village cadre of the subject's village, or the list's drafter."""
    village_id = definition.village_id
    if definition.subject == ListDefinition.Subject.VILLAGE:
        village_id = entry.subject_id
    elif definition.subject == ListDefinition.Subject.GRID:
        from governance.models import Grid

        village_id = Grid.objects.filter(pk=entry.subject_id).values_list("village", flat=True).first()
    elif definition.subject == ListDefinition.Subject.HEAD:
        village_id = (HouseholdHead.objects.filter(pk=entry.subject_id).values_list("grid__village", flat=True)
                      .first())
    cadre = (User.objects.filter(role=User.Role.VILLAGE_CADRE, villages=village_id, is_active=True)
             .order_by("pk").first() if village_id else None)
    return cadre or fallback


@transaction.atomic
def issue_approve(*, issue: ListIssue, by: User, today: dt.date) -> list[FollowUp]:
    """Publish the list for its window, and give every black entry its 整改 follow-up (owner, deadline)."""
    issue.approve(by=by, today=today)
    deadline = today + dt.timedelta(days=issue.definition.follow_up_days)
    return [FollowUp.objects.create(entry=entry, owner=_owner_for(entry, issue.definition, issue.drafted_by),
                                    deadline=deadline)
            for entry in issue.entries.filter(board=Entry.Board.BLACK)]


def entries_reasons_set(*, issue: ListIssue, reasons: dict[int, str]) -> int:
    """The drafter's 上榜理由, while the list is a draft."""
    if issue.status != ListIssue.Status.DRAFT:
        raise TransitionRefused("not a draft")
    changed = 0
    for entry in issue.ranked():
        text = " ".join(reasons.get(entry.pk, entry.reason).split())[:300]
        if text != entry.reason:
            entry.reason = text
            entry.save(update_fields=["reason"])
            changed += 1
    return changed


def follow_up_close(*, follow_up: FollowUp, by: User, on: dt.date, note: str) -> None:
    if not follow_up.may_close(by):
        raise TransitionRefused("not the owner")
    follow_up.done_on, follow_up.note = on, note.strip()[:300]
    follow_up.save(update_fields=["done_on", "note"])
