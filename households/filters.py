"""List filters. Every choice is scoped; the grid choice follows the chosen village (no dropdown over 200)."""

from __future__ import annotations

import datetime as dt

import django_filters as df
from django import forms
from django.db.models import Exists, OuterRef
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedDateFilter, parse_id
from core.lists import KeysFirstPaginator, ListFilterSet, contains, scoped_choices
from core.normalise import normalize_search
from core.numbersearch import number_tail_q
from core.scoping import InSubquery, ScopeKind, scope_of
from governance.filters import GridFilter, TownshipFilterMixin, township_filter
from governance.models import Grid, Township, Village

from . import forms as registry_forms
from . import tally
from .figures import visited_since
from .models import Demand, DemandCategory, Household, Resident, RevealLog, Tag, Visit
from .permissions import visible_tag_list, visible_tags
from .summary import tag_condition


def _visible_tags(request):
    if request is None:
        return Tag.objects.none()
    return visible_tags(request.user)


class TagChoiceIterator(ModelChoiceIterator):
    """The tag choices from ``tag_list``, the user's tags as the list's rows read them (``visible_tag_list``): one query
    for both. The queryset still validates."""

    one_query = True  # FastSelect iterates it as it is

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for tag in self.queryset if self.field.tag_list is None else self.field.tag_list:
            yield (tag.pk, tag.name)


class TagChoiceField(df.fields.ModelChoiceField):
    iterator = TagChoiceIterator

    def __init__(self, *args, tag_list=None, **kwargs):
        self.tag_list = tag_list
        super().__init__(*args, **kwargs)


class TagFilter(df.ModelChoiceFilter):
    field_class = TagChoiceField


