"""The visit form's 宣传 section: which policies were explained on this visit (registered with households as a visit
extension, so households imports nothing of outreach), and the box on the visit's page that lists them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Visit
from households.visit_extensions import VisitExtension

from .models import Policy, PolicyExplained


class PolicySection(forms.Form):
    template_name = "outreach/visit_policy_section.html"

    policy_explained = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Policies explained on this visit"), required=False,
        queryset=Policy.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, data=None, *, user, households=(), **kwargs):
        super().__init__(data, **kwargs)

    def save(self, *, visit, by) -> str:
        policies = list(self.cleaned_data.get("policy_explained") or [])
        if not policies:
            return ""
        PolicyExplained.objects.bulk_create([PolicyExplained(visit=visit, policy=p) for p in policies],
                                            ignore_conflicts=True)
        if not visit.topic_policy:  # explaining a policy is the visit's 访政策落实
            Visit.objects.filter(pk=visit.pk).update(topic_policy=True)
            visit.topic_policy = True
        return _("Policies explained: %(names)s.") % {"names": "、".join(p.name for p in policies)}


def visit_panel(*, visit, households, user):
    policies = [row.policy for row in visit.policies_explained.select_related("policy").order_by("policy__position")]
    if not policies:
        return None
    return "outreach/visit_panel.html", {"policies": policies}


#: The visit form's 宣传 section, for everyone who logs visits.
POLICY_SECTION = VisitExtension(name="outreach-policies", form_class=PolicySection, panel=visit_panel)
