"""The 包案 forms, one set for every case type: who leads, which unit, the team and the deadline (三定), and the
supervision (挂牌督办). A case type gives the people to choose from and its default deadline; the rules are here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateField
from core.concurrency import VersionedFormMixin
from core.widgets import DateInput
from governance.models import User

from .models import ResponsibilityAssignment
from .services import assignment_for

UNREAD = object()


class AssignmentVersionMixin(VersionedFormMixin):
    """The 包案 forms edit the case's one assignment: its version guards them (0 while there is none). ``assignment``:
    the case's assignment as the page read it (or None), which fills the form; read here when not given."""

    def __init__(self, *args, case, assignment=UNREAD, **kwargs):
        self.case = case
        self.opened_assignment = assignment_for(case) if assignment is UNREAD else assignment
        super().__init__(*args, **kwargs)

    def versioned_record(self):
        return assignment_for(self.case)


class AssignmentForm(AssignmentVersionMixin, forms.Form):
    """包案 (三定): lead official, responsible unit, team, deadline. ``leads`` and ``team`` are the people a case
    type offers; an existing assignment fills the form."""

    version_fields = {"lead": "lead", "responsible_unit": "responsible_unit", "team": "team", "deadline": "deadline"}

    lead = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Lead official"))
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=100)
    team = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label=_("Team"), widget=forms.CheckboxSelectMultiple
    )
    deadline = BoundedDateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args, leads, team, **kwargs):
        super().__init__(*args, **kwargs)
        # The system administrator keeps the deployment running; they answer for no case.
        self.fields["lead"].queryset = leads.filter(is_superuser=False)
        self.fields["team"].queryset = team
        self.initial.update(self.initial_for(self.opened_assignment))

    @staticmethod
    def initial_for(assignment: ResponsibilityAssignment | None) -> dict:
        if assignment is None:
            return {}
        return {
            "lead": assignment.lead_id, "responsible_unit": assignment.responsible_unit,
            "team": [u.pk for u in assignment.team.all()], "deadline": assignment.deadline,
        }


class SuperviseForm(AssignmentVersionMixin, forms.Form):
    """挂牌督办: a yellow or red card says what it asks for; no card lifts the supervision."""

    version_fields = {"level": "supervision_level", "comment": "supervision_comment"}

    level = forms.ChoiceField(
        label=_("Supervision"), choices=ResponsibilityAssignment.SupervisionLevel.choices, required=False
    )
    comment = forms.CharField(label=_("Supervision comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assignment = self.opened_assignment
        if assignment is not None:
            self.initial.setdefault("level", assignment.supervision_level)
            self.initial.setdefault("comment", assignment.supervision_comment)

    def clean(self):
        data = super().clean()
        if data.get("level") and not data.get("comment", "").strip():
            self.add_error("comment", SUPERVISION_NEEDS_COMMENT)
        return data


SUPERVISION_NEEDS_COMMENT = _("Say what the supervision asks for.")
