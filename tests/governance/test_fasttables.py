"""Every list's table rows, rendered in Python (core/fasttables.py), are the HTML django-tables2's own
template gives."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tables2.views import SingleTableMixin

from core import fasttables
from governance.models import User

STOCK = "django_tables2/bootstrap5-responsive.html"


def _list_urls(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _list_urls(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and not p.pattern.converters:
            view = getattr(p.callback, "view_class", None)
            if view is not None and issubclass(view, SingleTableMixin) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name


def _tbody(html: str) -> str:
    return re.sub(r"\s+", " ", html.split("<tbody", 1)[1].split("</tbody>", 1)[0]).replace("> <", "><")


@pytest.fixture
def demo(db):
    call_command("seed_demo", households=150, today=dt.date(2026, 11, 20), seed=5, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("sort", ["", "-"])
def test_every_list_renders_the_same_rows_as_the_stock_template(demo, sort):
    names = sorted(set(_list_urls(get_resolver().url_patterns)))
    assert {"households:list", "disputes:list", "petitions:list", "governance:village-list"} <= set(names)
    compared = 0
    for role in (User.Role.TOWNSHIP_STAFF, User.Role.VILLAGE_CADRE):
        client = Client()
        client.force_login(User.objects.filter(role=role, is_active=True).order_by("pk").first())
        for name in names:
            response = client.get(reverse(name), {"sort": f"{sort}pk"} if sort else {})
            if response.status_code != 200 or "table" not in (response.context or {}):
                continue
            table = response.context["table"]
            ours = _tbody(table.as_html(response.wsgi_request))
            table.template_name = STOCK
            table._lht_td = None
            table._lht_plans = None
            stock = _tbody(table.as_html(response.wsgi_request))
            assert ours == stock, name
            compared += ours.count("<tr")
    assert compared > 200  # rows were really compared, not empty tables


def test_fast_select_writes_what_django_select_writes(world):
    from django import forms

    from core.widgets import FastSelect, fast
    from governance.models import Grid, Village

    class Form(forms.Form):
        plain = forms.ChoiceField(required=False, choices=[
            ("", "---"), ("x<y", "X & Y"), ("G", [("1", "one"), ("2", 'two"')]), ("1", "one again")])
        grid = forms.ModelChoiceField(Grid.objects.order_by("pk"), widget=forms.Select(
            attrs={"hx-get": "/grids/?a=1&b", "data-flag": True, "data-off": False}))
        village = forms.ModelChoiceField(Village.objects.order_by("pk"), required=False)  # from (pk, name) rows

    def norm(html):
        return re.sub(r"\s+", " ", html).replace("> <", "><").strip()

    grid = Grid.objects.order_by("pk").last()
    Village.objects.filter(pk=grid.village_id).update(name="<李家&'村\">")
    for data in ({"plain": "1", "grid": str(grid.pk), "village": str(grid.village_id)}, {"plain": "x<y"}, {}):
        form = Form(data=data)
        for name in ("plain", "grid", "village"):
            field = form[name]
            widget = fast(field.field.widget)
            assert isinstance(widget, FastSelect)
            ours = field.as_widget(widget=widget, attrs={"class": "form-select"})
            assert norm(ours) == norm(field.as_widget(attrs={"class": "form-select"})), (name, data)
    # One selection only, as Django: a value listed twice is selected the first time.
    html = norm(Form(data={"plain": "1"})["plain"].as_widget(widget=fast(forms.Select(
        choices=Form.base_fields["plain"].choices))))
    assert "selected>one<" in html and "selected>one again<" not in html


def test_date_columns_are_formatted_as_their_template_formats_them(settings):
    """The Python path of DateColumn and DateTimeColumn against the template django-tables2 compiles per cell:
    dates, aware datetimes (shown in local time: 23:30 UTC is the next day in Beijing), empty values and defaults."""
    import django_tables2 as tables
    from django.utils.translation import gettext_lazy

    from households.models import Demand

    settings.TIME_ZONE = "Asia/Shanghai"

    class Table(tables.Table):
        day = tables.DateColumn(format="Y-m-d", accessor="created_at", default="—")
        when = tables.DateTimeColumn(format="Y-m-d H:i", accessor="created_at", default=gettext_lazy("never"))
        short = tables.DateColumn(accessor="created_at")
        own = tables.DateColumn(accessor="created_at")

        class Meta:
            model = Demand
            fields = []

        def render_own(self, value):
            return "mine"

    class Row:
        row_counter = 0

    table = Table([])
    assert fasttables._date_formatter(table.columns["own"]) is None  # a render method of its own: left to it
    values = [dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 23, 30, tzinfo=dt.UTC), None, "", "<b>"]
    for name in ("day", "when", "short"):
        bound = table.columns[name]
        format_date = fasttables._date_formatter(bound)
        assert format_date is not None, name
        for value in values:
            if name == "when" and type(value) is dt.date:
                continue  # Django refuses a time format for a date, on both paths
            expected = bound.column.render(record=None, table=table, value=value, bound_column=bound, bound_row=Row())
            assert str(format_date(value)) == str(expected), (name, value)
    assert str(fasttables._date_formatter(table.columns["when"])(values[1])) == "2026-01-03 07:30"


def test_grid_choices_from_one_values_query_are_the_model_choices(world, django_assert_num_queries):
    """GridChoiceIterator: the same options, labels and order as the grid instances would give, from one query."""
    from django import forms

    from core.widgets import fast
    from governance.forms import GridChoiceField, GridLabelMixin
    from governance.models import Grid

    class Slow(forms.ModelChoiceField):
        label_from_instance = GridLabelMixin.label_from_instance

    grids = Grid.objects.select_related("village")
    chosen = str(grids.last().pk)
    for field in (GridChoiceField(grids, required=False), GridChoiceField(grids, empty_label=None)):
        slow = Slow(grids, required=field.required, empty_label=field.empty_label)
        expected = forms.Select(choices=slow.choices).render("grid", chosen)
        with django_assert_num_queries(1):
            ours = fast(forms.Select(choices=field.choices)).render("grid", chosen)
        assert re.sub(r"\s+", " ", ours).replace("> <", "><") == re.sub(r"\s+", " ", expected).replace("> <", "><")
        assert ours.count("<option") == grids.count() + (field.empty_label is not None) > 2


def test_deep_pages_found_by_their_keys_first_are_the_same_rows(demo, monkeypatch):
    """KeysFirstPaginator: a deep page read as keys then rows is the page the plain slice gives, in the same order,
    sorted by the default order or by a column."""
    from core.lists import KeysFirstPaginator

    client = Client()
    client.force_login(User.objects.filter(role=User.Role.TOWNSHIP_STAFF).order_by("pk").first())
    for name, params in (("households:list", {"page": 4, "per_page": 10}),
                         ("households:list", {"page": 3, "per_page": 10, "sort": "-member_count"}),
                         ("disputes:list", {"page": 2, "per_page": 10}),
                         ("petitions:list", {"page": 2, "per_page": 10, "sort": "village"})):
        monkeypatch.setattr(KeysFirstPaginator, "deep", 10**9)
        plain = _tbody(client.get(reverse(name), params).content.decode())
        monkeypatch.setattr(KeysFirstPaginator, "deep", 1)
        keys_first = _tbody(client.get(reverse(name), params).content.decode())
        assert keys_first == plain, name
        assert plain.count("<tr") >= 5, name  # rows were compared


def test_pk_urls_are_what_reverse_gives(db):
    from django.urls import NoReverseMatch, set_script_prefix

    from core.fasturls import pk_url_maker

    def reverse_pk(viewname, pk, kwarg=None):
        return pk_url_maker(viewname, kwarg)(pk)

    for viewname, kwarg in (("households:detail", None), ("disputes:detail", "pk"), ("governance:village-detail", "pk")):
        for pk in (1, 42, 10**12, 0):
            expected = reverse(viewname, kwargs={kwarg: pk}) if kwarg else reverse(viewname, args=[pk])
            assert reverse_pk(viewname, pk, kwarg) == expected
    # Not an integer key: Django's own answer, refusal included.
    assert reverse_pk("households:detail", "7") == reverse("households:detail", args=["7"])
    with pytest.raises(NoReverseMatch):
        reverse_pk("households:detail", "x")
    with pytest.raises(NoReverseMatch):
        reverse_pk("households:detail", -1)
    # Served under a prefix (SCRIPT_NAME), the prefix is in every URL.
    set_script_prefix("/township/")
    try:
        assert reverse_pk("households:detail", 5) == reverse("households:detail", args=[5]) == "/township/households/5/"
    finally:
        set_script_prefix("/")


def test_fast_inputs_write_what_django_inputs_write():
    """The filter forms' text, date, hidden and checkbox inputs, rendered in Python (core/widgets.py), give
    Django's own HTML: value formatted by the widget, escaped, attributes in order, ``checked`` as the box does."""
    from django import forms

    from core.widgets import fast

    class DateInput(forms.DateInput):
        input_type = "date"

    cases = [
        (forms.TextInput(attrs={"placeholder": "姓名、门牌号"}), 'a "quoted" <b>&'),
        (forms.TextInput(), None),
        (DateInput(), dt.date(2026, 11, 21)),
        (forms.DateInput(format="%Y/%m/%d"), dt.date(2026, 1, 2)),
        (forms.HiddenInput(), 42),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.NumberInput(attrs={"min": 0, "required": True, "disabled": False}), 7),
    ]
    for widget, value in cases:
        expected = widget.render("field", value, attrs={"class": "form-control", "id": "id_field"})
        ours = fast(widget).render("field", value, attrs={"class": "form-control", "id": "id_field"})
        assert fast(widget) is not widget
        assert str(ours) == str(expected), (type(widget).__name__, value)
    assert fast(forms.Textarea()).__class__ is forms.Textarea  # not an input: Django renders it


