"""Forms of the registry and the visit diary. Every choice comes from the user's scope."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateField, PastDateField
from core.concurrency import VersionedFormMixin
from core.widgets import DateInput
from governance.models import Grid, HouseholdHead, User

from . import idnumbers, services
from .models import Demand, DemandCategory, Household, Resident, RevealLog, Visit
from .permissions import visible_tags
from .phones import PhoneField
from .services import TOPICS, resident_duplicate_message

MAX_CHOICES = 200


def scoped_grids(user, village=None):
    """Grids a user may choose: those of ``village`` when given, else all visible ones while they are few."""
    grids = Grid.objects.visible_to(user).active().select_related("village")
    if village is not None:
        return grids.filter(village=village)
    return grids if grids.count() <= MAX_CHOICES else grids.none()


class TagsPreservingMixin:
    """A user who may not see focus tags must not remove them by saving: hidden tags are kept."""

    def _tags_to_set(self, instance, chosen) -> list:
        hidden = instance.tags.exclude(pk__in=self.fields["tags"].queryset.values("pk")) if instance.pk else []
        return [*chosen, *hidden]


class HouseholdForm(VersionedFormMixin, TagsPreservingMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "grid", "household_head", "head_name", "address", "house_number", "residence_type",
            "family_situation", "state_of_mind", "difficulty_cause", "help_needed", "tags",
        ]
        # "address" is also the audit trail's IP address in the catalogue: say which one.
        labels = {"address": _("Home address")}
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            **{f: forms.Textarea(attrs={"rows": 2}) for f in
               ("family_situation", "state_of_mind", "difficulty_cause", "help_needed")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["grid"].queryset = scoped_grids(user)
        self.fields["tags"].queryset = visible_tags(user, None).filter(applies_to_households=True)
        # Household heads of the household's own grid only (a handful): chosen here or on the linking page.
        grid_id = self.data.get(self.add_prefix("grid")) or self.instance.grid_id
        heads = HouseholdHead.objects.visible_to(user).active()
        self.fields["household_head"].queryset = heads.filter(grid_id=grid_id) if grid_id else heads.none()
        self.fields["household_head"].help_text = _("Household heads of the household's grid.")

    def clean(self):
        cleaned = super().clean()
        grid, head = cleaned.get("grid"), cleaned.get("household_head")
        if grid and head and head.grid_id != grid.pk:
            self.add_error("household_head", _("Choose a household head of the household's own grid."))
        return cleaned

    def save(self, commit=True):
        household = super().save(commit=False)
        if commit:
            services.household_save(household=household, tags=self._tags_to_set(household, self.cleaned_data["tags"]))
        return household


class ResidentForm(VersionedFormMixin, TagsPreservingMixin, forms.ModelForm):
    """Birth date and gender come from the ID number; they are not typed twice."""

    # A conflict shows these masked and never sends someone else's full value to the browser.
    conflict_masks = {"id_number": idnumbers.mask_id_number, "phone": idnumbers.mask_phone}
    conflict_hidden = frozenset({"birth_date", "gender"})

    class Meta:
        model = Resident
        fields = ["name", "id_number", "phone", "relation", "status", "notes", "tags"]
        field_classes = {"id_number": idnumbers.IdNumberField, "phone": PhoneField}
        widgets = {"tags": forms.CheckboxSelectMultiple, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.household = household
        self.fields["tags"].queryset = visible_tags(user, None).filter(applies_to_households=False)
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        if self.instance.pk:
            # An existing number is never sent to the browser in full: blank means "unchanged".
            self.initial["id_number"] = ""
            self.initial["phone"] = ""
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave blank to keep it.") % {
                "masked": self.instance.masked_id_number}
            self.fields["phone"].help_text = _("Now %(masked)s. Leave blank to keep it.") % {
                "masked": self.instance.masked_phone or "—"}
        self.id_info: idnumbers.IdNumber | None = None

    @property
    def warnings(self) -> list[str]:
        if self.id_info is not None and not self.id_info.area_known:
            return [str(_("The area code of this ID number is unknown; please check the number."))]
        return []

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number", "")
        if not raw and self.instance.pk:
            return self.instance.id_number
        self.id_info = idnumbers.parse(raw)
        township_id = self.household.grid.village.township_id
        message = resident_duplicate_message(
            user=self.user, township_id=township_id, id_number=self.id_info.value, exclude_pk=self.instance.pk
        )
        if message:
            raise ValidationError(message, code="duplicate")
        return self.id_info.value

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return self.instance.phone if self.instance.pk else ""
        return raw  # normalised and checked by PhoneField

    def save(self, commit=True):
        resident = super().save(commit=False)
        resident.household = self.household
        resident.township_id = self.household.grid.village.township_id
        info = idnumbers.parse(resident.id_number)
        resident.birth_date, resident.gender = info.birth_date, info.gender
        if commit:
            tags = self._tags_to_set(resident, self.cleaned_data["tags"])
            if resident.pk is None:
                services.resident_create(resident=resident, tags=tags)
            else:
                services.resident_update(resident=resident, tags=tags)
        return resident


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=RevealLog.Field.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, min_length=2)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        limit = settings.HOUSEHOLDS_PHOTOS_PER_VISIT
        if len(files) > limit:
            raise ValidationError(_("At most %(n)s photos.") % {"n": limit})
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class VisitForm(forms.Form):
    """The phone-first visit form: households, then date/method/topics/notes, then photos."""

    households = forms.ModelMultipleChoiceField(
        label=_("Visited households"), queryset=Household.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one household."),
                        # Met by a visit queued on a phone while the household left the user's care.
                        "invalid_choice": _("A household you chose is no longer among the households you look after.")},
    )
    visited_on = PastDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"too_late": _("A visit cannot be in the future.")})
    method = forms.ChoiceField(label=_("Method"), choices=Visit.Method.choices, widget=forms.RadioSelect,
                               initial=Visit.Method.IN_HOME)
    topic_living = forms.BooleanField(label=_("Living conditions"), required=False)
    topic_production = forms.BooleanField(label=_("Production"), required=False)
    topic_policy = forms.BooleanField(label=_("Policy implementation"), required=False)
    topic_development = forms.BooleanField(label=_("Development plans"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultiplePhotoField(
        label=_("Photos"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
    )

    # 有诉求: a demand heard on the visit, saved with it (fields prefixed ``demand_``; the visit template's own fieldset).
    demand_raised = forms.BooleanField(label=_("The household raised a demand"), required=False)
    demand_content = forms.CharField(label=_("What they asked for"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    demand_category = forms.ModelChoiceField(label=_("demand category"), required=False,
                                             queryset=DemandCategory.objects.filter(is_active=True))
    demand_level = forms.ChoiceField(label=_("demand handling level"), choices=Demand.Level.choices,
                                     initial=Demand.Level.VILLAGE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = Household.objects.visible_to(user).select_related("grid")
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["photos"].widget.attrs["data-max"] = settings.HOUSEHOLDS_PHOTOS_PER_VISIT

    def clean(self):
        data = super().clean()
        if data.get("demand_raised") and not (data.get("demand_content") or "").strip():
            self.add_error("demand_content", _("Describe the demand."))
        return data

    @property
    def demand(self) -> dict | None:
        """The demand to save with the visit (``services.demand_raise`` arguments), or None."""
        data = self.cleaned_data
        if not data.get("demand_raised"):
            return None
        return {"content": data["demand_content"], "category": data.get("demand_category"),
                "level": data.get("demand_level") or Demand.Level.VILLAGE}

    def clean_households(self):
        households = list(self.cleaned_data["households"])
        if len({h.grid_id for h in households}) > 1:
            raise ValidationError(_("The households of one visit must be in the same grid."))
        return households

    @property
    def topics(self) -> dict[str, bool]:
        return {name: self.cleaned_data.get(name, False) for name in TOPICS}


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DemandForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none(), required=False)
    content = forms.CharField(label=_("Demand"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, visit: Visit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = visit.households.visible_to(user)


class DemandSettleForm(forms.Form):
    """即办即结 (a demand answered without follow-up), or reopening a settled one (``outcome`` = "reopen")."""

    outcome = forms.ChoiceField(label=_("demand outcome"),
                                choices=[*Demand.Outcome.choices, ("reopen", _("Reopen the demand"))])
    note = forms.CharField(label=_("Handling note"), required=False, max_length=2000)


class DemandLogForm(forms.Form):
    """登记诉求 without a visit: a phone call or a walk-in, for a household the user looks after."""

    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none(),
                                       error_messages={"required": _("Choose a household you look after."),
                                                       "invalid_choice": _("Choose a household you look after.")})
    channel = forms.ChoiceField(label=_("demand channel"), initial=Demand.Channel.PHONE, widget=forms.RadioSelect,
                                choices=[c for c in Demand.Channel.choices if c[0] != Demand.Channel.VISIT])
    content = forms.CharField(label=_("What they asked for"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000, error_messages={"required": _("Describe the demand.")})
    category = forms.ModelChoiceField(label=_("demand category"), required=False,
                                      queryset=DemandCategory.objects.filter(is_active=True))
    level = forms.ChoiceField(label=_("demand handling level"), choices=Demand.Level.choices, initial=Demand.Level.VILLAGE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        households = Household.objects.visible_to(user).select_related("grid__village")
        self.fields["household"].queryset = households
        # A long list is no choice: beyond MAX_CHOICES the household comes from the link (?household=) or a number.
        if households.count() > MAX_CHOICES:
            self.fields["household"].widget = forms.NumberInput(attrs={"placeholder": _("household number")})
            self.few_households = False
        else:
            self.few_households = True


def demand_owners(demand: Demand):
    """Who may answer for a demand: the township's officials, and the cadres and grid workers of its village."""
    from django.db.models import Q

    from governance.models import User

    R = User.Role
    return (
        User.objects.filter(is_active=True, township=demand.township_id)
        .filter(Q(role__in=(R.SUPERVISOR, R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE))
                | Q(villages=demand.grid.village_id) | Q(grids__village=demand.grid.village_id))
        .distinct().order_by("role", "username")
    )


