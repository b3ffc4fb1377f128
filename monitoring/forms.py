"""Forms of monitoring. Choices start from what the user may see."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import AmountField, BoundedDateField, PastDateField
from core.widgets import DateInput
from governance.models import User
from households.models import Household

from .models import Department, MeasureCategory, MonitoringCase, MonitoringType, RiskKind, SecurityCheck

R = User.Role


def contacts_for(case_or_township_id, village_id=None):
    township_id = getattr(case_or_township_id, "township_id", case_or_township_id)
    village_id = getattr(case_or_township_id, "village_id", village_id)
    return (User.objects.filter(is_active=True, township=township_id)
            .filter(Q(role__in=(R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE)) | Q(villages=village_id))
            .distinct().order_by("role", "username"))


class CaseOpenForm(forms.ModelForm):
    """A 线索: which household, what type and risks, where it came from."""

    household = forms.ModelChoiceField(label=_("household"), queryset=Household.objects.none())

    class Meta:
        model = MonitoringCase
        fields = ["household", "type", "source", "risk_kinds", "found_on", "lead_note", "contact"]
        widgets = {"found_on": DateInput(), "lead_note": forms.Textarea(attrs={"rows": 3}),
                   "risk_kinds": forms.CheckboxSelectMultiple}
        field_classes = {"found_on": PastDateField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.visible_to(user).select_related("grid__village")
        self.fields["household"].label_from_instance = lambda h: f"{h.grid.village.name} {h.head_name} {h.house_number}"
        self.fields["type"].queryset = MonitoringType.objects.filter(active=True)
        self.fields["risk_kinds"].queryset = RiskKind.objects.filter(active=True)
        self.fields["contact"].queryset = (contacts_for(user.township_id, None) if user.township_id
                                           else User.objects.none())
        self.fields["found_on"].initial = timezone.localdate()


class CaseUpdateForm(forms.ModelForm):
    class Meta:
        model = MonitoringCase
        fields = ["type", "risk_kinds", "members", "income_year", "income_per_person", "income_stable_since",
                  "large_costs", "self_coping", "no_labour_on_guarantee", "consent_signed_on", "contact", "team",
                  "national_entered_on", "national_number"]
        widgets = {"income_stable_since": DateInput(), "consent_signed_on": DateInput(),
                   "national_entered_on": DateInput(), "risk_kinds": forms.CheckboxSelectMultiple,
                   "self_coping": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"income_per_person": AmountField, "large_costs": AmountField,
                         "income_stable_since": PastDateField, "consent_signed_on": PastDateField,
                         "national_entered_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts_for(self.instance)
        self.fields["type"].queryset = MonitoringType.objects.filter(active=True)
        self.fields["risk_kinds"].queryset = RiskKind.objects.filter(active=True)


class DateForm(forms.Form):
    on = PastDateField(label=_("date"), widget=DateInput())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class PublicityForm(forms.Form):
    starts_on = BoundedDateField(label=_("publicity starts on"), widget=DateInput())
    ends_on = BoundedDateField(label=_("publicity ends on"), widget=DateInput())
    minutes = forms.CharField(label=_("review meeting minutes"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + timezone.timedelta(days=settings.MONITORING_PUBLICITY_MIN_DAYS)


class EndPublicityForm(forms.Form):
    on = BoundedDateField(label=_("publicity ended on"), widget=DateInput())
    minutes = forms.CharField(label=_("review meeting minutes"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class RejectForm(DateForm):
    reason = forms.CharField(label=_("why not included"), widget=forms.Textarea(attrs={"rows": 3}))


class RefuseEliminationForm(forms.Form):
    reason = forms.CharField(label=_("why the risk is not eliminated"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, min_length=2)


class MeasureForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=MeasureCategory.objects.none())
    what = forms.CharField(label=_("measure"), max_length=200)
    owner = forms.ModelChoiceField(label=_("responsible person"), queryset=User.objects.none(), required=False)
    owner_name = forms.CharField(label=_("responsible person or unit"), max_length=100, required=False)
    planned_on = BoundedDateField(label=_("planned for"), widget=DateInput())
    amount = AmountField(label=_("amount (yuan)"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = MeasureCategory.objects.filter(active=True).select_related("parent")
        self.fields["owner"].queryset = contacts_for(case)

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_name") or "").strip():
            raise forms.ValidationError(_("Name who is responsible for the measure."))
        return data


class MeasureDoneForm(forms.Form):
    on = PastDateField(label=_("done on"), widget=DateInput())
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CheckForm(forms.ModelForm):
    """三保障 and 饮水. Children of 6–15: one line each, "name:status" where status is 在校/辍学/送教上门."""

    children = forms.CharField(
        label=_("Children aged 6 to 15"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One child a line: name, then 在校, 辍学 or 送教上门, e.g. 张小明 在校."))

    class Meta:
        model = SecurityCheck
        fields = ["checked_on", "all_insured", "serious_illness", "family_doctor", "housing_grade", "water_ok",
                  "notes"]
        widgets = {"checked_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"checked_on": PastDateField}

    LABELS = {"在校": SecurityCheck.Schooling.IN_SCHOOL, "辍学": SecurityCheck.Schooling.DROPPED_OUT,
              "送教上门": SecurityCheck.Schooling.TAUGHT_AT_HOME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()

    def clean_children(self):
        rows = []
        for line in (self.cleaned_data.get("children") or "").splitlines():
            if not line.strip():
                continue
            parts = line.replace("：", " ").replace(":", " ").split()
            if len(parts) != 2 or parts[1] not in self.LABELS:
                raise forms.ValidationError(
                    _("Write each child as a name and 在校, 辍学 or 送教上门: “%(line)s” is not."),
                    params={"line": line.strip()})
            rows.append({"name": parts[0], "status": self.LABELS[parts[1]]})
        return rows


class AlertImportForm(forms.Form):
    """A department's 预警 list: which department, and the file (.xlsx or .csv, the template's headers)."""

    department = forms.ChoiceField(label=_("alerting department"), choices=Department.choices)
    file = forms.FileField(label=_("Alert list (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))


class CountyDecisionForm(DateForm):
    """县审定 / 县审核批准: the date, and the county's document when the township records it on the county's behalf."""

    note = forms.CharField(
        label=_("county's decision document"), required=False, max_length=200,
        help_text=_("Required when the township records the county's decision on its behalf: the document's number "
                    "and date."))
