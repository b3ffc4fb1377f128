"""Forms of disputes. Every choice list starts from what the user may see (``visible_to``) and stays small:
grids are chosen after the village (a cascade), residents through a search box."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import forms as casework_forms
from core.bounds import AmountField, BoundedDateField, PastDateField, PeopleCountField
from core.concurrency import VersionedFormMixin
from core.widgets import DateInput
from governance.models import Grid, User, Village
from households.idnumbers import IdNumberField, parse
from households.models import Resident
from households.phones import PhoneField

from .models import Dispute, Party

R = User.Role
COUNTY_ROLES = (R.COUNTY_STAFF, R.COUNTY_LEADER)
TOWNSHIP_ROLES = (R.TOWNSHIP_STAFF, R.SUPERVISOR, R.TOWNSHIP_CADRE)


def _county_people(dispute: Dispute) -> Q:
    """The county's users, when the dispute's township has a county."""
    county_id = dispute.township.county_id
    return Q(county=county_id, role__in=COUNTY_ROLES) if county_id else Q(pk__in=[])


def people_for(dispute: Dispute):
    """Who can be picked as handler, mediator or team member: the township's officials and the cadres and
    grid workers of the dispute's village (a few dozen, never the whole county), and the county's users."""
    local = Q(township=dispute.township_id) & (
        Q(role__in=TOWNSHIP_ROLES) | Q(villages=dispute.village_id) | Q(grids__village=dispute.village_id)
    )
    return User.objects.filter(local | _county_people(dispute), is_active=True).distinct().order_by("role", "username")


def leads_for(dispute: Dispute):
    township = Q(township=dispute.township_id, role__in=(R.SUPERVISOR, R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE))
    return User.objects.filter(township | _county_people(dispute), is_active=True).order_by("role", "username")


# --- Registering and editing --------------------------------------------------------------------------


class DisputeForm(forms.ModelForm):
    """Register a dispute. The village narrows the grids (htmx reloads them on change; the server checks)."""

    class Meta:
        model = Dispute
        fields = ["title", "kind", "source", "village", "grid", "risk", "registered_on", "level", "description",
                  "amount", "people_involved"]
        widgets = {"registered_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"registered_on": PastDateField, "amount": AmountField, "people_involved": PeopleCountField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        villages = Village.objects.visible_to(user)
        grids = Grid.objects.visible_to(user).active()
        if user.role == R.HOUSEHOLD_HEAD:
            # A household head reports from their own grid (the source is then always 联户长上报).
            head = user.household_head
            grids = grids.filter(pk=head.grid_id) if head else grids.none()
            villages = villages.filter(pk=head.grid.village_id) if head else villages.none()
            del self.fields["source"]
        self.fields["village"].queryset = villages
        self.fields["village"].widget.attrs.update({
            "hx-get": reverse_lazy("disputes:grid-options"), "hx-target": "#id_grid", "hx-trigger": "change",
        })
        village = self._chosen_village()
        self.fields["grid"].queryset = grids.filter(village=village) if village else grids.none()
        if not user.is_township_wide:
            del self.fields["level"]

    def _chosen_village(self):
        raw = self.data.get(self.add_prefix("village")) if self.is_bound else self.initial.get("village")
        raw = getattr(raw, "pk", raw)
        try:
            return self.fields["village"].queryset.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None


class DisputeUpdateForm(VersionedFormMixin, forms.ModelForm):
    """Edit the facts. The village, number and level are not edited here (the level has its own history)."""

    class Meta:
        model = Dispute
        fields = ["title", "kind", "source", "grid", "risk", "description", "amount", "people_involved"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"amount": AmountField, "people_involved": PeopleCountField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.visible_to(user).filter(village=self.instance.village_id)


class ResidentChoiceField(forms.ModelChoiceField):
    widget = forms.HiddenInput


class PartyForm(forms.Form):
    """A party: a resident in scope (chosen with the search box), or an outside person typed in."""

    side = forms.ChoiceField(label=_("side"), choices=Party.Side.choices, initial=Party.Side.APPLICANT)
    resident = ResidentChoiceField(label=_("resident"), queryset=Resident.objects.none(), required=False)
    name = forms.CharField(label=_("Full name"), max_length=32, required=False)
    id_number = IdNumberField(label=_("ID number"), required=False)
    phone = PhoneField(label=_("phone"), required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    gender = forms.ChoiceField(label=_("gender"), choices=[("", "—"), *Party.Gender.choices], required=False)
    ethnicity = forms.CharField(label=_("ethnicity"), max_length=16, required=False)
    age = forms.IntegerField(label=_("age"), min_value=0, max_value=130, required=False)
    occupation = forms.CharField(label=_("occupation"), max_length=50, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Resident.objects.visible_to(user)
        self.resident_label = ""
        initial_resident = self.initial.get("resident")
        if initial_resident is not None and not isinstance(initial_resident, int):
            self.resident_label = f"{initial_resident.name} {initial_resident.masked_id_number}"

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]  # normalised by IdNumberField
        if value:
            parse(value)
        return value

    def clean(self):
        data = super().clean()
        unnamed = not data.get("resident") and not data.get("name") and not data.get("DELETE")
        if unnamed and any(data.get(f) for f in ("id_number", "phone", "address")):
            raise forms.ValidationError(_("Choose a resident or type the name of the party."))
        return data

    @property
    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("resident") or data.get("name")) and not data.get("DELETE")


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(f.is_filled for f in self.forms):
            raise forms.ValidationError(_("Name at least one party."))

    def parties(self) -> list[dict]:
        return [party_data(f.cleaned_data) for f in self.forms if f.is_filled]


PARTY_KEYS = ("side", "resident", "name", "id_number", "phone", "address", "gender", "ethnicity", "age", "occupation")


def party_data(cleaned: dict) -> dict:
    """The Party fields of a party form's data (empty text as "", no resident or age as None)."""
    return {k: cleaned.get(k) or (None if k in ("resident", "age") else "") for k in PARTY_KEYS}


