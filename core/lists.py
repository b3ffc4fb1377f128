"""The one way to build a list page: django-tables2 + django-filter over a scoped queryset."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.utils.functional import cached_property
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.rows import BoundRows

from .bounds import parse_id
from .scoping import ScopeKind, scope_of


class KeysFirstPaginator(Paginator):
    """A page deep in a list (``deep`` rows skipped or more) is found by its keys first: ``SELECT id … ORDER BY …
    OFFSET n LIMIT 25`` can be answered from an index alone, where the full query fetched, joined and sorted every row it
    skipped (page 200 of a county township's households: 16 ms); then the 25 rows are read by key, in that order.
    The first pages, and any list that is not a plain ordered queryset, are sliced as usual.

    ``all_keys``: for a list narrowed by a condition that no index answers (a search, a tag), every key is read once, in
    order: the count is their number and a page their slice. The count and the page would each scan the households in
    view, and for the page PostgreSQL, which cannot tell how many households a scope holds, sometimes chose to read and
    sort all that matched (a county's search: 8 ms a page on top of its 8 ms count).

    ``known_count``: the number of rows, when the list knows it without counting them (households/tally.py); with
    ``all_keys``, every key is then read only for a page deep in the list, and a first page's keys alone."""

    deep = 1000

    def __init__(self, *args, all_keys: bool = False, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.all_keys = all_keys
        self.known_count = known_count
        self._keys = None

    @classmethod
    def deep_page(cls, request, per_page: int = 25) -> bool:
        """Whether the request asks for a page deep in its list (``?page=``, ``?per_page=``), as ``page`` tells."""
        number = parse_id(request.GET.get("page")) if request is not None else None
        size = parse_id(request.GET.get("per_page")) if request is not None else None
        return ((number or 1) - 1) * (size or per_page) >= cls.deep

    def _queryset(self):
        """The plain ordered queryset under the table's rows, or None."""
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", None)
        if (not isinstance(rows, BoundRows) or not isinstance(queryset, QuerySet) or queryset.query.distinct
                or queryset.query.combinator):
            return None
        return queryset

    def _every_key(self):
        if self._keys is None and self.all_keys and (queryset := self._queryset()) is not None:
            self._keys = list(queryset.values_list("pk", flat=True))
        return self._keys

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        keys = self._every_key()
        return len(keys) if keys is not None else super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        queryset = self._queryset()
        deep = bottom >= self.deep
        if queryset is None or not (deep or self.all_keys):
            return self._get_page(rows[bottom:top], number, self)
        if self.all_keys and (deep or self.known_count is None):
            keys = self._every_key()[bottom:top]
        else:
            # A search whose count is known: the page's keys alone, which PostgreSQL finds by walking the list's
            # order in its index (the rows with their joins it planned by the search's matches, read and sorted).
            keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        found = {record.pk: record for record in queryset.filter(pk__in=keys)}
        records = [found[key] for key in keys if key in found]
        return self._get_page(BoundRows(data=records, table=rows.table, pinned_data=rows.pinned_data), number, self)


class _FieldsOfOneForm(dict):
    """The fields of a form class made for one FilterSet: ``Form.__init__`` copies its class's fields so that two forms
    never share one, and these belong to one form already (a FilterSet makes its filters' fields, and a form class
    for them, anew for itself). The copy was about 1 ms of a list page (a dozen fields, their choices and widgets)."""

    def __deepcopy__(self, memo):
        return dict(self)


class ListFilterSet(django_filters.FilterSet):
    """The base of every list's FilterSet."""

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class


class ScopedListView(SingleTableMixin, FilterView):
    """``model`` must have a ScopedQuerySet manager. Subclasses add select_related in ``base_queryset``.

    The FilterSet narrows what is visible; it can never widen it, because it starts from ``visible_to``.
    """

    template_name = "includes/list_page.html"
    # The table paginates (one COUNT); a ListView ``paginate_by`` would paginate the same rows a second time.
    paginate_by = None
    table_pagination = {"per_page": 25, "paginator_class": KeysFirstPaginator}
    title = ""
    create_url_name: str | None = None
    export_url_name: str | None = None

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.model._meta.verbose_name_plural
        context["create_url_name"] = self.create_url_name
        context["export_url_name"] = self.export_url_name
        return context


def scoped_choices(model, *, reached_by=None):
    """For a filter's ``queryset=``: the choices a user may see (django-filter calls it with the request).

    ``reached_by=(CaseModel, "village")``: also the places of the cases the user sees outside their own area (a
    village cadre who leads a 包案 of another village): the dashboard counts them there, and the link that names
    that place must find them."""

    def choices(request):
        if request is None:
            return model.objects.none()
        visible = model.objects.visible_to(request.user)
        if reached_by is None or scope_of(request.user).kind in (ScopeKind.ALL, ScopeKind.TOWNSHIPS):
            return visible
        case_model, path = reached_by
        reached = case_model.objects.visible_to(request.user).filter(**{f"{path}__isnull": False}).values(path)
        return model.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=reached))

    return choices


def contains(field: str, value: str, *, characters_indexed: bool = False, index_alone: bool = False) -> Q:
    """``field`` contains ``value``, case ignored where case exists.

    ``icontains`` compares ``UPPER(column)``: for a one- or two-character term, which no trigram index can serve, that
    is an UPPER() of every row scanned, half the time of a search for "王" in 50,000 residents. A term with no letters
    that have a case (Chinese, digits) is the same match without it. Longer terms keep ``icontains``, whose trigram
    indexes are built on ``UPPER(column)``.

    ``characters_indexed``: the column has a GIN index of its characters (``string_to_array(column, NULL)``,
    PostgreSQL): a one- or two-character term first finds the rows holding each of its characters there, and the
    ``LIKE`` decides on those only — a county's search for 王 no longer reads every row in view.

    ``index_alone``: for one character, the index's condition without the ``LIKE`` (having the character is containing
    it). PostgreSQL then estimates the matches from the index's statistics; beside the ``LIKE`` it multiplies the two
    estimates and, guessing a hundredth of the matches, reads and sorts every one of them for a page of 25. Where the
    rows in view are few enough to be read another way (a township's), the ``LIKE`` is the cheaper test of each row."""
    if len(value) < 3 and value.upper() == value.lower():
        condition = Q(**{f"{field}__contains": value})
        if characters_indexed and connection.vendor == "postgresql":
            has_them = Q(DataContains(Characters(field), Value(list(value), output_field=_TEXTS)))
            # The LIKE first: where PostgreSQL reads the rows in view another way, it is the cheaper test of the two.
            return has_them if index_alone and len(value) == 1 else condition & has_them
        return condition
    return Q(**{f"{field}__icontains": value})


_TEXTS = ArrayField(TextField())


class Characters(Func):
    """The characters of a text column, as its index of characters has them."""

    template = "string_to_array(%(expressions)s, NULL)"
    output_field = _TEXTS

    def __init__(self, field: str):
        super().__init__(F(field))