class ScopedAreaFilterSet(TownshipFilterMixin, ListFilterSet):
    """Township (county users), village and grid, all from the user's scope; grids narrowed to the chosen village."""

    village_path = "grid__village"
    grid_path = "grid"
    #: None: the rows' own grid is one of the township's grids (the index on grid answers it, as the scope does).
    township_path: str | None = None

    township = township_filter(method="filter_township")

    village = df.ModelChoiceFilter(label=_("Village"), queryset=scoped_choices(Village), method="filter_village")
    grid = GridFilter(label=_("Grid"), queryset=scoped_choices(Grid), method="filter_grid")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and isinstance(self.filters.get("tag"), TagFilter):
            self.filters["tag"].extra["tag_list"] = visible_tag_list(request.user)
        if request is not None:
            village = None
            village_id = parse_id((self.data or {}).get("village"))
            if village_id:
                village = Village.objects.visible_to(request.user).filter(pk=village_id).first()
            # The grid choices are read here, once, as (pk, village, grid) rows: at most one more than the dropdown
            # may hold, which is also how we know there are too many (a separate COUNT was one more query a page).
            grids = Grid.objects.visible_to(request.user).active().select_related("village")
            if village is not None:
                grids = grids.filter(village=village)
            rows = list(grids.values_list("pk", "village__name", "name")[:None if village else registry_forms.MAX_CHOICES + 1])
            if village is None and len(rows) > registry_forms.MAX_CHOICES:
                rows, grids = None, grids.none()
                grid_id = parse_id((self.data or {}).get("grid"))
                if grid_id:
                    # Too many grids to list: a grid given in a link is still honoured (and shown alone).
                    grids = Grid.objects.visible_to(request.user).select_related("village").filter(pk=grid_id)
            # The dropdown shows these rows (GridChoiceIterator); validation still asks the queryset.
            self.filters["grid"].extra["grid_rows"] = rows
            self.filters["grid"].queryset = grids.only("pk", "name", "village__name")
            if "township" in self.filters:
                self._village_rows = self._villages_to_show(request.user, village)

    def _villages_to_show(self, user, chosen) -> list[tuple]:
        """For those who see several townships: the chosen township's villages, or all of theirs when they are few;
        a county's 400 villages are no choice until its township is (a village given in a link is still shown)."""
        villages = Village.objects.visible_to(user)
        township_id = parse_id((self.data or {}).get("township"))
        if township_id:
            villages = villages.filter(township=township_id)
        rows = list(villages.values_list("pk", "name")[:registry_forms.MAX_CHOICES + 1])
        if len(rows) > registry_forms.MAX_CHOICES:
            rows = []
        if chosen is not None and chosen.pk not in {pk for pk, _name in rows}:
            rows.append((chosen.pk, chosen.name))
        return rows

    @property
    def form(self):
        form = super().form
        rows = getattr(self, "_village_rows", None)
        if rows is not None and "village" in form.fields and not getattr(form, "_villages_narrowed", False):
            form._villages_narrowed = True
            field = form.fields["village"]
            field.widget.choices = [("", field.empty_label), *rows]  # validation still asks the queryset
        return form

    def search_character(self) -> str | None:
        """The one character searched for (``q``), which the tallies by character count (``tallied_character``), or
        None."""
        if "q" not in self.filters or not self.is_bound or not self.is_valid():
            return None
        return tallied_character(normalize_search(self.form.cleaned_data.get("q")))

    def place_townships(self, *, also: tuple[str, ...] = ()) -> list[int] | None:
        """The townships whose rows are the list's when nothing but a township (and the filters named in ``also``)
        narrows it, for a count kept per township (households/tally.py); None otherwise, or when the user sees only
        part of a township."""
        if self.place_grids(also=also) is None or self.form.cleaned_data.get("village") \
                or self.form.cleaned_data.get("grid"):
            return None
        scope = scope_of(self.request.user)
        chosen = self.form.cleaned_data.get("township")
        if scope.kind == ScopeKind.TOWNSHIP:
            townships = [scope.township_id]
        elif scope.kind == ScopeKind.TOWNSHIPS:
            townships = sorted(scope.township_ids)
        elif scope.kind == ScopeKind.ALL:
            townships = list(Township.objects.values_list("pk", flat=True))
        else:
            return None
        return [chosen.pk] if chosen and chosen.pk in townships else ([] if chosen else townships)

    def place_grids(self, *, also: tuple[str, ...] = ()):
        """The grids whose rows are the list's when nothing but places (township, village, grid) narrows it, for its
        count kept per grid (households/tally.py); None when anything else is asked for (but the filters named in
        ``also``, which the caller counts), or the user sees only some of a grid's rows."""
        data = self.data or {}
        values = data.getlist if hasattr(data, "getlist") else lambda key: [data[key]]
        if any(value for key in data if key not in _NOT_NARROWING and key not in also for value in values(key)):
            return None
        grids = tally.grids_in_view(scope_of(self.request.user)) if self.request is not None else None
        if grids is None or (self.is_bound and not self.is_valid()):
            return None
        cleaned = self.form.cleaned_data if self.is_bound else {}
        if cleaned.get("township"):
            grids = grids.filter(village__township=cleaned["township"])
        if cleaned.get("village"):
            grids = grids.filter(village=cleaned["village"])
        if cleaned.get("grid"):
            grids = grids.filter(pk=cleaned["grid"].pk)
        return grids

    def filter_township(self, queryset, name, value):
        if not value:
            return queryset
        if self.township_path:
            return queryset.filter(**{self.township_path: value})
        return queryset.filter(InSubquery("grid_id", Grid.objects.filter(village__township=value).values("pk")))

    def filter_village(self, queryset, name, value):
        return queryset.filter(**{self.village_path: value}) if value else queryset

    def filter_grid(self, queryset, name, value):
        return queryset.filter(**{self.grid_path: value}) if value else queryset


# What a list's address may carry besides its filters without narrowing its rows: places (which place_grids follows),
# the page and the order.
_NOT_NARROWING = frozenset({"township", "village", "grid", "page", "sort", "per_page"})


def sees_several_townships(request) -> bool:
    """Whether the request's user sees more than one township (the county's users, the superuser): a short search
    over their rows is better found by the index of characters alone (core.lists.contains, ``index_alone``)."""
    return request is not None and scope_of(request.user).kind in (ScopeKind.ALL, ScopeKind.TOWNSHIPS)


