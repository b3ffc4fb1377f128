"""What a list needs beside its rows, read for the rows fetched together (a page, or a chunk of an export).

``prefetch_related`` builds a model instance and a related manager for every related row: for a page of 25 households
with 90 members and their tags, more than the rows themselves cost. A function given to ``after_fetch`` receives the
instances just read and sets plain attributes on them, from whatever plain queries it needs. It runs once per fetch
(``list(qs)``, a page, ``qs.iterator()`` chunk by chunk), never for ``values()``, ``count()`` or ``exists()``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.db import models
from django.db.models.query import ModelIterable

DEFAULT_CHUNK = 2000


class AfterFetchQuerySet(models.QuerySet):
    _after_fetch: tuple[Callable[[list], None], ...] = ()

    def after_fetch(self, function: Callable[[list], None]):
        clone = self._chain()
        clone._after_fetch = (*self._after_fetch, function)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._after_fetch = self._after_fetch
        return clone

    def _runs_after_fetch(self) -> bool:
        return bool(self._after_fetch) and self._iterable_class is ModelIterable

    def _run_after_fetch(self, instances: list) -> None:
        if instances:
            for function in self._after_fetch:
                function(instances)

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._runs_after_fetch():
            self._run_after_fetch(self._result_cache)

    def iterator(self, chunk_size=None):
        if not self._runs_after_fetch():
            yield from super().iterator(chunk_size)
            return
        rows = super().iterator(chunk_size)
        while chunk := list(itertools.islice(rows, chunk_size or DEFAULT_CHUNK)):
            self._run_after_fetch(chunk)
            yield from chunk


def attach_assignments(cases: list, fields: tuple[str, ...] | None = None) -> None:
    """Each case (dispute, petition) gets ``_assignment_cache``: its 包案 assignment with lead and supervisor, or None.
    One query for all of them, instead of a generic relation's manager per case. ``fields``: only these (and the lead),
    for a list that shows a few."""
    from .models import ResponsibilityAssignment

    model = type(cases[0])
    assignments = ResponsibilityAssignment.objects.of_cases(model).filter(case_id__in=[c.pk for c in cases])
    if fields is None:
        assignments = assignments.select_related("lead", "supervised_by")
    else:
        assignments = assignments.select_related("lead").only("case_id", *fields)
    found = {a.case_id: a for a in assignments}
    for case in cases:
        case._assignment_cache = found.get(case.pk)


# What a list row shows of an assignment: its lead (by name), deadline and supervision. The whole assignment with two
# users was 60 columns: writing that query cost more than running it (2 ms of a list page).
LIST_FIELDS = ("deadline", "supervision_level", "lead__display_name", "lead__first_name", "lead__last_name",
               "lead__username")


def attach_list_assignments(cases: list) -> None:
    attach_assignments(cases, LIST_FIELDS)
