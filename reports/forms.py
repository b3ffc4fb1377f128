from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Village

from .registry import REPORTS

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def last_month(today: dt.date) -> str:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year}-{first.month:02d}"


class ReportForm(forms.Form):
    """Which report, for which month (YYYY-MM) and, within the user's scope, which village."""

    report = forms.ChoiceField(label=_("Report"))
    month = forms.CharField(label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False,
                                     empty_label=_("Everything I am responsible for"))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["report"].choices = [(key, report.title) for key, report in REPORTS.items()]
        self.fields["village"].queryset = Village.objects.visible_to(user).order_by("name")
        self.fields["month"].initial = last_month(timezone.localdate())

    def clean_month(self) -> tuple[dt.date, dt.date]:
        match = MONTH.match(self.cleaned_data["month"].strip())
        year, month = (int(match[1]), int(match[2])) if match else (0, 0)
        if not match or not 1 <= month <= 12 or not 2000 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-11."))
        start = dt.date(year, month, 1)
        if start > timezone.localdate():
            raise forms.ValidationError(_("The month has not begun yet."))
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return start, end
