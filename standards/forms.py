from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gbt31000 import DATASETS

MAX_DAYS = 366


class SelectionForm(forms.Form):
    """Which data set of the standard, for which period (disputes registered in it; residents and tags as they
    stand at its end)."""

    dataset = forms.ChoiceField(label=_("Data set"), choices=list(DATASETS.items()), initial="population")
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"dataset": "population", "start": today.replace(day=1).isoformat(), "end": today.isoformat()}
        if data is not None:
            data = {**defaults, **{k: v for k, v in data.items() if v}}
        super().__init__(data if data is not None else defaults, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        elif start and end and (end - start) > dt.timedelta(days=MAX_DAYS):
            self.add_error("end", _("A period of at most one year, please."))
        return cleaned
