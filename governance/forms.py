"""Forms of the organisation pages. Every choice starts from ``visible_to(user)``; no dropdown renders more
than ``MAX_OPTIONS`` options: a long grid list is narrowed to one village, chosen first (htmx cascade)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.bounds import BoundedDateField, PastDateField
from core.normalise import CodeField

from .models import COUNTY_ROLES, CalendarDay, County, Grid, HouseholdHead, Township, User, Village
from .structure import VILLAGE_SCOPED_ROLES, certificate_in_use

MAX_OPTIONS = 200
R = User.Role


def date_input() -> forms.DateInput:
    """A browser date picker; it needs ISO dates whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def as_ids(values) -> list[int]:
    return bounds.as_ids(values)


def narrow_choices(field: forms.ModelChoiceField, queryset) -> None:
    """Render only ``queryset`` as the options of ``field``; validation still accepts all of field.queryset."""
    iterator = field.iterator(field)
    iterator.queryset = queryset
    field.widget.choices = iterator


def grid_choices(grids, *, village=None, keep=()):
    """The grids to render: those of ``village`` (and the ones already chosen), or all when they are few."""
    grids = grids.select_related("village")
    keep = as_ids(keep)
    if village:
        return grids.filter(Q(village=village) | Q(pk__in=keep))
    if grids.count() <= MAX_OPTIONS:
        return grids
    return grids.filter(pk__in=keep)


def village_cascade_attrs(target_id: str, *, multiple: bool = False) -> dict:
    """htmx attributes on a village select that reload the grid options of ``target_id`` (no inline script)."""
    url = reverse_lazy("governance:grid-options")
    attrs = {"hx-get": url, "hx-target": f"#{target_id}", "hx-trigger": "change", "hx-swap": "innerHTML"}
    if multiple:
        # A multiple choice keeps the grids already chosen in other villages.
        attrs.update({"hx-get": f"{url}?multiple=1", "hx-include": f"#{target_id}"})
    return attrs


class GridChoiceIterator(ModelChoiceIterator):
    """A grid's choices as (pk, "village grid") from one values query: a township's 100 grids were 200 model
    instances (grid and village) for one dropdown."""

    one_query = True  # FastSelect iterates it as it is

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:  # django-filter's "none" choice
            yield (self.field.null_value, self.field.null_label)
        rows = self.field.grid_rows
        if rows is None:
            rows = self.queryset.values_list("pk", "village__name", "name")
        for pk, village, name in rows:
            yield (pk, f"{village} {name}")


class GridLabelMixin:
    """``grid_rows``: the (pk, village name, grid name) rows of the choices when the caller has read them already
    (the list filters read them to learn whether there are too many); the queryset still validates."""

    iterator = GridChoiceIterator

    def __init__(self, *args, grid_rows=None, **kwargs):
        self.grid_rows = grid_rows
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.village.name} {obj.name}"


class GridChoiceField(GridLabelMixin, forms.ModelChoiceField):
    pass


class GridMultipleChoiceField(GridLabelMixin, forms.ModelMultipleChoiceField):
    pass


class GridPickerMixin:
    """A form with a grid (or grids) field and a ``village`` helper that narrows it."""

    grid_field = "grid"

    def setup_grid_picker(self, user, grids, *, village_initial=None, multiple=False):
        field = self.fields[self.grid_field]
        field.queryset = grids.select_related("village")
        villages = Village.objects.visible_to(user).filter(pk__in=grids.values("village"))
        helper = forms.ModelChoiceField(
            villages, required=False, label=_("Village"),
            help_text=_("Choose a village to list its grids."),
        )
        helper.widget.attrs.update(village_cascade_attrs(f"id_{self.prefixed(self.grid_field)}", multiple=multiple))
        # The helper goes just before the grid field it narrows.
        fields = {}
        for name, existing in self.fields.items():
            if name == self.grid_field:
                fields["village"] = helper
            if name != "village":
                fields[name] = existing
        self.fields = fields
        if village_initial is not None:
            self.initial.setdefault("village", village_initial)
        if self.is_bound:
            village = self.data.get(self.add_prefix("village"))
            keep = _data_list(self.data, self.add_prefix(self.grid_field))
        else:
            village = getattr(self.initial.get("village"), "pk", self.initial.get("village"))
            keep = _as_list(self.initial.get(self.grid_field))
        village_id = (as_ids([village]) or [None])[0]
        narrow_choices(field, grid_choices(field.queryset, village=village_id, keep=keep))

    def prefixed(self, name):
        return self.add_prefix(name)