def tallied_character(value: str) -> str | None:
    """The character a household search is for, when it is one that the grids' tallies by character count (one
    character without case: a surname), else None. ``value`` as the search has it (normalized)."""
    return value if len(value) == 1 and value.upper() == value.lower() else None


def search_households(queryset, value: str, *, index_alone: bool = False):
    # Head, house number, address and the members' names in one text on the household (households/summary.py): one
    # condition on the households in view, where looking for a one-character name (which no trigram index serves) read
    # the township's 50,000 residents first, and four conditions a household cost twice the time of one.
    # A number (4 digits or more) is a member's ID number or phone, whole or its last digits (core/numbersearch.py).
    by_number = number_tail_q(value, "id_number", "phone")
    if by_number is not None:
        return queryset.filter(pk__in=Resident.objects.filter(by_number).values("household"))
    # One or two characters, which no trigram index serves: found by the index of the text's characters (migration
    # 0024); ``index_alone`` as core.lists.contains.
    return queryset.filter(contains("search_text", value, characters_indexed=True, index_alone=index_alone))


class HouseholdFilter(ScopedAreaFilterSet):
    q = df.CharFilter(label=_("Search"), method="search",
                      widget=forms.TextInput(attrs={"placeholder": _("Name, house number, address, ID number or phone")}))
    tag = TagFilter(label=_("Special group"), queryset=_visible_tags, method="filter_tag")
    residence_type = df.ChoiceFilter(label=_("Residence type"), choices=Household.ResidenceType.choices)
    visited_within = df.ChoiceFilter(label=_("Visited within"), method="filter_visited", choices=(
        (30, _("30 days")), (90, _("90 days"))))
    no_head = df.BooleanFilter(label=_("Without a household head"), field_name="household_head",
                               lookup_expr="isnull", widget=forms.CheckboxInput)
    head = df.NumberFilter(field_name="household_head", widget=forms.HiddenInput)

    class Meta:
        model = Household
        fields = ["q", "village", "grid", "tag", "residence_type", "visited_within", "no_head", "head"]

    def search(self, queryset, name, value):
        value = normalize_search(value)
        if not value:
            return queryset
        # Over several townships, a search for one character counted by the grids' tallies (the list's «共 N 条») finds
        # a first page by walking the list's order, which PostgreSQL chooses only with the index's condition alone
        # (core.lists.contains). Where every match is read in order (a page deep in the list, an export, other
        # filters beside), the LIKE stays beside it: with the index's condition alone PostgreSQL, which guesses a
        # county's grids hold a few hundred households, walked the whole index for them (0.4 s for 王).
        walked = (sees_several_townships(self.request) and self.tallied_search() is not None
                  and not self.request.GET.get("format") and not KeysFirstPaginator.deep_page(self.request))
        return search_households(queryset, value, index_alone=walked)

    def tallied_search(self):
        """(character, grids) when the list is a search for one character with nothing else but places, which the
        grids' households by character count (households/tally.py); None otherwise."""
        character = self.search_character()
        grids = self.place_grids(also=("q",)) if character is not None else None
        return (character, grids) if grids is not None else None

    def filter_visited(self, queryset, name, value):
        """Visited in the last 30 or 90 days, as the coverage figures count it."""
        if not value:
            return queryset
        since = timezone.localdate() - dt.timedelta(days=int(value))
        return queryset.filter(visited_since(since))

    def filter_tag(self, queryset, name, value):
        # On the household's row (households/summary.py): the household's own tags and its members'. Looking the tag's
        # members up first read the township's residents (or, by key, a county's 24,000 with the tag).
        return queryset.filter(tag_condition(value.pk)) if value else queryset

    def filter_queryset(self, queryset):
        # An unchecked box means "all", not "only households with a head".
        if not self.form.cleaned_data.get("no_head"):
            self.form.cleaned_data["no_head"] = None
        return super().filter_queryset(queryset)


