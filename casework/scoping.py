"""Who reaches which case: the scope (core/scoping.py), widened by the cases a user answers for (包案: lead official
or team member), wherever those are. Done here, once, the same for every case type: ``CaseQuerySet``."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from core.scoping import ScopedQuerySet, ScopeKind, scope_of

from .models import ResponsibilityAssignment


class CaseQuerySet(ScopedQuerySet):
    """The QuerySet of a case type. ``visible_to(user)``: the rows of the user's scope (``case_scope_q``, which a
    case type may narrow, as disputes do for household heads), and the cases the user answers for, wherever they
    are — for every active user with a role, whatever their scope."""

    def case_scope_q(self, scope) -> Q:
        return self.scope_q(scope)

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.kind == ScopeKind.ALL:
            return self.all()  # (an empty Q would vanish from the OR below and narrow instead of widen)
        q = self.case_scope_q(scope)
        if getattr(user, "is_authenticated", False) and user.is_active:
            q = widened_by_answered_cases(self.model, user, q)
        return self.filter(q)


def answered_case_ids(user) -> dict[int, list[int]]:
    """The cases ``user`` answers for (包案: lead official or team member), as ids by case type id.

    One lookup by two indexes (lead, team member), once per user object (a request's user is one object), for disputes
    and petitions alike. Written as SQL: built with the ORM, this lookup cost four times as much to build as to run
    (2.4 ms a list page, measured with `make bench`, for what is usually an empty list)."""
    found = getattr(user, "_lht_answered", None)
    if found is not None:
        return found
    assignments = connection.ops.quote_name(ResponsibilityAssignment._meta.db_table)
    team = connection.ops.quote_name(ResponsibilityAssignment.team.through._meta.db_table)
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT case_type_id, case_id FROM {assignments} WHERE lead_id = %s "  # noqa: S608 - table names only
            f"UNION SELECT a.case_type_id, a.case_id FROM {assignments} a "
            f"JOIN {team} t ON t.responsibilityassignment_id = a.id WHERE t.user_id = %s",
            [user.pk, user.pk],
        )
        for case_type_id, case_id in cursor.fetchall():
            found.setdefault(case_type_id, []).append(case_id)
    user._lht_answered = found
    return found


def answered_outside(model, user, scope: Q) -> list[int]:
    """The ``model`` cases ``user`` answers for (包案) that lie outside ``scope``: usually none, or a handful.

    Found once per user object and model, as ``scope_of`` is (a request's user is one object; a dashboard asks for
    its disputes a dozen times). For a user who answers for no case of this kind, ``answered_case_ids`` is all it asks."""
    if not getattr(user, "pk", None):
        return []
    found = user.__dict__.setdefault("_lht_answered_outside", {})
    key = model._meta.label
    if key not in found:
        cases = answered_case_ids(user).get(ContentType.objects.get_for_model(model).pk)
        found[key] = list(model._base_manager.filter(pk__in=cases).exclude(scope).order_by()
                          .values_list("pk", flat=True)) if cases else []
    return found[key]


def widened_by_answered_cases(model, user, scope: Q) -> Q:
    """``scope`` widened by the ``model`` cases ``user`` answers for (包案) that lie outside it.

    The scope then stays one indexed condition: "the township's disputes" is read newest first from its index, 25
    rows for a page. With the cases ORed in as a subquery, PostgreSQL read and sorted every case of the township for
    every page and count."""
    outside = answered_outside(model, user, scope)
    return scope | Q(pk__in=outside) if outside else scope
