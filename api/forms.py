from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import County, Township, User

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=64,
                           help_text=_("What it is for, e.g. 县综治平台对接 or 张三的手机."))
    kind = forms.ChoiceField(label=_("Token kind"), choices=ApiToken.Kind.choices, widget=forms.RadioSelect,
                             initial=ApiToken.Kind.PERSONAL)
    person = forms.ModelChoiceField(label=_("Whose token (a person's token)"), queryset=User.objects.none(),
                                    required=False)
    township = forms.ModelChoiceField(label=_("Township the integration reads"), queryset=Township.objects.none(),
                                      required=False)
    county = forms.ModelChoiceField(label=_("County the integration reads"), queryset=County.objects.none(),
                                    required=False)
    access = forms.ChoiceField(label=_("Access"), choices=ApiToken.Access.choices, initial=ApiToken.Access.READ)
    may_reveal_values = forms.BooleanField(label=_("May reveal full ID numbers and phones (each reveal logged)"),
                                           required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.manageable_by(actor).filter(is_active=True).filter(
            role__in=[role for role, rank in User.ROLE_RANK.items() if rank < actor.rank])
        self.fields["person"].queryset = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=actor.pk))
        self.fields["township"].queryset = Township.objects.visible_to(actor)
        self.fields["county"].queryset = County.objects.visible_to(actor) if (
            actor.is_superuser or actor.is_county_user) else County.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("kind") == ApiToken.Kind.PERSONAL and not data.get("person"):
            self.add_error("person", _("Choose whose token it is."))
        if data.get("kind") == ApiToken.Kind.INTEGRATION and bool(data.get("township")) == bool(data.get("county")):
            self.add_error("township", _("Choose the township or the county the integration reads."))
        return data
