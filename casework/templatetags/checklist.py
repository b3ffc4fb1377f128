"""The 四包 checklist of a case's 包案, the same on every case page:

    {% load checklist %}
    {% assignment_checklist assignment %}

Shows the four items (done, day, note, who) to whoever sees the page, and the form to tick them to the lead
official and the team while the assignment is open. Reads ``assignment.checks`` (prefetch it on busy pages)."""

from django import template

from casework.checklist import ChecklistForm, checklist_rows, may_tick

register = template.Library()


@register.inclusion_tag("casework/_checklist.html", takes_context=True)
def assignment_checklist(context, assignment):
    user = context.get("user") or getattr(context.get("request"), "user", None)
    editable = assignment is not None and may_tick(user, assignment)
    return {
        "assignment": assignment,
        "rows": checklist_rows(assignment),
        "form": ChecklistForm(assignment=assignment, prefix=None) if editable else None,
        "csrf_token": context.get("csrf_token"),
    }
