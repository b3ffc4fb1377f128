"""A <select> rendered in Python. Django renders every <option> through its own template include, which made the
filter forms of the list pages (a grid dropdown holds up to 200 options) cost more than the rows of the table. The HTML
is the same as Django's ``select.html`` / ``select_option.html``."""

from __future__ import annotations

import copy as copy_module
import functools
import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # As Django's attrs.html, in the same order: False leaves the attribute out, True writes it bare.
    return mark_safe("".join(  # noqa: S308 - each part is escaped by format_html
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items() if value is not False
    ))


class FastSelect(forms.Select):
    """The options are written straight from ``choices``: Django's ``optgroups`` builds a dict of a dozen keys per
    option first (for 100 grids, most of a list page's form). Single selection only, as ``Select``."""

    def render(self, name, value, attrs=None, renderer=None):
        # The widget's own context without the option dicts (ChoiceWidget.get_context adds those).
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])
        parts = [format_html("<select name=\"{}\"{}>", widget["name"], _attrs(widget["attrs"]))]
        has_selected = False
        for option_value, option_label in _choices(self.choices):
            if isinstance(option_label, (list, tuple)):
                group, choices = option_value, option_label
                parts.append(format_html('<optgroup label="{}">', group))
            else:
                group, choices = None, [(option_value, option_label)]
            for sub_value, sub_label in choices:
                if sub_value is None:
                    sub_value = ""
                value = str(sub_value)
                selected = not has_selected and value in chosen
                has_selected |= selected
                parts.append(f'<option value="{escape(value)}"{" selected" if selected else ""}>'
                             f"{escape(sub_label)}</option>")
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html


def escape(value) -> str:
    """``conditional_escape`` without its lazy-argument wrapper (a few microseconds an option): Django's ``escape`` is
    ``html.escape`` of the text; what is already safe HTML is left as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _choices(choices):
    """A model choice field's choices read with one plain query: its iterator would open a server-side cursor
    (DECLARE, FETCH, CLOSE) for a list that is at most a couple of hundred rows by design."""
    if getattr(choices, "one_query", False):
        return list(iter(choices))  # (list(choices) would ask its length first: a COUNT query)
    if not isinstance(choices, ModelChoiceIterator) or choices.queryset._prefetch_related_lookups:
        return choices
    field = choices.field
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    label_field = getattr(choices.queryset.model, "choice_label_field", None)
    if (label_field and field.to_field_name is None
            and type(field).label_from_instance is forms.ModelChoiceField.label_from_instance):
        # A model whose str() is one of its fields (``choice_label_field``): its choices without its instances.
        return [*empty, *choices.queryset.values_list("pk", label_field)]
    return [*empty, *(choices.choice(obj) for obj in choices.queryset.all())]


# Widgets whose template is Django's input.html, included as it is: their HTML is written by _render_input.
_INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox", "search", "tel"))


def _render_input(widget, name, value, attrs=None, renderer=None):
    """``widget.render`` for an <input>, as Django's input.html (included by the widget's own template) writes it,
    from the widget's own context (its value formatted, ``checked`` set, as the widget does)."""
    context = widget.get_context(name, value, attrs)["widget"]
    value_html = "" if context["value"] is None else f' value="{html.escape(str(context["value"]))}"'
    return mark_safe(  # noqa: S308 - every part is escaped
        f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"{value_html}'
        f'{_attrs(context["attrs"])}>')


def fast(widget: forms.Widget) -> forms.Widget:
    """The same widget rendered in Python when it is a plain single <select> or an <input> of Django's own template;
    any other widget as it is."""
    if type(widget) is forms.Select:
        copy = FastSelect(attrs=widget.attrs, choices=widget.choices)
        copy.is_required = widget.is_required
        return copy
    if (isinstance(widget, forms.widgets.Input) and widget.template_name in _INPUT_TEMPLATES
            and type(widget).render is forms.Widget.render):
        copy = copy_module.copy(widget)
        copy.render = functools.partial(_render_input, copy)
        return copy
    return widget


class DateInput(forms.DateInput):
    """A browser date picker; it needs ISO dates whatever the language's date format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