def party_formset(*, user: User, data=None, initial=None):
    extra = 2 if initial else 3
    factory = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=extra, can_delete=True)
    return factory(data=data, initial=initial, prefix="parties", form_kwargs={"user": user})


class PartyAddForm(PartyForm):
    def clean(self):
        data = super().clean()
        if not data.get("resident") and not data.get("name"):
            raise forms.ValidationError(_("Choose a resident or type the name of the party."))
        return data


# --- Actions on a dispute ---------------------------------------------------------------------------------


class ActionForm(forms.Form):
    def __init__(self, *args, dispute: Dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispute = dispute


class StartMediationForm(ActionForm):
    method = forms.ChoiceField(label=_("mediation method"), choices=Dispute.Method.choices)
    on = PastDateField(label=_("date"), initial=timezone.localdate, widget=DateInput())
    mediators = forms.ModelMultipleChoiceField(
        label=_("mediators (users)"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mediator_names = forms.CharField(
        label=_("other mediators"), required=False, max_length=300,
        help_text=_("Names of people's mediators, lawyers or respected villagers, separated by commas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = people_for(self.dispute)
        if self.dispute.level == Dispute.Level.VILLAGE:
            self.fields["method"].initial = Dispute.Method.PEOPLE

    def clean_mediator_names(self):
        raw = self.cleaned_data["mediator_names"]
        return [n.strip() for n in raw.replace("，", ",").replace("、", ",").split(",") if n.strip()]

    def clean(self):
        data = super().clean()
        if not data.get("mediators") and not data.get("mediator_names"):
            raise forms.ValidationError(_("Name at least one mediator."))
        return data


class SessionForm(ActionForm):
    held_on = PastDateField(label=_("date"), initial=timezone.localdate, widget=DateInput())
    place = forms.CharField(label=_("place"), max_length=100)
    participants = forms.CharField(label=_("participants"), max_length=300)
    content = forms.CharField(label=_("what was said"), widget=forms.Textarea(attrs={"rows": 4}))
    result = forms.CharField(label=_("result"), max_length=200, required=False)


class SuccessForm(ActionForm):
    on = PastDateField(label=_("agreed on"), initial=timezone.localdate, widget=DateInput())
    agreement_form = forms.ChoiceField(label=_("agreement form"), choices=Dispute.AgreementForm.choices,
                                       initial=Dispute.AgreementForm.WRITTEN)
    terms = forms.CharField(label=_("agreed terms"), widget=forms.Textarea(attrs={"rows": 5}))
    fulfilment = forms.ChoiceField(label=_("fulfilment"), choices=Dispute.Fulfilment.choices,
                                   initial=Dispute.Fulfilment.PENDING)
    dispute_points = forms.CharField(label=_("points in dispute"), widget=forms.Textarea(attrs={"rows": 3}),
                                     required=False, help_text=_("For the written agreement: what the parties disputed."))
    performance = forms.CharField(label=_("how the agreement is carried out"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    performance_due = BoundedDateField(label=_("carried out by"), required=False, widget=DateInput())


class FailureForm(ActionForm):
    on = PastDateField(label=_("date"), initial=timezone.localdate, widget=DateInput())
    reason = forms.CharField(label=_("why mediation failed"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferForm(ActionForm):
    route = forms.ChoiceField(label=_("referral"), choices=Dispute.Route.choices)
    to = forms.CharField(label=_("referred to"), max_length=100, required=False,
                         help_text=_("The department, court or arbitration commission."))
    note = forms.CharField(label=_("referral note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FulfilmentForm(VersionedFormMixin, ActionForm):
    """履行情况 is edited again and again until closure: the dispute's version guards it."""

    version_fields = {"fulfilment": "fulfilment", "note": "fulfilment_note"}

    fulfilment = forms.ChoiceField(label=_("fulfilment"), choices=Dispute.Fulfilment.choices)
    note = forms.CharField(label=_("fulfilment note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilment"].initial = self.dispute.fulfilment
        self.fields["note"].initial = self.dispute.fulfilment_note

    def versioned_record(self):
        return self.dispute


class FollowUpForm(ActionForm):
    on = PastDateField(label=_("follow-up visit on"), initial=timezone.localdate, widget=DateInput())
    notes = forms.CharField(label=_("follow-up notes"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(ActionForm):
    outcome = forms.ChoiceField(label=_("closing outcome"), choices=Dispute.ClosingOutcome.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("closing note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CloseOutDecisionForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve the close-out")), ("refuse", _("Send the close-out back"))],
    )
    comment = forms.CharField(label=_("decision comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the close-out is sent back."))
        return data


class ReopenForm(ActionForm):
    reason = forms.CharField(label=_("reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}))


class LevelForm(ActionForm):
    """Escalate (``up=True``) or hand down: the levels offered are those above, or below, the current one."""

    to_level = forms.ChoiceField(label=_("new level"), choices=())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    handler = forms.ModelChoiceField(label=_("new handler"), queryset=User.objects.none(), required=False)
    handler_name = forms.CharField(label=_("new handling person or body"), max_length=100, required=False,
                                   help_text=_("For a body outside the system, e.g. the county mediation centre."))
    up = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = Dispute.LEVEL_ORDER[self.dispute.level]
        self.fields["to_level"].choices = [
            (value, label) for value, label in Dispute.Level.choices
            if (Dispute.LEVEL_ORDER[value] > current) == self.up and value != self.dispute.level
        ]
        self.fields["handler"].queryset = people_for(self.dispute)

    def clean(self):
        data = super().clean()
        if not data.get("handler") and not data.get("handler_name"):
            raise forms.ValidationError(_("Name the new handler."))
        return data


class HandDownForm(LevelForm):
    up = False


class AssignmentForm(casework_forms.AssignmentForm):
    """包案 of a dispute: the deadline by default in working days from today, or a date."""

    working_days = forms.IntegerField(
        label=_("working days to the deadline"), min_value=1, max_value=250, required=False,
        help_text=_("Counted from today, skipping statutory holidays and counting make-up workdays."),
    )
    deadline = BoundedDateField(label=_("or a deadline date"), required=False, widget=DateInput())
    field_order = ["lead", "responsible_unit", "team", "working_days", "deadline"]

    def __init__(self, *args, case: Dispute, **kwargs):
        super().__init__(*args, case=case, assignment=case.assignment, leads=leads_for(case), team=people_for(case),
                         **kwargs)
        if case.assignment is None:
            self.initial.setdefault("working_days", settings.DISPUTES_DEADLINE_WORKING_DAYS)
            self._note_unconfirmed(self.initial["working_days"])

    def _note_unconfirmed(self, days: int) -> None:
        """未确认: say so when the default deadline falls in a year without an official holiday arrangement."""
        from governance.workdays import is_provisional

        from .services import deadline_after_working_days

        deadline = deadline_after_working_days(days=days)
        if is_provisional(deadline):
            field = self.fields["working_days"]
            note = _("%(days)s working days from today is %(deadline)s: unconfirmed, the official holiday "
                     "arrangement for %(year)s is not in the calendar yet.")
            field.help_text = f"{field.help_text} {note % {'days': days, 'deadline': deadline, 'year': deadline.year}}"

    def clean(self):
        from .services import deadline_after_working_days

        data = super().clean()
        if not data.get("deadline"):
            if not data.get("working_days"):
                raise forms.ValidationError(_("Give the working days or a deadline date."))
            data["deadline"] = deadline_after_working_days(days=data["working_days"])
        elif data["deadline"] < timezone.localdate() and self.case.assignment is None:
            self.add_error("deadline", _("The deadline cannot be in the past."))
        return data


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("Until"), required=False, widget=DateInput())
