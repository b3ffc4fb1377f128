"""A <select> rendered in Python. Django renders every <option> through its own template include, which made the
filter forms of the list pages (a grid dropdown holds up to 200 options) cost more than the rows of the table. The HTML
is the same as Django's ``select.html`` / ``select_option.html``."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # As Django's attrs.html, in the same order: False leaves the attribute out, True writes it bare.
    return mark_safe("".join(  # noqa: S308 - each part is escaped by format_html
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items() if value is not False
    ))


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select name=\"{}\"{}>", widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html('<option value="{}"{}>{}</option>', str(option["value"]), _attrs(option["attrs"]), option["label"])
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html


def fast(widget: forms.Widget) -> forms.Widget:
    """The same widget rendered in Python when it is a plain single <select>; any other widget as it is."""
    if type(widget) is not forms.Select:
        return widget
    copy = FastSelect(attrs=widget.attrs, choices=widget.choices)
    copy.is_required = widget.is_required
    return copy