class ResidentFilter(ScopedAreaFilterSet):
    village_path = "household__grid__village"
    grid_path = "household__grid"
    township_path = "township"

    q = df.CharFilter(label=_("Name, ID number or phone"), method="search_name")
    tag = TagFilter(label=_("Special group"), queryset=_visible_tags, method="filter_tag")
    status = df.ChoiceFilter(label=_("Status"), choices=Resident.Status.choices)
    relation = df.ChoiceFilter(label=_("Relation to head"), choices=Resident.Relation.choices)
    gender = df.ChoiceFilter(label=_("Gender"), choices=Resident.Gender.choices)
    household = df.NumberFilter(field_name="household", widget=forms.HiddenInput)

    class Meta:
        model = Resident
        fields = ["q", "village", "grid", "tag", "status", "relation", "gender", "household"]

    def search_name(self, queryset, name, value):
        value = normalize_search(value)
        if not value:
            return queryset
        by_number = number_tail_q(value, "id_number", "phone")
        if by_number is not None:
            return queryset.filter(by_number)
        # One or two characters: found by the index of the names' characters (migration 0024); over several
        # townships by that index alone, so that a page of 25 walks the list's order (core.lists.contains).
        return queryset.filter(contains("name", value, characters_indexed=True,
                                        index_alone=sees_several_townships(self.request)))

    def filter_tag(self, queryset, name, value):
        if not value:
            return queryset
        on_resident = Resident.tags.through.objects.filter(tag=value, resident=OuterRef("pk"))
        on_household = Household.tags.through.objects.filter(tag=value, household=OuterRef("household"))
        return queryset.filter(Exists(on_resident) | Exists(on_household))


class VisitFilter(ScopedAreaFilterSet):
    method = df.ChoiceFilter(label=_("Method"), choices=Visit.Method.choices)
    date_from = BoundedDateFilter(label=_("From"), field_name="visited_on", lookup_expr="gte",
                              widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateFilter(label=_("To"), field_name="visited_on", lookup_expr="lte",
                            widget=forms.DateInput(attrs={"type": "date"}))
    mine = df.BooleanFilter(label=_("Only my visits"), method="filter_mine", widget=forms.CheckboxInput)
    household = df.NumberFilter(field_name="households", widget=forms.HiddenInput)

    class Meta:
        model = Visit
        fields = ["village", "grid", "method", "date_from", "date_to", "mine", "household"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(visitor=self.request.user) if value else queryset


class DemandFilter(ScopedAreaFilterSet):
    township_path = "township"

    status = df.ChoiceFilter(label=_("Status"), choices=Demand.Status.choices)
    state = df.ChoiceFilter(label=_("Open or overdue"), method="filter_state",
                            choices=[("open", _("Open demands")), ("overdue", _("Overdue demands"))])
    level = df.ChoiceFilter(label=_("demand handling level"), choices=Demand.Level.choices)
    category = df.ModelChoiceFilter(label=_("demand category"), queryset=DemandCategory.objects.all())

    class Meta:
        model = Demand
        fields = ["village", "grid", "status", "state", "level", "category"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        return queryset


class CoverageListFilter(ScopedAreaFilterSet):
    """For the households not visited / past their cadence: the area, and "only mine" for household heads."""

    head = df.NumberFilter(field_name="household_head", widget=forms.HiddenInput)

    class Meta:
        model = Household
        fields = ["village", "grid", "head"]


class RevealLogFilter(ListFilterSet):
    date_from = BoundedDateFilter(label=_("From"), field_name="at", lookup_expr="date__gte",
                              widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateFilter(label=_("To"), field_name="at", lookup_expr="date__lte",
                            widget=forms.DateInput(attrs={"type": "date"}))
    subject = df.CharFilter(label=_("Whose"), field_name="subject", lookup_expr="icontains")

    class Meta:
        model = RevealLog
        fields = ["date_from", "date_to", "subject"]