class DemandFollowUpForm(forms.Form):
    """分层级、分类别、分时限: level, category, what is to be done by when, and who answers for it (包案)."""

    level = forms.ChoiceField(label=_("demand handling level"), choices=Demand.Level.choices)
    category = forms.ModelChoiceField(label=_("demand category"), queryset=DemandCategory.objects.filter(is_active=True),
                                      error_messages={"required": _("Choose the demand's category.")})
    requirement = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=2000)
    deadline = BoundedDateField(label=_("Handle by"), widget=DateInput())
    owner = forms.ModelChoiceField(label=_("person responsible for the demand"), queryset=User.objects.none())
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=100)
    team = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False, label=_("Team"),
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = self.fields["team"].queryset = demand_owners(demand)
        self.initial.setdefault("level", demand.level)
        self.initial.setdefault("category", demand.category_id)
        self.initial.setdefault("requirement", demand.requirement or demand.content)
        self.initial.setdefault("responsible_unit", demand.grid.village.name if demand.level == "village"
                                else demand.township.name)


class DemandReportForm(forms.Form):
    outcome = forms.ChoiceField(label=_("demand outcome"), choices=Demand.Outcome.choices, widget=forms.RadioSelect)
    done_on = PastDateField(label=_("Completed on"), widget=DateInput())
    measures = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("done_on", timezone.localdate())


