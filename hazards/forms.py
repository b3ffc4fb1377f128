"""Forms of hazards. Choices start from what the user may see; the grids follow the village (htmx cascade)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Campaign, Return
from casework.rectification import RectificationStatus
from core.bounds import AmountField, BoundedDateField, PastDateField
from core.widgets import DateInput
from governance.models import Grid, User, Village
from households.forms import MultipleFileInput
from households.models import Household
from households.phones import PhoneField

from .models import ControlPlan, Hazard, HazardField

R = User.Role


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


def leads_for(hazard: Hazard):
    """包案领导: township officials (分管安全的领导, 包村干部)."""
    return User.objects.filter(
        is_active=True, is_superuser=False, township=hazard.township_id,
        role__in=(R.SUPERVISOR, R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE),
    ).order_by("role", "username")


def team_for(hazard: Hazard):
    """The team: the cadres and grid workers of the hazard's village, and the township's officials."""
    return (
        User.objects.filter(is_active=True, township=hazard.township_id)
        .filter(Q(role__in=(R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE)) | Q(villages=hazard.village_id)
                | Q(grids__village=hazard.village_id))
        .distinct().order_by("role", "username")
    )


class HazardForm(forms.ModelForm):
    """Report a hazard (排查登记). A household head reports from their own grid; the source is then 联户长上报."""

    photos = PhotosField(label=_("Photos before rectification"))

    class Meta:
        model = Hazard
        fields = ["village", "grid", "household", "place", "field", "grade", "source", "found_on", "description",
                  "party_kind", "party_name", "party_phone", "handling", "latitude", "longitude", "found_in_return"]
        widgets = {"found_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3}),
                   "latitude": forms.HiddenInput(), "longitude": forms.HiddenInput()}
        field_classes = {"found_on": PastDateField, "party_phone": PhoneField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        villages = Village.objects.visible_to(user)
        grids = Grid.objects.visible_to(user).active()
        if user.role == R.HOUSEHOLD_HEAD:
            head = user.household_head
            grids = grids.filter(pk=head.grid_id) if head else grids.none()
            villages = villages.filter(pk=head.grid.village_id) if head else villages.none()
            del self.fields["source"]
        self.fields["village"].queryset = villages
        if not self.is_bound and not self.initial.get("village"):
            self._only_one("village", villages)
        self.fields["village"].widget.attrs.update({
            "hx-get": reverse_lazy("hazards:grid-options"), "hx-target": "#id_grid", "hx-trigger": "change",
        })
        village = self._chosen("village", villages)
        self.fields["grid"].queryset = grids.filter(village=village) if village else grids.none()
        self.fields["grid"].widget.attrs.update({
            "hx-get": reverse_lazy("hazards:household-options"), "hx-target": "#id_household", "hx-trigger": "change",
        })
        if village and not self.is_bound and not self.initial.get("grid"):
            self._only_one("grid", self.fields["grid"].queryset)
        grid = self._chosen("grid", self.fields["grid"].queryset)
        households = Household.objects.visible_to(user)
        self.fields["household"].queryset = households.filter(grid=grid).order_by("pk") if grid else households.none()
        self.fields["field"].queryset = HazardField.objects.filter(is_active=True)
        if user.role == R.HOUSEHOLD_HEAD:
            del self.fields["found_in_return"]
        else:
            returns = self.open_returns(user)
            if village:
                returns = returns.filter(village=village)
            if grid:
                returns = returns.filter(Q(grid__isnull=True) | Q(grid=grid))
            self.fields["found_in_return"].queryset = returns
            self.fields["found_in_return"].label_from_instance = lambda r: f"{r.campaign.title} · {r.place}"
            self.fields["found_in_return"].help_text = _(
                "The return of a hazard screening round of the hazard's village or grid that found it.")
        self.fields["party_name"].help_text = _("The household, business, village collective or department.")

    @staticmethod
    def open_returns(user):
        """The returns of hazard rounds not yet ended that ``user`` sees (a household head sees none)."""
        return (Return.objects.visible_to(user)
                .filter(campaign__kind=Campaign.Kind.HAZARDS, campaign__ends_on__gte=timezone.localdate())
                .select_related("campaign", "village", "grid").order_by("-campaign__returns_due", "village__name",
                                                                         "grid__name", "pk"))

    def clean(self):
        data = super().clean()
        ret = data.get("found_in_return")
        if ret is not None:
            if data.get("village") and ret.village_id != data["village"].pk:
                self.add_error("found_in_return", _("The return must be of the hazard's village."))
            elif ret.grid_id and data.get("grid") and ret.grid_id != data["grid"].pk:
                self.add_error("found_in_return", _("The return must be of the hazard's grid."))
            elif data.get("found_on") and data["found_on"] < ret.campaign.starts_on:
                self.add_error("found_in_return", _("The hazard was found before the round started."))
        return data

    def _only_one(self, name: str, queryset) -> None:
        """A village or grid with no other choice is chosen already: the grid and household lists are then on the page
        when it opens, so a phone that kept the page can report without signal (the lists load from the server)."""
        only = list(queryset.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            self.initial[name] = only[0]

    def _chosen(self, name, queryset):
        raw = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        raw = getattr(raw, "pk", raw)
        try:
            return queryset.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None


class HazardFactsForm(forms.ModelForm):
    """The facts of a hazard, corrected while it is open: place, field, responsible party, description (not its state,
    which moves only by its steps)."""

    class Meta:
        model = Hazard
        fields = ["place", "field", "party_kind", "party_name", "party_phone", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"party_phone": PhoneField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = HazardField.objects.filter(Q(is_active=True) | Q(pk=self.instance.field_id))


class VerifyForm(forms.Form):
    """核实: grade and handling confirmed, the 整改要求 and deadline, and the 包案 who answer for it."""

    grade = forms.ChoiceField(label=_("grade"), choices=Hazard.Grade.choices)
    handling = forms.ChoiceField(label=_("handling"), choices=Hazard.Handling.choices)
    requirement = forms.CharField(label=_("Rectification requirement"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = BoundedDateField(label=_("Rectification deadline"), widget=DateInput())
    lead = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Lead official"))
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=100)
    team = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False, label=_("Team"),
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads_for(hazard)
        self.fields["team"].queryset = team_for(hazard)
        self.initial.setdefault("grade", hazard.grade)
        self.initial.setdefault("handling", hazard.handling)
        self.initial.setdefault("requirement", hazard.requirement)
        if hazard.deadline:
            self.initial.setdefault("deadline", hazard.deadline)


class CompletionForm(forms.Form):
    done_on = PastDateField(label=_("Completed on"), widget=DateInput())
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 3}))
    cost = AmountField(label=_("Cost (yuan)"), required=False)
    photos = PhotosField(label=_("Photos after rectification"))

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)


class RecheckForm(forms.Form):
    on = PastDateField(label=_("Re-checked on"), widget=DateInput())
    passed = forms.TypedChoiceField(
        label=_("Result"), choices=[("yes", _("Passed")), ("no", _("Not passed"))], widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = BoundedDateField(label=_("New deadline (if failed)"), required=False, widget=DateInput())
    photos = PhotosField(label=_("Re-check photos"))

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("passed") is False:
            if not (data.get("note") or "").strip():
                self.add_error("note", _("Say what is still wrong."))
            if not data.get("new_deadline"):
                self.add_error("new_deadline", _("A failed re-check needs a new deadline, today or later."))
        return data


class CloseOutRequestForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)


class CloseOutDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("yes", _("Approve close-out")), ("no", _("Send back"))],
        widget=forms.RadioSelect, coerce=lambda v: v == "yes",
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)


class LookBackForm(forms.Form):
    on = PastDateField(label=_("Checked on"), widget=DateInput())
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    reopen = forms.BooleanField(label=_("The fix did not hold: reopen"), required=False)
    new_deadline = BoundedDateField(label=_("New deadline (if reopened)"), required=False, widget=DateInput())

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)


class TransferForm(forms.Form):
    to = forms.CharField(label=_("Handed over to"), max_length=100,
                         help_text=_("Housing, emergency management, fire brigade, market regulation …"))
    receipt = forms.CharField(label=_("Receipt"), max_length=200)
    on = PastDateField(label=_("Handed over on"), widget=DateInput())

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)


class ControlForm(forms.Form):
    measures = forms.CharField(label=_("Control measures"), widget=forms.Textarea(attrs={"rows": 2}))
    review_every_days = forms.IntegerField(label=_("Review every (days)"), min_value=1, max_value=365, initial=30)

    def __init__(self, *args, hazard: Hazard, **kwargs):
        super().__init__(*args, **kwargs)


class ControlPlanForm(forms.ModelForm):
    class Meta:
        model = ControlPlan
        fields = ["measures", "owner", "funds", "time_limit", "contingency", "reported_up_on"]
        widgets = {"measures": forms.Textarea(attrs={"rows": 2}), "contingency": forms.Textarea(attrs={"rows": 2}),
                   "time_limit": DateInput(), "reported_up_on": DateInput()}
        field_classes = {"time_limit": BoundedDateField, "reported_up_on": PastDateField}

    def __init__(self, *args, hazard: Hazard, **kwargs):
        kwargs.setdefault("instance", getattr(hazard, "control_plan", None) if hasattr(hazard, "control_plan")
                          else ControlPlan(case=hazard))
        super().__init__(*args, **kwargs)


STATUS_CHOICES = RectificationStatus.choices
