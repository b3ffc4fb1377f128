"""The number of households, residents and visits of each grid (``GridTally``), kept by the database itself.

An unfiltered list, or one narrowed to a township, village or grid, counts its rows («共 N 条») by adding up the
tallies of the grids in view instead of counting every row: a county's 300,000 households, 1,000,000 residents and
500,000 visits were counted on every page, most of a county list's time (docs/benchmarks.md).

Households by special group are kept likewise (``GridTagTally``, from the households' ``tag_ids``), for the household
list filtered by a tag, and households by each character of their searched text (``GridCharTally``, from their
``search_text``), for the household list searched for one character (a surname); residents by each character of their
name are kept per township, their own column (``TownshipNameTally``), for the resident list searched likewise.

The tallies are kept by PostgreSQL triggers (one a statement for rows written or deleted and for the keys; one a row,
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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class _Keyed:
    """Rows counted by place and by each key they have (a tag, a character), each row once per key however often it
    has it. A row changed in a statement counts once with its keys before and once after; only the rows whose keys or
    place changed are read."""

    source: str  # the table whose rows are counted
    place: str  # its column of the place they are counted at, and the tally's
    column: str  # its column the keys come from
    keys: str  # SQL: a row's (r) keys, as k
    keys_from: str  # SQL: what they are read from (FROM-list items, a condition)
    table: str  # the tally
    key: str  # the tally's column of the key
    count: str  # the tally's column of the number
    prefix: str  # of the triggers' names

    def counted(self, rows: str, sign: str = "") -> str:
        """(g, k, n): ``rows``' number by place and key."""
        return (f"SELECT r.{self.place} AS g, {self.keys} AS k, {sign}count(DISTINCT r.id) AS n "
                f"FROM {rows} r, {self.keys_from} GROUP BY 1, 2")

    def triggers(self) -> list[tuple[str, str, str, str]]:
        """(trigger, event, transition tables, rows counted)."""
        changed = {side: (f"(SELECT {side}.* FROM new_rows w JOIN old_rows o ON o.id = w.id WHERE "
                          f"o.{self.column} IS DISTINCT FROM w.{self.column} OR o.{self.place} <> w.{self.place})")
                   for side in ("w", "o")}
        return [
            (f"{self.prefix}_insert", "INSERT", "NEW TABLE AS new_rows", self.counted("new_rows")),
            (f"{self.prefix}_delete", "DELETE", "OLD TABLE AS old_rows", self.counted("old_rows", "-")),
            (f"{self.prefix}_update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
             self.counted(changed["w"]) + " UNION ALL " + self.counted(changed["o"], "-")),
        ]


_KEYED = {
    # Households by tag (their ``tag_ids``, ",3,7,": households/summary.py), per grid: migration 0023.
    "tags": _Keyed("households_household", "grid_id", "tag_ids",
                   "t::bigint", "unnest(string_to_array(r.tag_ids, ',')) t WHERE t <> ''",
                   "households_gridtagtally", "tag_id", "households", "households_tagtally"),
    # Households by character of their searched text, per grid; residents by character of their name, per township
    # (their own column: a resident moved within the township changes nothing): migration 0025.
    "characters": _Keyed("households_household", "grid_id", "search_text",
                         "c", "unnest(string_to_array(r.search_text, NULL)) c",
                         "households_gridchartally", "character", "households", "households_chartally"),
    "names": _Keyed("households_resident", "township_id", "name", "c", "unnest(string_to_array(r.name, NULL)) c",
                    "households_townshipnametally", "character", "residents", "households_nametally"),
}


def _upsert(column: str, rows: str) -> str:
    values = ", ".join("sum(n)::integer" if c == column else "0" for c in COLUMNS)
    # In the grids' order, so that two statements never wait for each other's grids crosswise.
    return (f"INSERT INTO households_gridtally AS t (grid_id, {', '.join(COLUMNS)}) "
            f"SELECT g, {values} FROM ({rows}) d GROUP BY g HAVING sum(n) <> 0 ORDER BY g "
            f"ON CONFLICT (grid_id) DO UPDATE SET {column} = t.{column} + EXCLUDED.{column};")


def _keyed_upsert(keyed: _Keyed, rows: str) -> str:
    place, key, count = keyed.place, keyed.key, keyed.count
    return (f"INSERT INTO {keyed.table} AS t ({place}, {key}, {count}) "
            f"SELECT g, k, sum(n)::integer FROM ({rows}) d GROUP BY g, k HAVING sum(n) <> 0 ORDER BY g, k "
            f"ON CONFLICT ({key}, {place}) DO UPDATE SET {count} = t.{count} + EXCLUDED.{count};")


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


