"""The number of households, residents and visits of each grid (``GridTally``), kept by the database itself.

An unfiltered list, or one narrowed to a township, village or grid, counts its rows («共 N 条») by adding up the
tallies of the grids in view instead of counting every row: a county's 300,000 households, 1,000,000 residents and
500,000 visits were counted on every page, most of a county list's time (docs/benchmarks.md).

Households by special group are kept likewise (``GridTagTally``, from the households' ``tag_ids``), for the household
list filtered by a tag.

The tallies are kept by PostgreSQL triggers (one a statement for rows written or deleted and for the tags; one a row,
called only when a row's grid changes, for moves), so that every way rows are written keeps them exact: the
forms and services, the roster import, merges, the API, the phones' queue, ``bulk_create``, a ``QuerySet.update()``,
the demo's ``COPY`` and a fix typed in psql. A list would otherwise show a count that disagrees with its pages.
``manage.py check_summaries`` compares them with the rows and ``--fix`` recounts. On SQLite (``make run``, a demo of a
few thousand rows) there are no triggers: ``total`` answers None and the lists count their rows.

A household's residents are counted at the household's grid (a household moved to another grid takes them along), a
visit at its own grid.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum

from core.scoping import Scope, ScopeKind

COLUMNS = ("households", "residents", "visits")

# Each trigger's rows per grid (g) and by how many they change its column (n).
_HOUSEHOLD_GRID = ("SELECT h.grid_id AS g, {sign}count(*) AS n FROM {rows} r "
                   "JOIN households_household h ON h.id = r.household_id GROUP BY h.grid_id")

# Rows written or deleted: one trigger a statement, which counts them by grid (the demo's COPY of a million residents
# makes one change a grid, not one a row). (trigger, table, event, transition table, {column: rows per grid})
_STATEMENT_TRIGGERS = [
    ("households_tally_household_insert", "households_household", "INSERT", "NEW TABLE AS new_rows",
     {"households": "SELECT grid_id AS g, count(*) AS n FROM new_rows GROUP BY grid_id"}),
    ("households_tally_household_delete", "households_household", "DELETE", "OLD TABLE AS old_rows",
     {"households": "SELECT grid_id AS g, -count(*) AS n FROM old_rows GROUP BY grid_id"}),
    ("households_tally_resident_insert", "households_resident", "INSERT", "NEW TABLE AS new_rows",
     {"residents": _HOUSEHOLD_GRID.format(sign="", rows="new_rows")}),
    ("households_tally_resident_delete", "households_resident", "DELETE", "OLD TABLE AS old_rows",
     {"residents": _HOUSEHOLD_GRID.format(sign="-", rows="old_rows")}),
    ("households_tally_visit_insert", "households_visit", "INSERT", "NEW TABLE AS new_rows",
     {"visits": "SELECT grid_id AS g, count(*) AS n FROM new_rows GROUP BY grid_id"}),
    ("households_tally_visit_delete", "households_visit", "DELETE", "OLD TABLE AS old_rows",
     {"visits": "SELECT grid_id AS g, -count(*) AS n FROM old_rows GROUP BY grid_id"}),
]

# A row moved to another grid (rare): one trigger a row, called only when the grid changed (its WHEN), so that the
# many updates that leave the grid alone (summaries, last visits) cost nothing. PostgreSQL gives statement triggers
# no "UPDATE OF column". (trigger, table, column, {tally column: (old grid, new grid, by how many)})
_ROW_TRIGGERS = [
    ("households_tally_household_move", "households_household", "grid_id",
     {"households": ("OLD.grid_id", "NEW.grid_id", "1"),
      # Its residents go with it.
      "residents": ("OLD.grid_id", "NEW.grid_id",
                    "(SELECT count(*) FROM households_resident WHERE household_id = NEW.id)")}),
    ("households_tally_resident_move", "households_resident", "household_id",
     {"residents": ("(SELECT grid_id FROM households_household WHERE id = OLD.household_id)",
                    "(SELECT grid_id FROM households_household WHERE id = NEW.household_id)", "1")}),
    ("households_tally_visit_move", "households_visit", "grid_id",
     {"visits": ("OLD.grid_id", "NEW.grid_id", "1")}),
]


# Each household's tags (its ``tag_ids``, ",3,7,": households/summary.py) per grid. A household changed in a statement
# counts once with its tags before and once after; only the rows whose tags or grid changed are read.
_TAGS_OF = ("SELECT grid_id AS g, t::bigint AS tag, {sign}count(DISTINCT id) AS n "
            "FROM {rows} r, unnest(string_to_array(r.tag_ids, ',')) t WHERE t <> '' GROUP BY grid_id, t")
_CHANGED = ("(SELECT {side}.* FROM new_rows w JOIN old_rows o ON o.id = w.id "
            "WHERE o.tag_ids IS DISTINCT FROM w.tag_ids OR o.grid_id <> w.grid_id)")
_TAG_TRIGGERS = [
    ("households_tagtally_insert", "INSERT", "NEW TABLE AS new_rows", _TAGS_OF.format(sign="", rows="new_rows")),
    ("households_tagtally_delete", "DELETE", "OLD TABLE AS old_rows", _TAGS_OF.format(sign="-", rows="old_rows")),
    ("households_tagtally_update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
     _TAGS_OF.format(sign="", rows=_CHANGED.format(side="w")) + " UNION ALL "
     + _TAGS_OF.format(sign="-", rows=_CHANGED.format(side="o"))),
]


def _upsert(column: str, rows: str) -> str:
    values = ", ".join("sum(n)::integer" if c == column else "0" for c in COLUMNS)
    # In the grids' order, so that two statements never wait for each other's grids crosswise.
    return (f"INSERT INTO households_gridtally AS t (grid_id, {', '.join(COLUMNS)}) "
            f"SELECT g, {values} FROM ({rows}) d GROUP BY g HAVING sum(n) <> 0 ORDER BY g "
            f"ON CONFLICT (grid_id) DO UPDATE SET {column} = t.{column} + EXCLUDED.{column};")


def _tag_upsert(rows: str) -> str:
    return ("INSERT INTO households_gridtagtally AS t (grid_id, tag_id, households) "
            f"SELECT g, tag, sum(n)::integer FROM ({rows}) d GROUP BY g, tag HAVING sum(n) <> 0 ORDER BY g, tag "
            "ON CONFLICT (tag_id, grid_id) DO UPDATE SET households = t.households + EXCLUDED.households;")


def _function(name: str, body: list[str]) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            + "\n".join(body) + "\nRETURN NULL;\nEND\n$$;")


def install_sql() -> list[str]:
    """The triggers that keep each grid's households, residents and visits (PostgreSQL; migration 0022)."""
    sql = []
    for name, table, event, referencing, changes in _STATEMENT_TRIGGERS:
        sql.append(_function(name, [_upsert(column, rows) for column, rows in changes.items()]))
        sql.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        sql.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();")
    for name, table, key, changes in _ROW_TRIGGERS:
        body = [_upsert(column, f"SELECT {old} AS g, -{n} AS n UNION ALL SELECT {new}, {n}")
                for column, (old, new, n) in changes.items()]
        sql.append(_function(name, body))
        sql.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        sql.append(f"CREATE TRIGGER {name} AFTER UPDATE OF {key} ON {table} FOR EACH ROW "
                   f"WHEN (OLD.{key} IS DISTINCT FROM NEW.{key}) EXECUTE FUNCTION {name}();")
    return sql


