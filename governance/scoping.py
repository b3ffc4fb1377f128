"""Row-level scoping: the one mechanism every list, detail, dropdown, export and figure starts from.

A user's scope is the part of the township they answer for: the whole deployment (superuser), a township
(township staff, supervisors), villages (包村干部, village cadres), grids (grid workers) or the households
linked to them (联户长). Each model family's QuerySet subclasses ``ScopedQuerySet`` and names, as lookup
paths, how its rows reach a township, a village, a grid and a household head; ``visible_to(user)`` does
the rest. Out of scope is indistinguishable from missing: ``get_visible_or_404`` answers 404 for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, Subquery
from django.http import Http404

from .batching import AfterFetchQuerySet


class ScopeKind(StrEnum):
    NONE = "none"
    ALL = "all"
    TOWNSHIP = "township"
    VILLAGES = "villages"
    GRIDS = "grids"
    HOUSEHOLDS = "households"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    township_id: int | None = None
    village_ids: frozenset[int] = field(default_factory=frozenset)
    grid_ids: frozenset[int] = field(default_factory=frozenset)
    household_head_id: int | None = None
    # The grid of a household head, for objects that have no household of their own.
    head_grid_id: int | None = None


def scope_of(user) -> Scope:
    """The scope of ``user``, computed once per user object (a request's user is one object)."""
    cached = getattr(user, "_lht_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if getattr(user, "pk", None):
        user._lht_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    from .models import Grid, HouseholdHead, User

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(ScopeKind.NONE)
    if user.is_superuser:
        return Scope(ScopeKind.ALL)
    role = user.role
    if role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR):
        if user.township_id is None:
            return Scope(ScopeKind.NONE)
        return Scope(ScopeKind.TOWNSHIP, township_id=user.township_id)
    if role in (User.Role.TOWNSHIP_CADRE, User.Role.VILLAGE_CADRE):
        ids = frozenset(user.villages.values_list("pk", flat=True))
        return Scope(ScopeKind.VILLAGES, township_id=user.township_id, village_ids=ids)
    if role == User.Role.GRID_WORKER:
        grids = list(Grid.objects.filter(pk__in=user.grids.values("pk")).values_list("pk", "village_id"))
        return Scope(
            ScopeKind.GRIDS,
            township_id=user.township_id,
            grid_ids=frozenset(g for g, _ in grids),
            village_ids=frozenset(v for _, v in grids),
        )
    if role == User.Role.HOUSEHOLD_HEAD and user.household_head_id:
        head = HouseholdHead.objects.filter(pk=user.household_head_id).select_related("grid").first()
        if head is None:
            return Scope(ScopeKind.NONE)
        return Scope(
            ScopeKind.HOUSEHOLDS,
            township_id=user.township_id,
            household_head_id=head.pk,
            head_grid_id=head.grid_id,
            grid_ids=frozenset([head.grid_id]),
            village_ids=frozenset([head.grid.village_id]),
        )
    return Scope(ScopeKind.NONE)


NOTHING = Q(pk__in=[])


class ScopedQuerySet(AfterFetchQuerySet):
    """Subclasses set the lookup paths from their model; ``None`` means the model has no such link.

    ``scope_grid_path`` None: grid workers and household heads see the rows of their grids' villages.
    ``scope_head_path`` None: household heads see the rows of their own grid (when there is a grid path).
    """

    scope_township_path: str = "township"
    scope_village_path: str | None = "village"
    scope_grid_path: str | None = "grid"
    scope_head_path: str | None = None

    def visible_to(self, user) -> ScopedQuerySet:
        return self.filter(self.scope_q(scope_of(user)))

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        kind = scope.kind
        if kind == ScopeKind.ALL:
            return Q()
        if kind == ScopeKind.TOWNSHIP:
            return Q(**{cls.scope_township_path: scope.township_id})
        if kind == ScopeKind.VILLAGES:
            return cls._village_q(scope.village_ids)
        if kind == ScopeKind.GRIDS:
            if cls.scope_grid_path:
                return Q(**{f"{cls.scope_grid_path}__in": scope.grid_ids})
            return cls._village_q(scope.village_ids)
        if kind == ScopeKind.HOUSEHOLDS:
            if cls.scope_head_path:
                return Q(**{cls.scope_head_path: scope.household_head_id})
            if cls.scope_grid_path:
                return Q(**{f"{cls.scope_grid_path}__in": scope.grid_ids})
            return cls._village_q(scope.village_ids)
        return NOTHING

    @classmethod
    def _village_q(cls, village_ids) -> Q:
        if cls.scope_village_path is None:
            return NOTHING
        return Q(**{f"{cls.scope_village_path}__in": village_ids})


def get_visible_or_404(queryset: ScopedQuerySet, user, **lookup):
    """Zulip's ``access_*``: the object if ``user`` may see it, else 404, exactly as for a missing one."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


class _FieldCondition(Expression):
    """A condition on one field (``lhs``), usable in ``filter()`` and ``Q()``."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str):
        super().__init__()
        self.lhs = F(field)


class InSubquery(_FieldCondition):
    """``field IN (subquery)``, written on PostgreSQL as ``field = ANY(ARRAY(subquery))``.

    For the scopes that OR in the cases a user leads ("the township's disputes, or those I answer for"): PostgreSQL
    runs an uncorrelated ARRAY(...) once, before the scan, and can then combine an index on the township with the
    primary key (a BitmapOr). With ``IN (subquery)`` inside an OR it scanned every row of a county's table instead.
    """

    def __init__(self, field: str, queryset):
        super().__init__(field)
        # Unordered, as Django's own ``__in`` subqueries are: a grid's default order joined its village and township
        # into every scoped households query, to sort what ANY() does not need sorted.
        self.subquery = Subquery(queryset.order_by())

    def resolve_expression(self, *args, **kwargs):
        # Resolved once, when the condition joins a query. The compiler resolves a condition again as it writes it
        # (Lookup.process_lhs), which copied the subquery's whole query each time (four copies a household list page).
        if getattr(self, "_resolved", False):
            return self
        resolved = super().resolve_expression(*args, **kwargs)
        resolved._resolved = True
        return resolved

    def get_source_expressions(self):
        return [self.lhs, self.subquery]

    def set_source_expressions(self, exprs):
        self.lhs, self.subquery = exprs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.subquery)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.subquery)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


