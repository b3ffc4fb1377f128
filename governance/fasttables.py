"""django-tables2, made cheaper per cell (measured with `make bench`; see README "Benchmarks").

1. ``django_tables2.utils.signature`` inspects a render function's signature on every call, that is for every
   cell: ~10% of a list page. The signature of a function does not change, so it is remembered per function (for
   a bound method, per underlying function: ``self`` is left out either way).
2. The table template rendered each cell through four template tags and recomputed the column's ``<td>``
   attributes per cell. ``lht_table_row`` renders a row in Python with the same HTML; a column's attributes are
   computed once per table when none of them is callable (ours never are; a callable falls back to per cell).
"""

from __future__ import annotations

import functools

from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2 import utils as tables2_utils

_uncached_signature = tables2_utils.signature


@functools.lru_cache(maxsize=4096)
def _signature_of(function, bound: bool):
    return _uncached_signature(function.__get__(object()) if bound else function)


def signature(fn):
    function = getattr(fn, "__func__", None)
    if function is not None and getattr(fn, "__self__", None) is not None:
        return _signature_of(function, True)
    try:
        return _signature_of(fn, False)
    except TypeError:  # unhashable callable
        return _uncached_signature(fn)


def install() -> None:
    """Called once from governance's AppConfig.ready()."""
    tables2_utils.signature = signature


def _has_callable(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in (attrs or {}).values())


def _cell_html(column, cell, context) -> str:
    if column.localize is None:
        return render_value_in_context(cell, context)
    return conditional_escape(formats.localize(cell, use_l10n=column.localize))


def render_row(context, row) -> str:
    table = row.table
    static_td = getattr(table, "_lht_td", None)
    if static_td is None:
        static_td = table._lht_td = {}
        table._lht_td_dynamic = _has_callable(table.attrs) or any(
            _has_callable(column.column.attrs) for column in table.columns)
    dynamic = table._lht_td_dynamic
    parts = [format_html("<tr {}>", row.attrs.as_html())]
    for column, cell in row.items():
        if dynamic:
            td = column.attrs["td"].as_html()
        else:
            td = static_td.get(column.name)
            if td is None:
                td = static_td[column.name] = column.attrs["td"].as_html()
        parts.append(format_html("<td {}>{}</td>", td, mark_safe(_cell_html(column, cell, context))))  # noqa: S308
    parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
