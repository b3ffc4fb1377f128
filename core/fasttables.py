"""django-tables2, made cheaper per cell (measured with `make bench`; see README "Benchmarks").

1. django-tables2 inspects a render function's signature for every cell; ``_Plan`` does it once per column.
2. The table template rendered each cell through four template tags and recomputed the column's ``<td>``
   attributes per cell. ``lht_table_rows`` renders the rows in Python with the same HTML; a column's attributes are
   computed once per table when none of them is callable (ours never are; a callable falls back to per cell).
3. To find a cell's value, django-tables2 re-resolves the accessor's path, looks the model field up and calls
   ``get_FOO_display`` (which re-hashes every choice and translates the label) for every cell. ``_Plan`` does the
   field lookup once per column and translates a choice field's labels once per table; the value is then read
   with getattr. Anything unusual (a callable on the path, a dict record, a custom ``get_FOO_display``, an
   exception) takes django-tables2's own path for that cell, so the result is always what it would have given.
   A computed column (``empty_values=()``) whose render method takes no ``value`` and that has no link is not
   resolved at all: django-tables2 resolved it only to throw it away (for ``tags`` that built a related manager).
"""

from __future__ import annotations

import datetime
import functools
import html
import inspect
import re

from django.conf import settings
from django.db import models
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django_tables2 import utils as tables2_utils
from django_tables2.columns import DateColumn, DateTimeColumn, ManyToManyColumn

from .fasturls import pk_url_maker
from .widgets import escape


def _has_callable(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in (attrs or {}).values())


def _cell_html(column, cell, context) -> str:
    if column.localize is None:
        # What render_value_in_context gives a string: itself if safe, else escaped (its local time and
        # localisation leave strings as they are); anything else goes through it.
        kind = type(cell)
        if kind is SafeString:
            return cell
        if context.autoescape:
            if kind is str:
                return html.escape(cell)
            if kind is int and not settings.USE_THOUSAND_SEPARATOR:
                return str(cell)  # localize() gives an int's digits when no thousands are grouped
            if isinstance(cell, models.Model):
                return escape(str(cell))  # neither a time nor a number: only str() and escaping apply
        return render_value_in_context(cell, context)
    return conditional_escape(formats.localize(cell, use_l10n=column.localize))


def _direct_call(bound_column, args: tuple[str, ...]):
    """A column's render method called with the arguments it names, as ``call_with_appropriate`` would call it, without
    building the six offered arguments (BoundRow._optional_cell_arguments) and filtering them for every cell. None when
    it names one that is not offered (django-tables2 would not call it then)."""
    render, column = bound_column.render, bound_column.column
    offered = {
        "value": lambda row, value: value,
        "record": lambda row, value: row.record,
        "column": lambda row, value: column,
        "bound_column": lambda row, value: bound_column,
        "bound_row": lambda row, value: row,
        "table": lambda row, value: row.table,
    }
    if any(name not in offered for name in args):
        return None
    if args == ("record",):
        return lambda row, value: render(record=row.record)
    if args == ("value",):
        return lambda row, value: render(value=value)
    chosen = [(name, offered[name]) for name in args]
    return lambda row, value: render(**{name: get(row, value) for name, get in chosen})


_SLOW = object()  # "take django-tables2's own path for this cell"


class _Plan:
    """What is known about a column before its first cell: the path to its value and a choice field's labels."""

    def __init__(self, bound_column, record):
        column = bound_column.column
        self.bound_column = bound_column
        self.default = bound_column.default
        self.empty_values = column.empty_values
        self.slow = isinstance(column, ManyToManyColumn) or not isinstance(record, models.Model)
        accessor = tables2_utils.A(bound_column.accessor)
        self.bits = accessor.bits
        args, kwargs_name = tables2_utils.signature(bound_column.render)  # once a column
        self.skip_value = (not self.empty_values and bound_column.link is None and kwargs_name is None
                           and "value" not in args)
        self.call = None if kwargs_name is not None else _direct_call(bound_column, args)
        # A linked cell: its URL made here (_link_maker) and the content rendered without the link; else
        # django-tables2's render with its link.
        self.link = _link_maker(bound_column) if self.call is not None else None
        if bound_column.link is not None and self.link is None:
            self.call = None
        self.labels = None
        self.format_date = _date_formatter(bound_column)
        if self.slow or not self.bits:
            return
        field = accessor.get_field(record)
        if getattr(field, "choices", ()):
            *path, remainder = self.bits
            owner = type(_walk(record, path)) if path else type(record)
            display = inspect.getattr_static(owner, f"get_{remainder}_display", None)
            if not isinstance(display, functools.partialmethod) or display.func is not models.Model._get_FIELD_display:
                self.slow = True  # a model's own get_FOO_display: call it, as django-tables2 does
                return
            self.attname = field.attname
            self.labels = _choice_labels(field, get_language())

    def render(self, row, value):
        if self.call is None:
            return row._call_render(self.bound_column, value)
        return self.call(row, value)

    def value(self, record):
        if self.labels is not None:
            owner = _walk(record, self.bits[:-1])
            if owner is _SLOW or not isinstance(owner, models.Model):
                return _SLOW
            raw = getattr(owner, self.attname)
            return force_str(self.labels.get(make_hashable(raw), raw), strings_only=True)
        return _walk(record, self.bits)