def _data_list(data, key) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [getattr(v, "pk", v) for v in value]
    if hasattr(value, "values_list"):
        return list(value.values_list("pk", flat=True))
    return [getattr(value, "pk", value)]


# --- villages and grids -------------------------------------------------------------------------------


class VillageForm(forms.ModelForm):
    class Meta:
        model = Village
        fields = ["township", "name", "code", "kind"]
        field_classes = {"code": CodeField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if (user.is_superuser or user.is_county_user) and not self.instance.pk:
            self.fields["township"].queryset = Township.objects.visible_to(user)
        else:
            del self.fields["township"]
            if not self.instance.pk:
                self.instance.township = user.township

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        township = self.cleaned_data.get("township") or getattr(self.instance, "township", None)
        if township and Village.objects.filter(township=township, name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The township already has a village of this name."))
        return name


class GridForm(forms.ModelForm):
    class Meta:
        model = Grid
        fields = ["village", "name", "leader", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A grid stays in its village: redrawing villages is a merge, not an edit.
            del self.fields["village"]
            workers = self.instance.workers.filter(is_active=True)
            self.fields["leader"].queryset = User.objects.visible_to(user).filter(
                Q(pk__in=workers.values("pk")) | Q(pk=self.instance.leader_id)
            ).order_by("username")
            self.fields["leader"].help_text = _("The grid leader is one of the grid's workers.")
        else:
            self.fields["village"].queryset = Village.objects.visible_to(user)
            del self.fields["leader"]

    def clean(self):
        cleaned = super().clean()
        village = cleaned.get("village") or (self.instance.village if self.instance.pk else None)
        name = (cleaned.get("name") or "").strip()
        if village and name and Grid.objects.filter(village=village, name=name).exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("The village already has a grid of this name."))
        return cleaned


class GridMergeForm(forms.Form):
    into = GridChoiceField(Grid.objects.none(), label=_("Merge into"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, grid: Grid, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Grid.objects.visible_to(user).active().filter(village=grid.village_id).exclude(pk=grid.pk)
            .select_related("village")
        )


# --- household heads -----------------------------------------------------------------------------------


class TermFieldsMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("appointed_on"), cleaned.get("term_ends_on")
        if start and end and end <= start:
            self.add_error("term_ends_on", _("The term must end after the appointment."))
        return cleaned

    def clean_certificate_number(self):
        number = self.cleaned_data["certificate_number"].strip()
        if certificate_in_use(number):
            raise forms.ValidationError(_("This certificate number is already in use."))
        return number


def _default_term_end(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year + 3) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 3, day=28)


class HeadAppointForm(TermFieldsMixin, GridPickerMixin, forms.ModelForm):
    grid = GridChoiceField(Grid.objects.none(), label=_("Grid"))

    class Meta:
        model = HouseholdHead
        fields = ["grid", "name", "phone", "appointed_on", "term_ends_on", "certificate_number"]
        labels = {"name": _("Full name")}
        widgets = {"appointed_on": date_input(),
                   "term_ends_on": date_input()}
        field_classes = {"phone": CodeField, "certificate_number": CodeField,
                         "appointed_on": BoundedDateField, "term_ends_on": BoundedDateField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("appointed_on", today)
        self.initial.setdefault("term_ends_on", _default_term_end(today))
        self.fields["certificate_number"].required = True
        grid = self.initial.get("grid")
        self.setup_grid_picker(
            user, Grid.objects.visible_to(user).active(), village_initial=getattr(grid, "village_id", None)
        )


class HeadEditForm(forms.ModelForm):
    class Meta:
        model = HouseholdHead
        fields = ["name", "phone", "term_ends_on"]
        labels = {"name": _("Full name")}
        widgets = {"term_ends_on": date_input()}
        field_classes = {"phone": CodeField, "term_ends_on": BoundedDateField}

    def clean_term_ends_on(self):
        end = self.cleaned_data["term_ends_on"]
        if end and end <= self.instance.appointed_on:
            raise forms.ValidationError(_("The term must end after the appointment."))
        return end


class HeadEndTermForm(forms.Form):
    ended_on = PastDateField(label=_("Left office on"), widget=date_input())
    reason = forms.CharField(label=_("Reason for leaving"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", timezone.localdate())


class HeadReappointForm(TermFieldsMixin, forms.Form):
    appointed_on = BoundedDateField(label=_("Appointed on"), widget=date_input())
    term_ends_on = BoundedDateField(
        label=_("Term ends on"), required=False, widget=date_input()
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("appointed_on", today)
        self.initial.setdefault("term_ends_on", _default_term_end(today))


class HeadMoveForm(GridPickerMixin, forms.Form):
    grid = GridChoiceField(Grid.objects.none(), label=_("New grid"))

    def __init__(self, *args, head: HouseholdHead, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        grids = Grid.objects.visible_to(user).active().exclude(pk=head.grid_id)
        self.setup_grid_picker(user, grids, village_initial=head.grid.village_id)


# --- users -----------------------------------------------------------------------------------------------


class UserFormMixin(GridPickerMixin):
    grid_field = "grids"

    def setup_scope_fields(self, actor: User, township: Township | None):
        villages = Village.objects.visible_to(actor)
        grids = Grid.objects.visible_to(actor).active()
        if township is not None:
            villages, grids = villages.filter(township=township), grids.filter(village__township=township)
        self.fields["villages"].queryset = villages
        self.fields["villages"].required = False
        self.fields["villages"].help_text = _("For township cadres and village cadres.")
        self.fields["grids"].required = False
        self.fields["grids"].help_text = _("For grid workers.")
        self.setup_grid_picker(actor, grids, multiple=True)
        self.fields["village"].label = _("Grids of village")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in VILLAGE_SCOPED_ROLES and not cleaned.get("villages"):
            self.add_error("villages", _("Choose the villages this user is responsible for."))
        if role == R.GRID_WORKER and not cleaned.get("grids"):
            self.add_error("grids", _("Choose the grids this user works in."))
        return cleaned


def role_choices(*, actor: User, include_head: bool):
    """The roles ``actor`` may grant (none above their own, User.ROLE_RANK)."""
    return [
        (value, label) for value, label in R.choices
        if (include_head or value != R.HOUSEHOLD_HEAD) and actor.may_grant(value)
    ]


class UserCreateForm(UserFormMixin, forms.ModelForm):
    """A new login. Household heads' logins are made from their page (``head`` given)."""

    grids = GridMultipleChoiceField(Grid.objects.none(), label=_("Grids"))
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ["county", "township", "username", "display_name", "phone", "role", "villages", "grids",
                  "wecom_userid", "dingtalk_unionid"]
        field_classes = {"phone": CodeField}

    def __init__(self, *args, actor: User, head: HouseholdHead | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.head, self.actor = head, actor
        if actor.is_superuser or actor.is_county_user:
            # Required for township roles, empty for county roles (clean).
            self.fields["township"].queryset = Township.objects.visible_to(actor)
            self.fields["township"].required = False
            self.fields["township"].help_text = _("For every role but the county roles.")
            township = None
        else:
            del self.fields["township"]
            township = actor.township
        if actor.is_superuser:
            self.fields["county"].queryset = County.objects.all()
            self.fields["county"].required = False
            self.fields["county"].help_text = _("For county staff and county leaders.")
        else:
            del self.fields["county"]
        self.fields["role"].choices = role_choices(actor=actor, include_head=head is not None)
        if head is not None:
            self.initial.update(role=R.HOUSEHOLD_HEAD, display_name=head.name, phone=head.phone)
            for name in ("role", "villages", "grids"):
                del self.fields[name]
            for name in ("township", "county"):
                if name in self.fields:
                    del self.fields[name]
        else:
            self.setup_scope_fields(actor, township)

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if self.head is None and role in COUNTY_ROLES:
            cleaned["township"] = None
            if not self.actor.is_superuser:
                cleaned["county"] = self.actor.county
            elif not cleaned.get("county"):
                self.add_error("county", _("Choose the county of this user."))
        elif self.head is None and role:
            cleaned["county"] = None
            if "township" in self.fields and not cleaned.get("township"):
                self.add_error("township", _("Choose the township of this user."))
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(username=cleaned.get("username", ""), display_name=cleaned.get("display_name", ""),
                             phone=cleaned.get("phone", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class UserEditForm(UserFormMixin, forms.ModelForm):
    grids = GridMultipleChoiceField(Grid.objects.none(), label=_("Grids"))

    class Meta:
        model = User
        fields = ["display_name", "phone", "role", "villages", "grids", "wecom_userid", "dingtalk_unionid"]
        field_classes = {"phone": CodeField}
        help_texts = {
            "wecom_userid": _("The member's account in the county's WeCom (企业微信 账号): reminders go there, and "
                              "it signs this user in from inside WeCom."),
            "dingtalk_unionid": _("Signs this user in with DingTalk (钉钉)."),
        }

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        has_head = self.instance.household_head_id is not None
        self.fields["role"].choices = role_choices(actor=actor, include_head=has_head)
        self.setup_scope_fields(actor, self.instance.township)


class PasswordResetForm(SetPasswordForm):
    """Township staff set a new password for someone (Django's validators apply: 10 characters at least)."""


class OwnPasswordChangeForm(PasswordChangeForm):
    """A user changes their own password (Django's labels, translated by Django: 旧密码, 新密码, 新密码确认)."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)


# --- the holiday calendar ------------------------------------------------------------------------------


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": date_input()}
        field_classes = {"date": BoundedDateField}

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day and kind == CalendarDay.Kind.HOLIDAY and day.weekday() >= 5:
            self.add_error("date", _("A weekend is not a working day anyway; a holiday goes on a weekday."))
        if day and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            self.add_error("date", _("A make-up workday falls on a weekend."))
        return cleaned


DAY_LINE = re.compile(
    r"^(?P<first>(?:\d{4}-)?\d{1,2}-\d{1,2})(?:\s*(?:\.\.|~|～|至|到)\s*(?P<last>(?:\d{4}-)?\d{1,2}-\d{1,2}))?"
    r"(?:\s+(?P<name>.*))?$"
)


class CalendarYearForm(forms.Form):
    """A year's official arrangement in one go, as the State Council's notice gives it: the days off (ranges may
    include weekends, only the weekdays are kept) and the 调休 Saturdays and Sundays that are working days."""

    holidays = forms.CharField(
        label=_("Holidays"), widget=forms.Textarea(attrs={"rows": 8}), required=False,
        help_text=_("One line each: a date or a range and the name, e.g. “02-05..02-13 春节” or “2027-01-01 元旦”."),
    )
    workdays = forms.CharField(
        label=_("Make-up workdays"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("The Saturdays and Sundays that are working days, one line each, e.g. “02-20 春节调休”."),
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False,
                             help_text=_("The notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知."))

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        days = CalendarDay.objects.filter(date__year=year)
        for kind, field in ((CalendarDay.Kind.HOLIDAY, "holidays"), (CalendarDay.Kind.WORKDAY, "workdays")):
            self.initial.setdefault(field, "\n".join(f"{d.date.isoformat()} {d.name}".strip()
                                                     for d in days if d.kind == kind))

    def _date(self, text: str) -> dt.date:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 2:
            parts.insert(0, self.year)
        try:
            day = dt.date(*parts)
        except ValueError:
            raise forms.ValidationError(_("%(text)s is not a date.") % {"text": text}) from None
        if day.year != self.year:
            raise forms.ValidationError(_("%(day)s is not in %(year)s.") % {"day": day, "year": self.year})
        return day

    def _lines(self, field: str) -> list[tuple[dt.date, str]]:
        """(date, name) for every day a field's lines name."""
        days = []
        for line in filter(None, (raw.strip() for raw in self.cleaned_data.get(field, "").splitlines())):
            match = DAY_LINE.match(line)
            if match is None:
                raise forms.ValidationError(_("Cannot read “%(line)s”: give a date or a range, then the name.")
                                            % {"line": line})
            first = self._date(match["first"])
            last = self._date(match["last"]) if match["last"] else first
            if not 0 <= (last - first).days <= 31:
                raise forms.ValidationError(_("“%(line)s”: the range is backwards or too long.") % {"line": line})
            name = (match["name"] or "").strip()[:32]
            days += [(first + dt.timedelta(days=n), name) for n in range((last - first).days + 1)]
        return days

    def clean(self):
        data = super().clean()
        try:
            holidays = [(d, "holiday", n) for d, n in self._lines("holidays") if d.weekday() < 5]
            workdays = self._lines("workdays")
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        weekdays = [d for d, _n in workdays if d.weekday() < 5]
        if weekdays:
            self.add_error("workdays", _("A make-up workday falls on a weekend: %(days)s is a weekday.")
                           % {"days": ", ".join(map(str, weekdays))})
        both = {d for d, _k, _n in holidays} & {d for d, _n in workdays}
        if both:
            raise forms.ValidationError(_("A day cannot be both a holiday and a workday: %(days)s.")
                                        % {"days": ", ".join(map(str, sorted(both)))})
        data["days"] = sorted({d: (d, k, n) for d, k, n in holidays}.values()) + [
            (d, "workday", n) for d, n in sorted(dict(workdays).items())
        ]
        return data