def install_tag_sql() -> list[str]:
    """The triggers that keep each grid's households by tag (PostgreSQL; migration 0023)."""
    sql = []
    for name, event, referencing, rows in _TAG_TRIGGERS:
        sql.append(_function(name, [_tag_upsert(rows)]))
        sql.append(f"DROP TRIGGER IF EXISTS {name} ON households_household;")
        sql.append(f"CREATE TRIGGER {name} AFTER {event} ON households_household REFERENCING {referencing} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();")
    return sql


def uninstall_sql(*, tags: bool = False) -> list[str]:
    """Drops the triggers that keep the tallies (``tags``: those by tag)."""
    triggers = [(name, "households_household") for name, *_ in _TAG_TRIGGERS] if tags else [
        (name, table) for name, table, *_rest in (*_STATEMENT_TRIGGERS, *_ROW_TRIGGERS)]
    sql = []
    for name, table in triggers:
        sql.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        sql.append(f"DROP FUNCTION IF EXISTS {name}();")
    return sql


def kept() -> bool:
    """Whether the database keeps the tallies (PostgreSQL)."""
    return connection.vendor == "postgresql"


def _actual() -> dict[int, tuple[int, int, int]]:
    """Every grid's rows, counted."""
    from .models import Household, Resident, Visit

    counts: dict[int, list[int]] = {}
    for index, rows in enumerate((
        Household._base_manager.order_by().values("grid").annotate(n=Count("pk")).values_list("grid", "n"),
        Resident._base_manager.order_by().values("household__grid").annotate(n=Count("pk"))
        .values_list("household__grid", "n"),
        Visit._base_manager.order_by().values("grid").annotate(n=Count("pk")).values_list("grid", "n"),
    )):
        for grid_id, n in rows:
            counts.setdefault(grid_id, [0, 0, 0])[index] = n
    return {grid_id: tuple(n) for grid_id, n in counts.items()}