class DemandRecheckForm(forms.Form):
    """回访复查: by someone other than the one who reported the handling."""

    on = PastDateField(label=_("Re-checked on"), widget=DateInput())
    passed = forms.TypedChoiceField(
        label=_("Result"), choices=[("yes", _("Passed")), ("no", _("Not passed"))], widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = BoundedDateField(label=_("New deadline (if failed)"), required=False, widget=DateInput())

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class DemandCloseOutRequestForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class DemandCloseOutDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("yes", _("Approve close-out")), ("no", _("Send back"))],
        widget=forms.RadioSelect, coerce=lambda v: v == "yes",
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class DemandLookBackForm(forms.Form):
    on = PastDateField(label=_("Checked on"), widget=DateInput())
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    reopen = forms.BooleanField(label=_("The fix did not hold: reopen"), required=False)
    new_deadline = BoundedDateField(label=_("New deadline (if reopened)"), required=False, widget=DateInput())

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class LinkForm(forms.Form):
    households = forms.ModelMultipleChoiceField(
        label=_("Households"), queryset=Household.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one household.")},
    )
    head = forms.ModelChoiceField(label=_("Household head"), queryset=HouseholdHead.objects.none(), required=False,
                                  empty_label=_("— no household head —"))

    def __init__(self, *args, grid: Grid, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = Household.objects.visible_to(user).filter(grid=grid)
        self.fields["head"].queryset = HouseholdHead.objects.visible_to(user).active().filter(grid=grid)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Roster file (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def clean_file(self):
        from .imports import check_upload

        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class FullExportForm(forms.Form):
    """Why a roster is exported with full ID numbers: the reason goes into the reveal log."""

    reason = forms.CharField(
        label=_("Reason"), max_length=200, min_length=2,
        error_messages={"required": _("State why you need the full ID numbers."),
                        "min_length": _("State why you need the full ID numbers.")},
        help_text=_(
            "For example: the county's governance centre asks for the roster for its records (give its letter number)."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel"), ("csv", "CSV")], initial="xlsx")
