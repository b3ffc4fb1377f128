"""The dashboard's filter: a period and a village or grid, every choice from the user's scope."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateField, parse_id
from core.scoping import ScopeKind, scope_of
from governance.models import Grid, Township, Village

from .figures import Filters

#: A village dropdown longer than this (a county-wide administrator) asks for the township first.
MAX_OPTIONS = 200


def default_start(today: dt.date) -> dt.date:
    """The last twelve months, this one included."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DashboardFilterForm(forms.Form):
    start = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("To"), required=False, widget=DateInput())
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), required=False,
                                      widget=forms.Select(attrs={"data-autosubmit": ""}))
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False,
                                     widget=forms.Select(attrs={"data-autosubmit": "", "data-resets": "id_grid"}))
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False,
                                  widget=forms.Select(attrs={"data-autosubmit": ""}))

    def __init__(self, data, *, user, today: dt.date):
        data = data.copy()
        if "start" not in data:
            data["start"] = default_start(today).isoformat()
        super().__init__(data)
        villages = Village.objects.visible_to(user)
        self.fields["village"].queryset = villages
        self.fields["grid"].queryset = Grid.objects.visible_to(user).select_related("village")
        self._narrow_choices(user, villages)

    def _narrow_choices(self, user, villages) -> None:
        """The dropdowns list the user's villages (by township for a county-wide view) and the chosen village's
        grids; any village or grid of the scope is still accepted, as a link may name one."""
        village_id, grid_id = parse_id(self.data.get("village")), parse_id(self.data.get("grid"))
        if scope_of(user).kind in (ScopeKind.ALL, ScopeKind.TOWNSHIPS):
            self.fields["township"].queryset = Township.objects.visible_to(user)
            township_id = parse_id(self.data.get("township"))
            shown = villages.filter(township=township_id) if township_id else villages.none()
            if village_id:
                shown = shown | villages.filter(pk=village_id)
            self.fields["village"].widget.choices = _options(shown.order_by("name"))
        else:
            del self.fields["township"]
        grids = self.fields["grid"].queryset
        shown = grids.filter(village=village_id) if village_id else grids.none()
        if grid_id:
            shown = shown | grids.filter(pk=grid_id)
        self.fields["grid"].widget.choices = _options(shown.order_by("name"), label=lambda g: g.name)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        township, village, grid = data.get("township"), data.get("village"), data.get("grid")
        if township and village and village.township_id != township.pk:
            data["village"] = village = None  # the township changed: its village no longer applies
        if (village and grid and grid.village_id != village.pk) or (township and grid and not village
                                                                       and grid.village.township_id != township.pk):
            data["grid"] = None  # the village changed: its grid no longer applies
        return data

    def filters(self) -> Filters:
        """The filters that are valid (an invalid field counts as not given: the user's whole scope)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        grid, village, township = data.get("grid"), data.get("village"), data.get("township")
        village_id = grid.village_id if grid else (village.pk if village else None)
        if village_id:
            township_id = grid.village.township_id if grid else village.township_id
        else:
            township_id = township.pk if township else None
        return Filters(
            start=data.get("start"), end=data.get("end"),
            village=village_id, grid=grid.pk if grid else None, township=township_id,
        )


def _options(queryset, label=str) -> list:
    return [("", "---------"), *((obj.pk, label(obj)) for obj in queryset[:MAX_OPTIONS])]