@functools.lru_cache(maxsize=512)
def _choice_labels(field, language: str | None) -> dict:
    """A choice field's labels in one language, translated once (each label was hashed and translated again for every
    table, ten columns a page)."""
    return {key: force_str(label, strings_only=True) for key, label in dict(make_hashable(field.flatchoices)).items()}


def _walk(current, bits):
    for bit in bits:
        if not isinstance(current, models.Model):
            return _SLOW
        try:
            current = getattr(current, bit)
        except AttributeError:
            return _SLOW
        if callable(current):
            return _SLOW
        if current is None:
            break
    return current


def _cell(row, plan):
    bound_column = plan.bound_column
    if plan.slow:
        return row.get_cell(bound_column.name)
    if plan.skip_value:
        return plan.render(row, None)
    value = plan.value(row.record)
    if value is _SLOW:
        return row.get_cell(bound_column.name)
    if value in plan.empty_values:
        return plan.default
    content = plan.render(row, value) if plan.format_date is None else plan.format_date(value)
    if plan.link is None:
        return content
    url = plan.link(row.record, value)
    if url is _SLOW:
        return row.get_cell(bound_column.name)
    # LinkTransform's <a>, with no attributes but href (_link_maker).
    return SafeString(f'<a href="{escape(url)}">{escape(content)}</a>')


def _link_maker(bound_column):
    """For a column linked by ``linkify=("view", [A("path")])`` (or ``{"pk": A("path")}``), or ``linkify=True`` on the
    record's own ``get_absolute_url``, without attributes of its own on the ``<a>``: a function of (record, value)
    giving the cell's URL, the key put into the view's URL (``pk_url_maker``). None for any other link."""
    link = bound_column.link
    if link is None or link.url is not None or link.attrs:
        return None
    reverse_args = link.reverse_args
    if not reverse_args:
        # linkify=True: the URL of the column's value when it has one, else the record's (LinkTransform.compose_url).
        if link.accessor is not None or bound_column.accessor != bound_column.name:
            return None
        return lambda record, value: (value if hasattr(value, "get_absolute_url") else record).get_absolute_url()
    viewname, args, kwargs = reverse_args.get("viewname"), reverse_args.get("args"), reverse_args.get("kwargs")
    if set(reverse_args) - {"viewname", "args", "kwargs"} or not isinstance(viewname, str):
        return None
    named = list((kwargs or {}).items())
    keys = [(None, value) for value in args or ()] + named
    if len(keys) != 1 or not isinstance(keys[0][1], tables2_utils.Accessor):
        return None
    kwarg, bits = keys[0][0], keys[0][1].bits
    url_of = pk_url_maker(viewname, kwarg)  # a plan lives for one table, within one request

    def url(record, value):
        pk = _walk(record, bits)
        return _SLOW if pk is _SLOW or pk is None else url_of(pk)

    return url


_DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"([^"]*)"\|default:default \}\}')


def _date_formatter(bound_column):
    """A DateColumn or DateTimeColumn renders ``{{ value|date:"FORMAT"|default:default }}`` by compiling that
    template for every cell. When the column is one of those two as django-tables2 defines them (no render method of
    the table's own), the same filters are applied in Python: the date filter (local time first, as the template
    does), the default, escaping."""
    column = bound_column.column
    if type(column) not in (DateColumn, DateTimeColumn) or column.template_name or column.extra_context:
        return None
    if getattr(bound_column.render, "__func__", None) is not type(column).render:
        return None  # the table renders this column itself
    match = _DATE_TEMPLATE.fullmatch(column.template_code or "")
    if match is None:
        return None
    date_format, default = match.group(1), bound_column.default

    def format_date(value):
        if date_format == "Y-m-d" and type(value) is datetime.date:
            return SafeString(value.isoformat())  # what the filter gives, digits and dashes
        if isinstance(value, datetime.datetime):
            value = template_localtime(value)
        return conditional_escape(date_filter(value, date_format) or default)

    return format_date


def render_rows(context, table) -> str:
    """A table's rows (or its empty text), each as ``render_row`` writes it."""
    html = [render_row(context, row) for row in table.paginated_rows]
    if not html and table.empty_text:
        # As django-tables2's template writes it.
        html.append(f'<tr><td colspan="{len(table.columns)}">{escape(table.empty_text)}</td></tr>')
    return "\n".join(html)  # a row a line, as the template writes them


def render_row(context, row) -> str:
    table = row.table
    static_td = getattr(table, "_lht_td", None)
    if static_td is None:
        static_td = table._lht_td = {}
        table._lht_td_dynamic = _has_callable(table.attrs) or any(
            _has_callable(column.column.attrs) for column in table.columns)
        table._lht_plans = [_Plan(column, row.record) for column in table.columns]
    dynamic = table._lht_td_dynamic
    # Plain concatenation: every part is already safe HTML (attributes from AttributeDict.as_html, cells from
    # _cell_html), which format_html would only have checked again, twice a cell.
    # The row's attributes as AttributeDict.as_html writes them, without a format_html call for each.
    parts = ["<tr ", " ".join(f'{escape(key)}="{escape(value)}"' for key, value in row.attrs._iteritems()), ">"]
    for plan in table._lht_plans:
        column = plan.bound_column
        cell = _cell(row, plan)
        if dynamic:
            column.current_value, column.current_record = cell, row.record
            td = column.attrs["td"].as_html()
        else:
            td = static_td.get(column.name)
            if td is None:
                td = static_td[column.name] = column.attrs["td"].as_html()
        parts += ("<td ", td, ">", _cell_html(column, cell, context), "</td>")
    parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
