"""The dashboard's 红黑榜 card: the latest published list of each rule (in its publication window), and for
supervisors the lists waiting for them and the drafts. Until a list is published, no ranking is shown."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from governance.permissions import SUPERVISORS

from .models import Entry, ListIssue


def dashboard_lists(user, *, today: dt.date) -> dict:
    ranked = Prefetch("entries", queryset=Entry.objects.exclude(board=Entry.Board.EXCLUDED).order_by("rank"),
                      to_attr="ranked_entries")
    current = (ListIssue.objects.visible_to(user).current(today).select_related("definition", "village")
               .prefetch_related(ranked).order_by("definition", "-period_end", "-pk"))
    latest, seen = [], set()
    for issue in current:  # the latest period of each rule
        if issue.definition_id not in seen:
            seen.add(issue.definition_id)
            issue.red = [e for e in issue.ranked_entries if e.board == Entry.Board.RED]
            issue.black = [e for e in issue.ranked_entries if e.board == Entry.Board.BLACK]
            latest.append(issue)
    unpublished = []
    if user.has_role(*SUPERVISORS):
        unpublished = list(ListIssue.objects.visible_to(user)
                           .filter(status__in=[ListIssue.Status.DRAFT, ListIssue.Status.SUBMITTED])
                           .select_related("definition").order_by("-pk")[:10])
    return {"published": latest, "unpublished": unpublished}