_ACTUAL_TAGS = ("SELECT grid_id, t::bigint, count(DISTINCT id) FROM households_household h, "
                "unnest(string_to_array(h.tag_ids, ',')) t WHERE t <> '' GROUP BY grid_id, t")


def _actual_tags() -> dict[tuple[int, int], int]:
    """Every grid's households by tag, counted."""
    with connection.cursor() as cursor:
        cursor.execute(_ACTUAL_TAGS)
        return {(grid_id, tag_id): n for grid_id, tag_id, n in cursor.fetchall()}


def _stored_tags() -> dict[tuple[int, int], int]:
    from .models import GridTagTally

    return {(g, t): n for g, t, n in GridTagTally.objects.values_list("grid", "tag_id", "households") if n}


def drifted() -> list[int]:
    """The grids whose tallies differ from their rows."""
    from .models import GridTally

    if not kept():
        return []
    actual = _actual()
    stored = {row[0]: tuple(row[1:]) for row in GridTally.objects.values_list("grid", *COLUMNS)}
    grids = {g for g in actual.keys() | stored.keys() if actual.get(g, (0, 0, 0)) != stored.get(g, (0, 0, 0))}
    actual_tags, stored_tags = _actual_tags(), _stored_tags()
    grids.update(g for g, t in actual_tags.keys() | stored_tags.keys()
                 if actual_tags.get((g, t), 0) != stored_tags.get((g, t), 0))
    return sorted(grids)


def recount(grid_ids: Iterable[int] | None = None) -> None:
    """Count these grids' rows again (None: every grid). Writers of households, residents and visits wait meanwhile
    (and those under way are waited for), so that no row is counted twice or missed."""
    from .models import GridTagTally, GridTally

    if not kept():
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE households_household, households_resident, households_visit IN SHARE MODE")
        actual, actual_tags = _actual(), _actual_tags()
        wanted = set(actual) | {g for g, _t in actual_tags} if grid_ids is None else set(grid_ids)
        for model in (GridTally, GridTagTally):
            (model.objects.all() if grid_ids is None else model.objects.filter(grid__in=wanted)).delete()
        GridTally.objects.bulk_create(GridTally(grid_id=g, **dict(zip(COLUMNS, actual[g], strict=True)))
                                      for g in sorted(wanted) if g in actual)
        GridTagTally.objects.bulk_create(GridTagTally(grid_id=g, tag_id=t, households=n)
                                         for (g, t), n in sorted(actual_tags.items()) if g in wanted)


def grids_in_view(scope: Scope) -> QuerySet | None:
    """The grids whose households, residents and visits ``scope`` sees in full; None for the scopes that see only some
    of a grid's (a household head's households), whose lists count their rows."""
    from governance.models import Grid

    kind = scope.kind
    if kind == ScopeKind.ALL:
        return Grid.objects.all()
    if kind == ScopeKind.TOWNSHIPS:
        return Grid.objects.filter(village__township__in=scope.township_ids)
    if kind == ScopeKind.TOWNSHIP:
        return Grid.objects.filter(village__township=scope.township_id)
    if kind == ScopeKind.VILLAGES:
        return Grid.objects.filter(village__in=scope.village_ids)
    if kind == ScopeKind.GRIDS:
        return Grid.objects.filter(pk__in=scope.grid_ids)
    return None


def total(column: str, grids: QuerySet) -> int | None:
    """The ``column`` rows of these grids, or None where the tallies are not kept."""
    from .models import GridTally

    if not kept():
        return None
    return GridTally.objects.filter(grid__in=grids.order_by().values("pk")).aggregate(n=Sum(column))["n"] or 0


def total_with_tag(tag_id: int, grids: QuerySet) -> int | None:
    """The households of these grids that carry the tag (on the household or a member), or None where the tallies are
    not kept."""
    from .models import GridTagTally

    if not kept():
        return None
    return (GridTagTally.objects.filter(tag_id=tag_id, grid__in=grids.order_by().values("pk"))
            .aggregate(n=Sum("households"))["n"] or 0)
