"""Forms of the petition ledger. Every choice list starts from what the user may see."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import forms as casework_forms
from core.bounds import BoundedDateField, PastDateField, PeopleCountField
from core.concurrency import VersionedFormMixin
from core.widgets import DateInput
from governance.models import User, Village
from households.idnumbers import IdNumberField
from households.idnumbers import parse as parse_id_number
from households.models import Household, Resident
from households.phones import PhoneField

from .models import CloseOut, Petition, ProgressEntry
from .services import PetitionerData


def _today():
    return timezone.localdate()


class PetitionForm(forms.ModelForm):
    """登记. The household (from a visit or a household page) travels as a hidden field; its members can be
    ticked as petitioners. Other petitioners are entered by ID number in the formset below the form."""

    household = forms.ModelChoiceField(queryset=Household.objects.none(), required=False, widget=forms.HiddenInput)
    residents = forms.ModelMultipleChoiceField(
        queryset=Resident.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Petitioners from the household"),
    )

    class Meta:
        model = Petition
        fields = [
            "received_on", "channel", "referred_by", "skip_level", "subject", "village", "head_count",
            "content", "demands",
        ]
        field_classes = {"received_on": PastDateField, "head_count": PeopleCountField}
        error_messages = {"received_on": {"too_late": _("The petition cannot be received in the future.")}}
        widgets = {
            "received_on": DateInput(),
            "content": forms.Textarea(attrs={"rows": 4}),
            "demands": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "head_count": _("Five people or more make it a collective petition."),
            "skip_level": _("Tick when the referral says the petitioner went to a higher level first."),
            "referred_by": _("The office above that referred or assigned it, e.g. the county letters and visits bureau."),
        }

    def __init__(self, *args, user: User, households: list[Household] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["received_on"].initial = _today
        self.fields["village"].queryset = Village.objects.visible_to(user).order_by("name")
        # Someone who sees only some villages must say which: the petition would otherwise leave their sight.
        self.fields["village"].required = not user.is_township_wide
        self.fields["household"].queryset = Household.objects.visible_to(user)
        if households:
            self.fields["residents"].queryset = (
                Resident.objects.visible_to(user).filter(household__in=households).order_by("household", "pk")
            )
        else:
            del self.fields["residents"]
        if user.is_county_user:
            # Brought to the county: over the township's head (越级访) unless said otherwise, and handed down to the
            # township, whose clock runs from the day the county received it.
            self.fields["skip_level"].initial = True
            self.fields["skip_level"].help_text = _(
                "Registered at the county: ticked, it counts as a skip-level petition against the township."
            )
            self.fields["village"].help_text = _("The petition is transferred to the township of this village.")

    def clean(self):
        data = super().clean()
        if self.user.is_county_user:
            if not data.get("referred_by"):
                data["referred_by"] = self.user.county.name
        elif data.get("skip_level") and data.get("channel") != Petition.Channel.REFERRED:
            self.add_error("skip_level", _("Only a petition referred from above can be marked as skip-level."))
        if data.get("channel") == Petition.Channel.REFERRED and not data.get("referred_by"):
            self.add_error("referred_by", _("Say which office above referred or assigned it."))
        household, village = data.get("household"), data.get("village")
        if household is not None:
            household_village = Village.objects.filter(grids=household.grid_id).first()
            if village is None:
                data["village"] = household_village
            elif village != household_village:
                self.add_error("village", _("The household belongs to another village."))
        if data.get("village") is None and self.user.township_id is None:
            self.add_error("village", _("Choose the village."))
        return data

    def township(self):
        village = self.cleaned_data.get("village")
        return village.township if village is not None else self.user.township


class PetitionerForm(forms.Form):
    """One petitioner: a resident in the user's sight is found by ID number; anyone else is an outside person,
    who needs a name and a phone."""

    name = forms.CharField(label=_("Name"), max_length=32, required=False)
    id_number = IdNumberField(label=_("ID number"), required=False)
    phone = PhoneField(label=_("Phone"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        raw_id, name, phone = data.get("id_number", ""), data.get("name", "").strip(), data.get("phone", "")
        if not (raw_id or name or phone or self.errors):
            data["empty"] = True
            return data
        if self.has_error("id_number"):
            return data
        if not raw_id:
            self.add_error("id_number", _("Enter the ID number."))
            return data
        try:
            number = parse_id_number(raw_id).value
        except ValidationError as error:
            self.add_error("id_number", error)
            return data
        data["id_number"] = number
        resident = Resident.objects.visible_to(self.user).filter(id_number=number).select_related("household").first()
        data["resident"] = resident
        if resident is not None:
            data["name"] = resident.name
            data["phone"] = phone or resident.phone
            return data
        if not name:
            self.add_error("name", _("Not in the registry: enter the name."))
        if not phone and not self.has_error("phone"):
            self.add_error("phone", _("Not in the registry: enter a phone number."))
        return data

    def as_data(self) -> PetitionerData | None:
        data = self.cleaned_data
        if not data or data.get("empty"):
            return None
        return PetitionerData(data["name"], data["id_number"], data.get("phone", ""), data.get("resident"))


class BasePetitionerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            number = form.cleaned_data.get("id_number")
            if number and not form.cleaned_data.get("empty"):
                if number in seen:
                    raise ValidationError(_("The same ID number is entered twice."))
                seen.add(number)


PetitionerFormSet = forms.formset_factory(
    PetitionerForm, formset=BasePetitionerFormSet, extra=1, max_num=10, validate_max=True
)


class AcceptForm(forms.Form):
    accepted_on = PastDateField(label=_("Accepted on"), initial=_today, widget=DateInput())


class DeclineForm(forms.Form):
    declined_on = PastDateField(label=_("Not accepted on"), initial=_today, widget=DateInput())
    reason = forms.CharField(label=_("Reason for not accepting"), widget=forms.Textarea(attrs={"rows": 2}))


def lead_candidates(petition: Petition):
    R = User.Role
    who = Q(township=petition.township, role__in=[R.SUPERVISOR, R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE])
    if petition.township.county_id is not None:
        # A county leader or county staff may lead a township's petition (包案).
        who |= Q(county=petition.township.county_id, role__in=[R.COUNTY_LEADER, R.COUNTY_STAFF])
    return User.objects.filter(who, is_active=True).order_by("role", "username")


def team_candidates(petition: Petition):
    """Township people, and the cadres and grid workers of the petition's village (keeps the list short)."""
    R = User.Role
    who = Q(township=petition.township, role__in=[R.SUPERVISOR, R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE])
    if petition.village_id is not None:
        local = [R.VILLAGE_CADRE, R.GRID_WORKER]
        who |= Q(role__in=local, villages=petition.village_id) | Q(role__in=local, grids__village=petition.village_id)
    return User.objects.filter(who, is_active=True).distinct().order_by("role", "username")


