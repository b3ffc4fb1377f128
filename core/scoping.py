"""Row-level scoping: the one mechanism every list, detail, dropdown, export and figure starts from.

A user's scope is the part of the deployment they answer for: the whole deployment (superuser), the townships of a
county (county staff and leaders), a township
(township staff, supervisors), villages (包村干部, village cadres), grids (grid workers) or the households
linked to them (联户长). Each model family's QuerySet subclasses ``ScopedQuerySet`` and names, as lookup
paths, how its rows reach a township, a village, a grid and a household head; ``visible_to(user)`` does
the rest. Out of scope is indistinguishable from missing: ``get_visible_or_404`` answers 404 for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Expression, F, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed

from .batching import AfterFetchQuerySet


class ScopeKind(StrEnum):
    NONE = "none"
    ALL = "all"
    TOWNSHIPS = "townships"
    TOWNSHIP = "township"
    VILLAGES = "villages"
    GRIDS = "grids"
    HOUSEHOLDS = "households"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    township_id: int | None = None
    # A county's users: every township of their county (``township_ids``), and the county itself.
    county_id: int | None = None
    township_ids: frozenset[int] = field(default_factory=frozenset)
    village_ids: frozenset[int] = field(default_factory=frozenset)
    grid_ids: frozenset[int] = field(default_factory=frozenset)
    household_head_id: int | None = None
    # The grid of a household head, for objects that have no household of their own.
    head_grid_id: int | None = None


NO_SCOPE = Scope(ScopeKind.NONE)


def scope_of(user) -> Scope:
    """The scope of ``user``: ``user.scope`` (governance's User works it out once per user object; a request's user
    is one object). Anyone without one (the anonymous user) has none."""
    return getattr(user, "scope", None) or NO_SCOPE


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
        if kind == ScopeKind.TOWNSHIPS:
            return Q(**{f"{cls.scope_township_path}__in": scope.township_ids})
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
    """The one way to reach an object in scope (Zulip's ``access_*``): the object if ``user`` may see it, else 404,
    exactly as for a missing one. Views use it directly or through ``scoped_object``."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def scoped_object(queryset, *, methods: tuple[str, ...] = ("GET",), kwarg: str = "pk",
                  permission: Callable | None = None) -> Callable:
    """A view of one object, refused in this order: out of scope 404 whatever the method (as for a missing object),
    then a wrong method 405, then ``permission(obj, user)`` false 403. The view is called as
    ``view(request, obj, **other_kwargs)``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, **kwargs):
            obj = get_visible_or_404(queryset, request.user, pk=kwargs.pop(kwarg))
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            if permission is not None and not permission(obj, request.user):
                raise PermissionDenied
            return view(request, obj, **kwargs)

        return wrapper

    return decorator


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
