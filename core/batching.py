"""What a list needs beside its rows, read for the rows fetched together (a page, or a chunk of an export).

``prefetch_related`` builds a model instance and a related manager for every related row: for a page of 25 households
with 90 members and their tags, more than the rows themselves cost. A function given to ``after_fetch`` receives the
instances just read and sets plain attributes on them, from whatever plain queries it needs. It runs once per fetch
(``list(qs)``, a page, ``qs.iterator()`` chunk by chunk), never for ``values()``, ``count()`` or ``exists()``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.db import connection, models
from django.db.models.expressions import Col
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


def in_model_order(model, names) -> tuple[str, ...]:
    """The attribute names among ``names`` in the model's field order, as ``Model.from_db`` takes a part of a row."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


def plain_rows(model, fields, key: str, keys: list, *, where: dict | None = None, join=None, order_by=()) -> list:
    """The ``fields`` (attribute names) of the ``model`` rows whose ``key`` is one of ``keys``, as tuples of Python
    values, from one statement written here: ``SELECT … FROM table [JOIN other ON …] WHERE key IN (…) [AND column = …]
    [ORDER BY …]``. ``join``: (foreign key attribute, other model, its fields), whose values follow. For the lookups
    a list makes for each page, where the ORM spent more time writing the statement than the database running it."""
    if not keys:
        return []
    quote = connection.ops.quote_name
    opts = model._meta

    def column(m, name, alias):
        field = m._meta.get_field(name)
        return field, f"{alias}.{quote(field.column)}"

    selected = [column(model, name, "t") for name in fields]
    tables = f"{quote(opts.db_table)} t"
    if join is not None:
        fk, other, other_fields = join
        selected += [column(other, name, "j") for name in other_fields]
        tables += (f" JOIN {quote(other._meta.db_table)} j ON j.{quote(other._meta.pk.column)} = "
                   f"t.{quote(column(model, fk, 't')[0].column)}")
    conditions = [f"{column(model, key, 't')[1]} IN ({', '.join(['%s'] * len(keys))})"]
    params = list(keys)
    for name, value in (where or {}).items():
        conditions.append(f"{column(model, name, 't')[1]} = %s")
        params.append(value)
    sql = f"SELECT {', '.join(sql for _, sql in selected)} FROM {tables} WHERE {' AND '.join(conditions)}"
    if order_by:
        sql += " ORDER BY " + ", ".join(column(model, name, "t")[1] for name in order_by)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # The backend's converters, as the ORM applies them (SQLite gives a date as text).
    converters = []
    for i, (field, _) in enumerate(selected):
        expression = Col("t", field)
        found = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        if found:
            converters.append((i, found, expression))
    if converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, found, expression in converters:
                for convert in found:
                    row[i] = convert(row[i], expression, connection)
    return rows