class InList(_FieldCondition):
    """``field IN (values)`` for a list read beforehand, written on PostgreSQL as ``field = ANY(%s)``: one array
    parameter however long the list (a search may find a few thousand households), not one placeholder each."""

    def __init__(self, field: str, values):
        super().__init__(field)
        self.values = list(values)

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, exprs):
        (self.lhs,) = exprs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        if not self.values:
            return "1 = 0", ()
        return f"{lhs} IN ({', '.join(['%s'] * len(self.values))})", (*lhs_params, *self.values)

    def as_postgresql(self, compiler, connection):
        # Typed as the column is: psycopg sends small numbers as smallint[], and bigint = ANY(smallint[]) is compared
        # element by element for every row (26 ms for 500 ids), where an array of the column's type is hashed.
        lhs, lhs_params = compiler.compile(self.lhs)
        db_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", (*lhs_params, self.values)


def answered_case_ids(user) -> dict[int, list[int]]:
    """The cases ``user`` answers for (包案: lead official or team member), as ids by case type id.

    One lookup by two indexes (lead, team member), once per user object (a request's user is one object), for disputes
    and petitions alike. Written as SQL: built with the ORM, this lookup cost four times as much to build as to run
    (2.4 ms a list page, measured with `make bench`, for what is usually an empty list)."""
    found = getattr(user, "_lht_answered", None)
    if found is not None:
        return found
    from .models import ResponsibilityAssignment

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
        from django.contrib.contenttypes.models import ContentType

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
