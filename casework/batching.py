"""What a case list needs of its cases' 包案 assignments, read for the rows fetched together (``after_fetch``,
core/batching.py)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core.batching import in_model_order, plain_rows
from governance.models import User

from .models import ResponsibilityAssignment


def attach_assignments(cases: list) -> None:
    """Each case (dispute, petition) gets ``_assignment_cache``: its 包案 assignment with lead and supervisor, or None.
    One query for all of them, instead of a generic relation's manager per case."""
    model = type(cases[0])
    found = {
        a.case_id: a for a in ResponsibilityAssignment.objects.of_cases(model).filter(
            case_id__in=[c.pk for c in cases]).select_related("lead", "supervised_by")
    }
    for case in cases:
        case._assignment_cache = found.get(case.pk)


# What a list row shows of an assignment: its lead (by name), deadline (and whether it is past, while open) and
# supervision.
LIST_FIELDS = ("deadline", "is_open", "supervision_level")
LEAD_FIELDS = ("username", "display_name", "first_name", "last_name")


def attach_list_assignments(cases: list) -> None:
    """``attach_assignments`` for a list row: the assignment's deadline and supervision and its lead's name (the other
    fields deferred, as ``only()`` leaves them), read with one plain statement. Built with the ORM (a case type,
    ``select_related``, ``only``) the lookup cost three times as much to write as to run: 1.2 ms of a list page, where
    this takes 0.4 (the whole assignment with two users, 60 columns, had cost 2 ms)."""
    # In the models' field order, as ``from_db`` takes a part of a row.
    fields = in_model_order(ResponsibilityAssignment, ("id", "case_id", *LIST_FIELDS, "lead_id"))
    lead_fields = in_model_order(User, ("id", *LEAD_FIELDS))
    found = {}
    for values in plain_rows(ResponsibilityAssignment, fields, "case_id", [case.pk for case in cases],
                             join=("lead_id", User, lead_fields), where={"case_type_id": _case_type_id(type(cases[0]))}):
        assignment = ResponsibilityAssignment.from_db(connection.alias, fields, values[:len(fields)])
        assignment.lead = User.from_db(connection.alias, lead_fields, values[len(fields):])
        found[assignment.case_id] = assignment
    for case in cases:
        case._assignment_cache = found.get(case.pk)


def _case_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk  # cached by ContentType
