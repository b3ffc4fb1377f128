"""Deadline colours for every list and case page: 红色预警 when overdue, 黄色预警 when due today.

    {% load deadlines %}
    <tr class="{{ assignment|deadline_class }}">          → "overdue" (red row, static/css/app.css) or ""
    {% deadline_badge assignment %}                       → a red or yellow badge, or nothing

Works on a ResponsibilityAssignment or anything with ``deadline`` and ``is_open`` (no query).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from governance.reminders import deadline_state

register = template.Library()


def _state(obj) -> str:
    if obj is None:
        return ""
    return deadline_state(getattr(obj, "deadline", None), is_open=getattr(obj, "is_open", True))


@register.filter
def deadline_class(obj) -> str:
    return "overdue" if _state(obj) == "overdue" else ""


@register.simple_tag
def deadline_badge(obj) -> str:
    state = _state(obj)
    if state == "overdue":
        return format_html('<span class="badge badge-red" data-testid="deadline-overdue">{} · {}</span>',
                           _("Red alert"), _("Overdue"))
    if state == "due_today":
        return format_html('<span class="badge badge-yellow" data-testid="deadline-today">{} · {}</span>',
                           _("Yellow alert"), _("Due today"))
    return ""
