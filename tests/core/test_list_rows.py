"""Every list writes its rows with a plain template loop (templates/<app>/tables/); the rows are the HTML
django-tables2's own Bootstrap 5 template writes for the same table, cell for cell, in both languages and for every
role that reads the list. A template that forgets a column, a link, a cell's class or a value's format fails here."""

from __future__ import annotations

import contextlib
import re

import django_tables2 as tables
import pytest
from django.core.management import call_command
from django.test import Client
from django.test.html import parse_html
from django.urls import reverse

import dashboards.tables
import disputes.tables
import governance.tables
import households.tables
import petitions.tables
from governance.models import Grid, User
from households.models import Resident, RevealLog

STOCK = "django_tables2/bootstrap5-responsive.html"
TABLE_MODULES = (governance.tables, households.tables, disputes.tables, petitions.tables, dashboards.tables)

LISTS = [
    "governance:village-list", "governance:grid-list", "governance:head-list", "governance:user-list",
    "governance:calendar", "households:list", "households:resident-list", "households:visit-list",
    "households:demand-list", "households:not-visited", "households:past-cadence", "households:reveal-log",
    "disputes:list", "petitions:list", "dashboards:assignments",
]


def _our_tables():
    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    modules = {m.__name__ for m in TABLE_MODULES}
    return [cls for cls in below(tables.Table) if cls.__module__ in modules]


@contextlib.contextmanager
def stock_rows():
    """Every table of ours rendered by django-tables2's own template, its cells by django-tables2's own code."""
    saved = {cls: cls._meta.template_name for cls in _our_tables()}
    try:
        for cls in saved:
            cls._meta.template_name = STOCK
        yield
    finally:
        for cls, name in saved.items():
            cls._meta.template_name = name


def _rows(response) -> str:
    assert response.status_code == 200, response.status_code
    body = re.search(r"<tbody.*?</tbody>", response.content.decode(), re.S)
    assert body, "the page has no table"
    return body.group(0)


def test_every_table_has_its_own_row_template():
    assert _our_tables()
    assert {cls.__name__ for cls in _our_tables() if cls._meta.template_name in (None, STOCK)} == set()


@pytest.fixture
def demo(db, today):
    call_command("seed_demo", "--households", "150", "--seed", "11", "--today", today.isoformat(), verbosity=0)
    # What the demo may not hold: a merged grid, an inactive user, a revealed ID number.
    first, second = Grid.objects.order_by("pk")[:2]
    Grid.objects.filter(pk=second.pk).update(merged_into=first)
    User.objects.filter(username="cadre").update(is_active=False)
    resident = Resident.objects.order_by("pk").first()
    RevealLog.objects.create(township=resident.household.grid.village.township, resident=resident,
                             subject=resident.name, field=RevealLog.Field.choices[0][0], reason="核对身份",
                             user=User.objects.get(username="staff"), ip_address="10.0.0.8")


@pytest.mark.parametrize("username", ["admin", "staff", "leader", "village", "grid", "head"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_are_django_tables2s_own(demo, username, language):
    client = Client(headers={"accept-language": language})
    client.force_login(User.objects.get(username=username))
    compared = 0
    for name in LISTS:
        url = reverse(name) + "?per_page=100"
        response = client.get(url)
        if response.status_code in (403, 404):
            continue  # not this role's list (the scoping matrix says who reads what)
        ours = _rows(response)
        with stock_rows():
            theirs = _rows(client.get(url))
        assert parse_html(ours) == parse_html(theirs), name
        compared += 1
    assert compared >= 5


@pytest.mark.parametrize("username", ["staff", "village", "grid", "head"])
def test_every_list_says_how_many_it_holds(demo, username):
    """«共 N 条» above every list, filtered or not, equals the rows the list gives page after page."""
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(User.objects.get(username=username))
    checked = 0
    for name in LISTS:
        url = reverse(name)
        for query in ("?per_page=100", "?per_page=100&status=closed"):
            response = client.get(url + query)
            if response.status_code in (403, 404):
                continue
            total = re.search(r'data-testid="list-total">共 (\d+) 条<', response.content.decode())
            if total is None:
                continue  # a list without pages (the calendar)
            rows, page = 0, 1
            while True:
                body = _rows(client.get(f"{url}{query}&page={page}"))
                on_page = body.count("<tr ")  # a row of the list (the empty text is a bare <tr>)
                rows += on_page
                if on_page < 100 or rows >= int(total.group(1)):
                    break
                page += 1
            assert rows == int(total.group(1)), (name, query)
            checked += 1
    assert checked >= 6
