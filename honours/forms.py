from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bounds import BoundedDateField
from core.widgets import DateInput
from governance.models import Village
from households.models import Household

from .models import HygieneInspection, ListDefinition
from .sources import metric_choices


class ListDefinitionForm(forms.ModelForm):
    metric = forms.ChoiceField(label=gettext_lazy("list metric"), choices=())

    class Meta:
        model = ListDefinition
        fields = ["name", "subject", "metric", "village", "period", "eval_day", "red_count", "black_count",
                  "red_threshold", "black_threshold", "min_denominator", "publish_days", "follow_up_days", "notes"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()
        self.fields["village"].queryset = Village.objects.visible_to(user)
        self.instance.township_id = user.township_id
        self.instance.created_by = user

    def clean(self):
        data = super().clean()
        if not data.get("red_count") and not data.get("black_count"):
            raise forms.ValidationError(_("A list names at least one red or one black entry."))
        return data


class DraftForm(forms.Form):
    start = BoundedDateField(label=gettext_lazy("period from"), widget=DateInput)
    end = BoundedDateField(label=gettext_lazy("period to"), widget=DateInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        if end and end > timezone.localdate():
            self.add_error("end", _("A list ranks a period that has ended."))
        return data


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("decision"), choices=[
        ("approve", gettext_lazy("Approve and publish")), ("return", gettext_lazy("Send back to the drafter"))])
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("what was done"), max_length=300)


class HygieneInspectionForm(forms.ModelForm):
    inspected_on = BoundedDateField(label=gettext_lazy("inspected on"), widget=DateInput)

    class Meta:
        model = HygieneInspection
        fields = ["household", "inspected_on", "sundries", "waste", "yard", "toilet", "livestock", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        field.queryset = Household.objects.visible_to(user).select_related("grid__village")
        field.label_from_instance = lambda h: f"{h.grid.village.name} {h.house_number or ''} {h.head_name}"
        for name, _label in HygieneInspection.ITEMS:
            self.fields[name].help_text = _("0 to 20 points")

    def clean_inspected_on(self):
        day = self.cleaned_data.get("inspected_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day
