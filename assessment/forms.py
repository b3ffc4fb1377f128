from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import User
from households.models import Household

from .models import Evaluation, Item, Scheme


class RunCreateForm(forms.Form):
    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), label=_("assessment scheme"))
    day = forms.DateField(label=_("a day of the period"), widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=_("The month, quarter or year holding this day is assessed."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.visible_to(user).filter(approved_by__isnull=False)
        self.fields["day"].initial = timezone.localdate()


class SelfAssessForm(forms.Form):
    score = forms.DecimalField(label=_("self-assessed score"), max_digits=6, decimal_places=1, min_value=0)
    note = forms.CharField(label=_("self-assessment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AppealForm(forms.Form):
    text = forms.CharField(label=_("grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealAnswerForm(forms.Form):
    """申诉处理: the written answer; when the appeal is upheld, the item it corrects and by how many points."""

    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}))
    item = forms.ModelChoiceField(label=_("item corrected"), queryset=Item.objects.none(), required=False,
                                  help_text=_("Only when the appeal is upheld: the item whose points change."))
    adjustment = forms.DecimalField(label=_("points corrected"), required=False, max_digits=5, decimal_places=1,
                                    help_text=_("Points added (or, with a minus sign, taken away) on that item."))

    def __init__(self, *args, run=None, **kwargs):
        super().__init__(*args, **kwargs)
        if run is not None:
            self.fields["item"].queryset = run.scheme.items.all()

    def clean(self):
        data = super().clean()
        item, adjustment = data.get("item"), data.get("adjustment")
        if adjustment == 0:
            data["adjustment"] = adjustment = None
        if (item is None) != (adjustment is None) and not self.errors:
            raise forms.ValidationError(_("Give both the item corrected and its points, or neither."))
        return data


class FinaliseForm(forms.Form):
    allowance = forms.DecimalField(label=_("allowance (yuan)"), max_digits=9, decimal_places=2, required=False,
                                   min_value=Decimal("0"))


class ManualScoreForm(forms.Form):
    item = forms.ModelChoiceField(queryset=Item.objects.none(), label=_("assessment item"))
    points = forms.DecimalField(label=_("points"), max_digits=5, decimal_places=1)
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = run.scheme.items.filter(kind=Item.Kind.MANUAL)


class EvaluationForm(forms.Form):
    household = forms.ModelChoiceField(queryset=Household.objects.none(), label=_("household surveyed"))
    worker = forms.ModelChoiceField(queryset=User.objects.none(), label=_("grid worker rated"), required=False,
                                    help_text=_("Leave empty to rate the household's own household head."))
    on = forms.DateField(label=_("surveyed on"), widget=forms.DateInput(attrs={"type": "date"}))
    way = forms.ChoiceField(label=_("survey way"), choices=Evaluation.Way.choices)
    result = forms.ChoiceField(label=_("satisfaction"), choices=Evaluation.Result.choices)
    reason = forms.CharField(label=_("reason given"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        households = (Household.objects.visible_to(user).filter(household_head__isnull=False)
                      .select_related("household_head").order_by("grid", "house_number", "pk"))
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = (
            lambda h: f"{h.head_name} · {h.house_number or h.address} · 联户长 {h.household_head.name}")
        self.fields["worker"].queryset = User.objects.visible_to(user).filter(role=User.Role.GRID_WORKER,
                                                                              is_active=True)
        self.fields["on"].initial = timezone.localdate()


class SchemeForm(forms.ModelForm):
    """A new scheme, with the standard items of the 四员 (catalogue.py) to adjust; approved by someone else."""

    bands = forms.CharField(label=_("star bands"), initial="90, 80, 70, 60",
                            help_text=_("Minimum score for 5, 4, 3 and 2 stars, e.g. 90, 80, 70, 60."))

    class Meta:
        model = Scheme
        fields = ["name", "subject_kind", "period", "full_score", "excellent_from", "pass_from", "publicity_days",
                  "appeal_answer_days", "effective_from", "effective_to"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}),
                   "effective_to": forms.DateInput(attrs={"type": "date"})}

    def clean_bands(self):
        parts = [p.strip() for p in self.cleaned_data["bands"].replace("，", ",").split(",") if p.strip()]
        try:
            scores = [Decimal(p) for p in parts]
        except ArithmeticError as exc:
            raise forms.ValidationError(_("Give four scores separated by commas, e.g. 90, 80, 70, 60.")) from exc
        if len(scores) != 4 or scores != sorted(scores, reverse=True) or scores[-1] < 0:
            raise forms.ValidationError(_("Give four scores separated by commas, e.g. 90, 80, 70, 60."))
        return [[float(score), stars] for score, stars in zip(scores, (5, 4, 3, 2), strict=True)]

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end cannot be before the start."))
        return data


class ItemForm(forms.ModelForm):
    """One line of a scheme not yet approved: its duty, how it is scored and the rule's settings in plain words — bands
    as "share%:points" pairs, or points per event (per hour of training) with a cap."""

    bands = forms.CharField(label=_("bands"), required=False,
                            help_text=_("For bands: the minimum share in per cent and its points, highest first, "
                                        "e.g. 95:25, 80:20, 60:15 (below the last band: no points)."))
    points = forms.DecimalField(label=_("points per event"), required=False, min_value=Decimal("0.1"), max_digits=5,
                                decimal_places=1, help_text=_("For points or deductions per event (or per hour)."))

    class Meta:
        model = Item
        fields = ["duty", "name", "kind", "metric", "rule", "max_points", "description"]
        help_texts = {"max_points": _("The most this item gives, or the most it deducts."),
                      "description": _("Optional: how it is scored in your own words (printed instead of the rule).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        params = self.instance.params or {}
        if params.get("bands"):
            self.initial.setdefault("bands", ", ".join(
                f"{float(share) * 100:g}:{float(points):g}" for share, points in params["bands"]))
        if params.get("points") is not None:
            self.initial.setdefault("points", params["points"])

    def clean_bands(self):
        text = self.cleaned_data["bands"].replace("，", ",").replace("：", ":").replace("%", "")
        bands = []
        for part in (p.strip() for p in text.split(",") if p.strip()):
            try:
                share, points = (Decimal(x.strip()) for x in part.split(":"))
            except (ValueError, ArithmeticError) as exc:
                raise forms.ValidationError(_("Write each band as share%:points, e.g. 95:25, 80:20.")) from exc
            if not (0 < share <= 100) or points < 0:
                raise forms.ValidationError(_("A band's share is between 0 and 100 per cent and its points not "
                                              "below zero."))
            bands.append([float(share / 100), float(points)])
        if [b[0] for b in bands] != sorted((b[0] for b in bands), reverse=True) or len({b[0] for b in bands}) < len(bands):
            raise forms.ValidationError(_("Give the bands from the highest share down, each share once."))
        return bands

    def clean(self):
        data = super().clean()
        kind, rule, top = data.get("kind"), data.get("rule"), data.get("max_points")
        if kind == Item.Kind.MANUAL:
            data["metric"] = ""
        params: dict = {}
        if kind == Item.Kind.COMPUTED and rule == Item.Rule.BANDS:
            bands = data.get("bands") or []
            if not bands and "bands" not in self.errors:
                self.add_error("bands", _("A scored-by-bands item needs its bands."))
            if top is not None and any(Decimal(str(points)) > top for _share, points in bands):
                self.add_error("bands", _("No band may give more than the item's points."))
            params = {"bands": bands}
        elif kind == Item.Kind.COMPUTED:
            if data.get("points") is None and "points" not in self.errors:
                self.add_error("points", _("Say how many points each event (or hour) gives or deducts."))
            elif data.get("points") is not None:
                params = {"points": float(data["points"]), "cap": float(top or 0)}
        if top is not None and top <= 0:
            self.add_error("max_points", _("An item gives or deducts more than zero points."))
        self.instance.params = params
        return data