def test_searched_and_tag_filtered_household_pages_are_read_by_keys_first_and_show_the_same_rows(demo, monkeypatch):
    """A search or a tag filter reads every key once, counts and slices them (households.views.HouseholdListView): the
    same rows, in the same order, and the same count as the plain slice; the keys' query instead of the count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.lists import ScopedListView
    from households.models import Household, Tag
    from households.views import HouseholdListView

    client = Client()
    client.force_login(User.objects.filter(role=User.Role.TOWNSHIP_STAFF).order_by("pk").first())
    surname = Household.objects.order_by("pk").first().head_name[0]
    tag = Tag.objects.get(code="elderly-alone")
    url = reverse("households:list")
    for params in ({"q": surname, "per_page": 2, "page": 2}, {"tag": tag.pk, "per_page": 3, "page": 2}):
        with CaptureQueriesContext(connection) as keys_first_queries:
            keys_first = client.get(url, params).content.decode()
        with monkeypatch.context() as patch:
            patch.setattr(HouseholdListView, "get_table_pagination", ScopedListView.get_table_pagination)
            with CaptureQueriesContext(connection) as plain_queries:
                plain = client.get(url, params).content.decode()
        # The pages: the same links to the same pages (the count).
        pages = re.findall(r'page=(\d+)', keys_first)
        assert pages == re.findall(r'page=(\d+)', plain) and pages, params
        keys_first, plain = _tbody(keys_first), _tbody(plain)
        assert keys_first == plain, params
        assert plain.count("<tr") >= 2, params  # rows were compared
        assert len(keys_first_queries) == len(plain_queries), params
        assert not any("COUNT(" in q["sql"] for q in keys_first_queries.captured_queries if "households_household" in q["sql"])
        assert any("COUNT(" in q["sql"] for q in plain_queries.captured_queries if "households_household" in q["sql"])
