"""Triggers that open a 线索: the risk toggles of the visit form (registered with households as a visit extension,
so households imports nothing of monitoring), and the box on a visit's page that shows the leads of its households.

Each toggle names the risk kinds (data, ``RiskKind.code``) it adds to the case; a kind an administrator has retired
is skipped, the toggle still opens the lead."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import User
from governance.permissions import CASE_WORKERS
from households.models import Household
from households.visit_extensions import VisitExtension

R = User.Role

# (field name, label on the form, risk kinds it adds)
TOGGLES = [
    ("risk_illness", gettext_lazy("New serious illness or hospital stay"), ["illness"]),
    ("risk_income", gettext_lazy("Income fell sharply or job lost"), ["employment"]),
    ("risk_disaster", gettext_lazy("Hit by a disaster or an accident"), ["disaster", "accident"]),
    ("risk_house", gettext_lazy("House leaking or cracked"), ["housing"]),
    ("risk_water", gettext_lazy("Drinking water difficult"), ["water"]),
    ("risk_school", gettext_lazy("A child dropped out of school"), ["schooling"]),
]


class RiskSection(forms.Form):
    """The visit form's 防返贫 risk toggles: any ticked opens a lead for the household's village cadre (or adds to the
    household's open episode). Only when the visit covers several households does it ask which one."""

    template_name = "monitoring/visit_risk_section.html"

    risk_household = forms.ModelChoiceField(label=gettext_lazy("Household at risk"), required=False,
                                            queryset=Household.objects.none())

    def __init__(self, data=None, *, user, households=(), **kwargs):
        super().__init__(data, **kwargs)
        for name, label, _kinds in TOGGLES:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.households = list(households)
        field = self.fields["risk_household"]
        field.queryset = Household.objects.visible_to(user)
        field.choices = [("", "---------"), *((h.pk, str(h)) for h in self.households)]

    @property
    def toggles(self):
        return [self[name] for name, _label, _kinds in TOGGLES]

    @property
    def asks_household(self) -> bool:
        return len(self.households) > 1

    def ticked(self) -> list[str]:
        return [name for name, _label, _kinds in TOGGLES if self.cleaned_data.get(name)]

    def clean(self):
        data = super().clean()
        if not self.is_bound or not self.ticked():
            return data
        chosen = data.get("risk_household")
        if chosen is None and len(self.households) > 1:
            self.add_error("risk_household", _("The visit covers several households: say which one is at risk."))
        elif chosen is not None and self.households and chosen.pk not in {h.pk for h in self.households}:
            self.add_error("risk_household", _("Choose one of the visited households."))
        elif chosen is None and self.households:
            data["risk_household"] = self.households[0]
        return data

    def save(self, *, visit, by) -> str:
        from .services import lead_from_visit

        ticked = self.ticked()
        if not ticked:
            return ""
        case, created = lead_from_visit(visit=visit, household=self.cleaned_data["risk_household"],
                                        toggles=ticked, by=by)
        if created:
            return _("Monitoring lead %(number)s opened; the village cadres are told.") % {"number": case.number}
        return _("The risks were added to the household's open monitoring case %(number)s.") % {"number": case.number}


def toggle_labels(names) -> list[str]:
    """The toggles' labels, in Chinese: they are written into the case's record."""
    with translation.override("zh-hans"):
        return [str(label) for name, label, _kinds in TOGGLES if name in names]


def toggle_kinds(names) -> list[str]:
    return [kind for name, _label, kinds in TOGGLES if name in names for kind in kinds]


def visit_panel(*, visit, households, user):
    """The monitoring box of a visit's page: the leads this visit opened and the open episodes of its households
    (a household head sees those of their own households, as everywhere), and for those who may, a button to open a
    lead by hand."""
    from .models import MonitoringCase

    households = list(households)
    if not households:
        return None
    cases = list(MonitoringCase.objects.visible_to(user).filter(household__in=households).open()
                 .select_related("household", "type"))
    can_open = user.has_role(*CASE_WORKERS)  # views.LEAD_OPENERS
    if not cases and not can_open:
        return None
    busy = {c.household_id for c in cases}
    return "monitoring/visit_panel.html", {
        "visit": visit, "cases": cases, "can_open": can_open,
        "openable": [h for h in households if h.pk not in busy] if can_open else [],
    }


#: The visit form's risk toggles, for everyone who logs visits.
RISK_TOGGLES = VisitExtension(name="monitoring-risk", form_class=RiskSection, panel=visit_panel)
