"""Deadline colours for every list and case page: 逾期预警 when overdue, 临期预警 when due today.

    {% load deadlines %}
    <tr class="{{ assignment|deadline_class }}">          → "overdue" (red row, static/css/app.css) or ""
    {% deadline_badge assignment %}                       → a red or yellow badge, or nothing
    {% unconfirmed_badge assignment.deadline %}           → 未确认, for a date in a provisional calendar year

Works on a ResponsibilityAssignment or anything with ``deadline`` and ``is_open`` (no query; ``unconfirmed_badge``
asks for the last confirmed year: one query, for case pages rather than long lists).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from casework.reminders import deadline_state
from governance.workdays import is_provisional

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


@register.simple_tag
def unconfirmed_badge(day) -> str:
    if not is_provisional(day):
        return ""
    return format_html(
        '<span class="badge text-bg-warning" data-testid="deadline-unconfirmed" title="{}">{}</span>',
        _("The official holiday arrangement for %(year)s is not in the calendar yet: this deadline was counted on "
          "the provisional calendar.") % {"year": day.year},
        _("Unconfirmed"),
    )
