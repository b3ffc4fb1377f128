from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bounds import BoundedDateField
from core.widgets import DateInput
from governance.models import HouseholdHead, User, Village
from households.models import Household

from .models import Policy, PublicityEvent, TrainingSession

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos at once (Django's documented pattern); each is checked and re-encoded by the view."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class PublicityEventForm(forms.ModelForm):
    held_on = BoundedDateField(label=gettext_lazy("held on"), widget=DateInput)
    policies = forms.ModelMultipleChoiceField(label=gettext_lazy("policies explained"), widget=CHECKBOXES,
                                              queryset=Policy.objects.filter(is_active=True))
    households = forms.ModelMultipleChoiceField(label=gettext_lazy("households reached"), required=False,
                                                widget=forms.SelectMultiple(attrs={"size": 8}),
                                                queryset=Household.objects.none())
    photos = MultipleFileField(label=gettext_lazy("event photos"), required=False)

    class Meta:
        model = PublicityEvent
        fields = ["village", "held_on", "place", "audience", "attendance", "policies", "materials", "households"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.visible_to(user)
        self.fields["households"].queryset = Household.objects.visible_to(user).select_related("grid")
        self.fields["households"].label_from_instance = lambda h: f"{h.house_number or ''} {h.head_name}".strip()

    def clean_held_on(self):
        return _not_in_future(self.cleaned_data.get("held_on"))

    def clean(self):
        data = super().clean()
        village = data.get("village")
        if village and any(h.grid.village_id != village.pk for h in data.get("households") or []):
            self.add_error("households", _("Choose households of the event's village."))
        return data


class TrainingSessionForm(forms.ModelForm):
    held_on = BoundedDateField(label=gettext_lazy("held on"), widget=DateInput)

    class Meta:
        model = TrainingSession
        fields = ["topic", "held_on", "place", "trainer", "hours", "village", "materials"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["village"].queryset = Village.objects.visible_to(user)
        if not user.is_township_wide:
            self.fields["village"].required = True
            self.fields["village"].help_text = ""

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours is not None and not 0 < hours <= 24:
            raise forms.ValidationError(_("Hours must be more than 0 and at most 24."))
        return hours


class AttendanceForm(forms.Form):
    """Tick who came: the household heads and the users of the session's village (or of the township)."""

    heads = forms.ModelMultipleChoiceField(label=gettext_lazy("household heads who came"), required=False,
                                           widget=CHECKBOXES, queryset=HouseholdHead.objects.none())
    users = forms.ModelMultipleChoiceField(label=gettext_lazy("staff who came"), required=False,
                                           widget=CHECKBOXES, queryset=User.objects.none())

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        heads = HouseholdHead.objects.filter(grid__village__township=session.township_id).active()
        users = User.objects.filter(township=session.township_id, is_active=True).exclude(
            role=User.Role.HOUSEHOLD_HEAD)
        if session.village_id:
            heads = heads.filter(grid__village=session.village_id)
            users = users.filter(Q(villages=session.village_id) | Q(grids__village=session.village_id))
        self.fields["heads"].queryset = heads.select_related("grid").order_by("grid__name", "name")
        self.fields["users"].queryset = users.distinct().order_by("role", "username")
        self.fields["heads"].label_from_instance = lambda h: f"{h.name}（{h.grid.name}）"
        self.initial = {"heads": list(session.heads_attended.values_list("pk", flat=True)),
                        "users": list(session.users_attended.values_list("pk", flat=True))}