class AssignForm(casework_forms.AssignmentForm):
    """包案 of a petition: the deadline no later than the statutory date, which it starts from."""

    deadline = BoundedDateField(
        label=_("Deadline"), widget=DateInput(),
        help_text=_("No later than the statutory date; the reminders chase this date."),
    )

    def __init__(self, *args, case: Petition, **kwargs):
        super().__init__(*args, case=case, leads=lead_candidates(case), team=team_candidates(case), **kwargs)
        self.fields["deadline"].initial = case.due_on


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressEntry
        fields = ["done_on", "handler", "action"]
        field_classes = {"done_on": PastDateField}
        widgets = {"done_on": DateInput(), "action": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = _today
        self.fields["handler"].initial = str(user)


class ReplyForm(VersionedFormMixin, forms.Form):
    """The reply can be corrected while the petition is open: the petition's version guards it."""

    version_fields = {"reply_text": "reply_text", "replied_on": "replied_on"}

    reply_text = forms.CharField(label=_("Written reply"), widget=forms.Textarea(attrs={"rows": 4}))
    replied_on = PastDateField(label=_("Replied on"), initial=_today, widget=DateInput())

    def __init__(self, *args, petition: Petition, **kwargs):
        self.petition = petition
        super().__init__(*args, **kwargs)

    def versioned_record(self):
        return self.petition


class SatisfactionForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Petition.Satisfaction.choices[1:], widget=forms.RadioSelect
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for extension"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PETITION_EXTENSION_MAX_DAYS
        self.fields["days"] = forms.IntegerField(
            label=_("Extension (days)"), min_value=1, max_value=limit, initial=limit
        )
        self.order_fields(["days", "reason"])


class CloseOutRequestForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CloseOut.Outcome.choices, widget=forms.RadioSelect)
    dissatisfied_reason = forms.CharField(
        label=_("Why close despite dissatisfaction"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the petitioner is dissatisfied."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseOutDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when sending the request back."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    """更正 of what was registered. The dates the statutory clock runs from are offered to supervisors only."""

    received_on = PastDateField(label=_("received on"), widget=DateInput())
    accepted_on = PastDateField(label=_("accepted on"), widget=DateInput())
    channel = forms.ChoiceField(label=_("channel"), choices=Petition.Channel.choices)
    referred_by = forms.CharField(label=_("referred by"), max_length=100, required=False)
    subject = forms.ChoiceField(label=_("subject"), choices=Petition.Subject.choices)
    head_count = PeopleCountField(label=_("head count"))
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))
    demands = forms.CharField(label=_("demands"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the history with what was changed."))

    def __init__(self, *args, petition: Petition, may_move_clock: bool, **kwargs):
        initial = {name: getattr(petition, name) for name in Petition.CORRECTABLE}
        super().__init__(*args, initial=initial, **kwargs)
        if not may_move_clock:
            del self.fields["received_on"]
            del self.fields["accepted_on"]
        elif petition.accepted_on is None:
            del self.fields["accepted_on"]
        else:
            self.fields["received_on"].help_text = self.fields["accepted_on"].help_text = _(
                "Moves the statutory dates: acceptance within 15 days of receipt, handling within 60 days of "
                "acceptance.")

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in Petition.CORRECTABLE}


class PetitionerCorrectionForm(forms.Form):
    """One petitioner as registered. The ID number is never shown in full here: typed, it replaces the old one."""

    name = forms.CharField(label=_("Name"), max_length=32)
    id_number = IdNumberField(label=_("ID number"), required=False,
                              help_text=_("Leave empty to keep the registered number."))
    phone = PhoneField(label=_("Phone"), required=False, help_text=_("Leave empty to keep the registered number."))

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number")
        return parse_id_number(raw).value if raw else ""


def petitioner_correction_forms(petition: Petition, data=None) -> list[tuple]:
    """(petitioner, its form) for each petitioner, in their order."""
    return [
        (person, PetitionerCorrectionForm(data, prefix=f"p{person.pk}", initial={"name": person.name}))
        for person in petition.petitioners.order_by("position", "pk")
    ]