def install_keyed_sql(kind: str) -> list[str]:
    """The triggers that keep a tally by key (``_KEYED``), PostgreSQL."""
    keyed = _KEYED[kind]
    sql = []
    for name, event, referencing, rows in keyed.triggers():
        sql.append(_function(name, [_keyed_upsert(keyed, rows)]))
        sql.append(f"DROP TRIGGER IF EXISTS {name} ON {keyed.source};")
        sql.append(f"CREATE TRIGGER {name} AFTER {event} ON {keyed.source} REFERENCING {referencing} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();")
    return sql


def uninstall_sql(*, kind: str | None = None) -> list[str]:
    """Drops the triggers that keep the tallies (``kind``: those of a tally by key, as ``install_keyed_sql``)."""
    triggers = [(name, _KEYED[kind].source) for name, *_ in _KEYED[kind].triggers()] if kind else [
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


def backfill_keyed_sql(kind: str, places: list[int] | None = None) -> str:
    """Counts the rows by key of every place (or of ``places``, the statement's one parameter) into their empty
    tallies."""
    keyed = _KEYED[kind]
    rows = keyed.source if places is None else f"(SELECT * FROM {keyed.source} WHERE {keyed.place} = ANY(%s))"
    return (f"INSERT INTO {keyed.table} ({keyed.place}, {keyed.key}, {keyed.count}) "
            f"SELECT g, k, n FROM ({keyed.counted(rows)}) a ORDER BY g, k")


def _keyed_drift(keyed: _Keyed) -> set[int]:
    """The places whose rows by key differ from their tallies, compared in the database."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT coalesce(a.g, t.{keyed.place}) FROM ({keyed.counted(keyed.source)}) a "
                       f"FULL JOIN (SELECT * FROM {keyed.table} WHERE {keyed.count} <> 0) t "
                       f"ON t.{keyed.place} = a.g AND t.{keyed.key} = a.k WHERE a.n IS DISTINCT FROM t.{keyed.count}")
        return {row[0] for row in cursor.fetchall()}


def _grids_of_townships(township_ids: Iterable[int]) -> set[int]:
    from governance.models import Grid

    return set(Grid.objects.filter(village__township__in=list(township_ids)).values_list("pk", flat=True))


def drifted() -> list[int]:
    """The grids whose tallies differ from their rows (for a tally by township, every grid of the township)."""
    from .models import GridTally

    if not kept():
        return []
    actual = _actual()
    stored = {row[0]: tuple(row[1:]) for row in GridTally.objects.values_list("grid", *COLUMNS)}
    grids = {g for g in actual.keys() | stored.keys() if actual.get(g, (0, 0, 0)) != stored.get(g, (0, 0, 0))}
    for keyed in _KEYED.values():
        places = _keyed_drift(keyed)
        grids.update(places if keyed.place == "grid_id" else _grids_of_townships(places))
    return sorted(grids)


def recount(grid_ids: Iterable[int] | None = None) -> None:
    """Count these grids' rows again (None: every grid; a tally by township: their townships). Writers of households,
    residents and visits wait meanwhile (and those under way are waited for), so that no row is counted twice or
    missed."""
    from governance.models import Grid

    from .models import GridTally

    if not kept():
        return
    wanted = None if grid_ids is None else sorted(set(grid_ids))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE households_household, households_resident, households_visit IN SHARE MODE")
        actual = _actual()
        (GridTally.objects.all() if wanted is None else GridTally.objects.filter(grid__in=wanted)).delete()
        GridTally.objects.bulk_create(GridTally(grid_id=g, **dict(zip(COLUMNS, actual[g], strict=True)))
                                      for g in (sorted(actual) if wanted is None else wanted) if g in actual)
        townships = None if wanted is None else sorted(set(
            Grid.objects.filter(pk__in=wanted).values_list("village__township", flat=True)))
        with connection.cursor() as cursor:
            for kind, keyed in _KEYED.items():
                places = wanted if keyed.place == "grid_id" else townships
                if places is None:
                    cursor.execute(f"DELETE FROM {keyed.table}")
                else:
                    cursor.execute(f"DELETE FROM {keyed.table} WHERE {keyed.place} = ANY(%s)", [places])
                cursor.execute(backfill_keyed_sql(kind, places), None if places is None else [places])


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


def total_with_character(character: str, grids: QuerySet) -> int | None:
    """The households of these grids whose searched text has the character, or None where the tallies are not kept."""
    from .models import GridCharTally

    if not kept():
        return None
    return (GridCharTally.objects.filter(character=character, grid__in=grids.order_by().values("pk"))
            .aggregate(n=Sum("households"))["n"] or 0)


def residents_named_with(character: str, township_ids: Iterable[int]) -> int | None:
    """The residents of these townships whose name has the character, or None where the tallies are not kept."""
    from .models import TownshipNameTally

    if not kept():
        return None
    return (TownshipNameTally.objects.filter(character=character, township__in=list(township_ids))
            .aggregate(n=Sum("residents"))["n"] or 0)
