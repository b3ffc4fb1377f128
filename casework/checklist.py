"""四包 (包调查研究、包协调处理、包督办落实、包教育稳控) on the 包案 assignment: every case type with 一个案子一名领导
shows it on its page (``templates/casework/_checklist.html``, given the assignment) and the lead official or the
team ticks each item with the day and a note. The form posts here and comes back to the case's page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scoping import get_visible_or_404
from governance.models import User

from .models import AssignmentCheck, ResponsibilityAssignment

Item = AssignmentCheck.Item


def may_tick(user, assignment: ResponsibilityAssignment) -> bool:
    """The lead official and the team answer for the 四包."""
    if not getattr(user, "is_authenticated", False) or not assignment.is_open:
        return False
    return user.is_superuser or assignment.lead_id == user.pk or assignment.team.filter(pk=user.pk).exists()


def checklist_rows(assignment: ResponsibilityAssignment | None) -> list[tuple[str, AssignmentCheck | None]]:
    """(label, check or None) per item, in the order of the 四包; reads ``assignment.checks`` (prefetch it)."""
    if assignment is None:
        return []
    existing = {c.item: c for c in assignment.checks.all()}
    return [(label, existing.get(value)) for value, label in Item.choices]


@transaction.atomic
def assignment_checklist_update(*, assignment: ResponsibilityAssignment, by: User,
                                items: dict[str, tuple[bool, dt.date | None, str]]) -> int:
    """Tick off (or untick) the four items with their day and note; returns how many changed."""
    assignment = ResponsibilityAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_open:
        raise ValidationError(_("The four responsibilities of a closed assignment cannot change."))
    today = timezone.localdate()
    existing = {c.item: c for c in assignment.checks.all()}
    changed = 0
    for item, (done, done_on, note) in items.items():
        note = note.strip()
        if done_on and done_on > today:
            raise ValidationError(_("The day an item was done cannot be in the future."))
        done_on = (done_on or today) if done else None
        check = existing.get(item) or AssignmentCheck(assignment=assignment, item=item)
        if check.pk and (check.done, check.done_on, check.note) == (done, done_on, note):
            continue
        if not check.pk and not done and not note:
            continue
        check.done, check.done_on, check.note, check.updated_by = done, done_on, note, by
        check._history_user = by
        check.save()
        changed += 1
    return changed


class DateInput(forms.DateInput):
    input_type = "date"


class ChecklistForm(forms.Form):
    """One checkbox, one day and one note per item."""

    def __init__(self, *args, assignment: ResponsibilityAssignment, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {c.item: c for c in assignment.checks.all()}
        for value, label in Item.choices:
            check = existing.get(value)
            self.fields[f"done_{value}"] = forms.BooleanField(label=label, required=False,
                                                              initial=bool(check and check.done))
            self.fields[f"on_{value}"] = forms.DateField(
                label=gettext_lazy("done on"), required=False, widget=DateInput(),
                initial=check.done_on if check else None)
            self.fields[f"note_{value}"] = forms.CharField(
                label=gettext_lazy("note"), required=False, max_length=500, initial=check.note if check else "")

    def rows(self):
        return [(self[f"done_{v}"], self[f"on_{v}"], self[f"note_{v}"]) for v in Item.values]

    def items(self) -> dict[str, tuple[bool, dt.date | None, str]]:
        d = self.cleaned_data
        return {v: (d[f"done_{v}"], d[f"on_{v}"], d[f"note_{v}"]) for v in Item.values}


def checklist_update(request: HttpRequest, pk: int) -> HttpResponse:
    """POST the 四包 of one assignment (in scope: 404 otherwise; the lead or the team: 403 otherwise)."""
    assignment = get_visible_or_404(ResponsibilityAssignment.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not may_tick(request.user, assignment):
        raise PermissionDenied
    form = ChecklistForm(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            assignment_checklist_update(assignment=assignment, by=request.user, items=form.items())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The four responsibilities checklist is saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(assignment.case_url or "home")
