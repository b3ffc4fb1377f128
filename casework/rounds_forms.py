"""The forms of 排查 rounds: a new round (township staff) and a village's return (its cadres or grid workers)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateField
from core.concurrency import VersionedFormMixin
from core.widgets import DateInput
from governance.models import Village

from .models import Campaign, Return
from .rounds import FindingLink

TOPIC_SPLIT = re.compile(r"[\n,，、;；]+")


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of screening"), choices=Campaign.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    topics = forms.CharField(
        label=_("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a hazard round, the fields screened (用火用电、自建房…), separated by 、 or new lines."),
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"), queryset=Village.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one village.")},
    )
    by_grid = forms.BooleanField(label=_("One return per grid (instead of per village)"), required=False)
    starts_on = BoundedDateField(label=_("Starts on"), widget=DateInput())
    ends_on = BoundedDateField(label=_("Ends on"), widget=DateInput())
    returns_due = BoundedDateField(label=_("Returns due on"), widget=DateInput())
    checklist = forms.CharField(label=_("Checklist"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = Village.objects.visible_to(user).order_by("name")

    def clean_topics(self) -> list[str]:
        return [t.strip() for t in TOPIC_SPLIT.split(self.cleaned_data["topics"]) if t.strip()]

    def clean(self):
        data = super().clean()
        starts, ends, due = data.get("starts_on"), data.get("ends_on"), data.get("returns_due")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The round cannot end before it starts."))
        if starts and due and due < starts:
            self.add_error("returns_due", _("Returns cannot be due before the round starts."))
        return data


class ReturnForm(VersionedFormMixin, forms.Form):
    """What was checked, and what was found (the cases chosen among ``candidates`` and/or a note), or 零报告. It knows
    the version of the return it was opened on: a correction saved meanwhile by someone else is not overwritten."""

    version_fields = {name: name for name in ("checked_count", "checked_note", "zero_report", "found_note")}

    checked_count = forms.IntegerField(label=_("Households or places checked"), min_value=0, max_value=1_000_000)
    checked_note = forms.CharField(label=_("What was checked"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    zero_report = forms.BooleanField(label=_("Nil return (零报告): nothing was found"), required=False)
    found_note = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Findings not registered as cases yet."),
    )

    def __init__(self, *args, ret: Return, choices: list[tuple[FindingLink, list]] = (), **kwargs):
        self.ret = ret
        super().__init__(*args, **kwargs)
        self.links = []
        for link, cases in choices:
            name = f"found_{link.key}"
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=_("Found: %(kind)s") % {"kind": link.label}, required=False, coerce=int,
                choices=[(c.pk, str(c)) for c in cases],
                widget=forms.CheckboxSelectMultiple,
            )
            self.links.append((link, name))

    def versioned_record(self) -> Return:
        return Return.objects.get(pk=self.ret.pk)

    def found(self) -> dict[str, list[int]]:
        return {link.key: self.cleaned_data.get(name) or [] for link, name in self.links}

    def clean(self):
        data = super().clean()
        found = any(data.get(name) for _link, name in self.links) or (data.get("found_note") or "").strip()
        if data.get("zero_report") and found:
            raise forms.ValidationError(
                _("A nil return cannot list what was found: untick 零报告 or remove the findings."))
        if not data.get("zero_report") and not found and not self.errors:
            raise forms.ValidationError(_("Nothing was found: tick 零报告, or say what was found."))
        return data
