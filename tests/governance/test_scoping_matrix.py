"""The scoping matrix: every URL of every app, for every role, against objects of the other village.

The contract (also in README.md). Each app provides ``tests/<app>/scoping.py`` with
  ``objects_in(world, village) -> dict[str, dict]``: for EVERY URL name of the app that takes arguments,
      the kwargs of an object located in ``village`` (made with the app's factories);
  ``LIST_URLS: list[str]``: the app's list URL names that accept ``?village=<pk>``.
Optional:
  ``NOT_LOCATED: dict[str, str]``: URL names whose object belongs to no village (the reason as value);
      they must still refuse every role without a township-wide view (403 or 404), and not 404 for staff.
Required, for the objects of village A (``objects_in(world, village_a)``: in grid A1 where the app has grids), every
cell of the in-scope matrix — each URL name with arguments × each persona of ``IN_SCOPE`` — declared in one or more of
these ``dict[persona, list[str]]`` (URL names located nowhere, ``NOT_LOCATED``, may leave cells undeclared):
  ``IN_SCOPE_READABLE``: GET answers 200;
  ``IN_SCOPE_ALLOWED``: POST is taken (any answer but 403, 404 and 405: a 400 for an empty form is taken);
  ``IN_SCOPE_FORBIDDEN``: 403 (in scope, but the role may not act; the other method may answer 405, or 200 if readable);
  ``IN_SCOPE_HIDDEN``: 404 (in village A, but not the persona's part: another grid, a 联户长's unlinked household).

The matrix introspects the URLconf: a URL name with arguments in the namespace of an app whose scoping
module exists, and no entry in ``objects_in``, fails. Out of scope must look exactly like missing: 404.
A 405 (wrong method) says nothing about the object, so it is accepted as long as the other method says 404.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import transaction
from django.db.models import Model
from django.forms import ModelChoiceField
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.scoping import Scope, ScopedQuerySet, ScopeKind

APPS = ("governance", "households", "disputes", "petitions", "rounds", "hazards", "reception", "monitoring", "outreach",
        "honours", "assessment", "standards", "api")

#: Personas scoped inside village A (or its grid A1), and the other township's staff: all must get 404.
SCOPED_OUT = ("village_cadre", "township_cadre", "grid_worker", "household_head", "outsider")
#: Personas who see the whole township: never 404 for an object of it.
TOWNSHIP_WIDE = ("staff", "supervisor")
#: Personas of the township, each declared for each object of village A.
IN_SCOPE = ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head")
KINDS = ("READABLE", "ALLOWED", "FORBIDDEN", "HIDDEN")
#: The county's staff and leader (the ``county`` fixture makes the world's two townships a county): checked by the
#: county tests at the end of this module, with another county's staff who must get 404.
COUNTY_PERSONAS = ("county_staff", "county_leader")


def _scoping_modules() -> dict:
    modules = {}
    for app in APPS:
        try:
            modules[app] = importlib.import_module(f"tests.{app}.scoping")
        except ModuleNotFoundError as exc:
            if exc.name in (f"tests.{app}", f"tests.{app}.scoping"):
                continue
            raise
    return modules


MODULES = _scoping_modules()


def _walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and namespace and p.name and p.pattern.regex.groups:
            yield namespace, f"{namespace}:{p.name}"


def urls_with_arguments() -> list[str]:
    return sorted({name for ns, name in _walk(get_resolver().url_patterns) if ns in MODULES})


URL_NAMES = urls_with_arguments()
LIST_NAMES = sorted({name for module in MODULES.values() for name in module.LIST_URLS})
NOT_LOCATED = {name: why for module in MODULES.values() for name, why in getattr(module, "NOT_LOCATED", {}).items()}


def _module_for(url_name: str):
    return MODULES[url_name.split(":", 1)[0]]


def _status(client, url: str) -> tuple[int, int]:
    return client.get(url).status_code, client.post(url, {}).status_code


def _assert_refused_as_missing(statuses: tuple[int, int], who: str, url: str) -> None:
    get, post = statuses
    assert {get, post} <= {404, 405} and 404 in (get, post), f"{who} on {url}: GET {get}, POST {post} (want 404)"


def _objects(world, village, url_name: str) -> dict:
    entries = _module_for(url_name).objects_in(world, village)
    assert url_name in entries, f"{url_name} takes arguments but tests/<app>/scoping.py has no entry for it"
    return entries


def test_the_matrix_covers_governance_and_finds_urls():
    assert "governance" in MODULES
    assert "governance:village-detail" in URL_NAMES
    assert "governance:village-list" in LIST_NAMES


def test_every_url_with_arguments_has_a_scoping_entry(world):
    missing = []
    for app, module in MODULES.items():
        entries = module.objects_in(world, world.village_b)
        missing += [name for name in URL_NAMES if name.startswith(f"{app}:") and name not in entries]
    assert missing == [], f"add these URL names to tests/<app>/scoping.py objects_in(): {missing}"


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_other_village_objects_answer_404_to_everyone_scoped_elsewhere(url_name, world, clients):
    url = reverse(url_name, kwargs=_objects(world, world.village_b, url_name)[url_name])
    if url_name in NOT_LOCATED:
        for who in SCOPED_OUT[:-1]:
            get, post = _status(clients[who], url)
            assert get in (403, 404, 405) and post in (403, 404), f"{who} on {url}: GET {get}, POST {post}"
    else:
        for who in SCOPED_OUT:
            _assert_refused_as_missing(_status(clients[who], url), who, url)
    for who in TOWNSHIP_WIDE:
        # Each role's request is undone afterwards: a POST that succeeds (a removal, say) must not leave the
        # next role facing a missing object.
        with transaction.atomic():
            get = clients[who].get(url).status_code
            status = clients[who].post(url, {}).status_code if get == 405 else get
            transaction.set_rollback(True)
        assert status != 404, f"{who} got 404 on {url} in their own township"


def _declared(url_name: str) -> dict[str, set[str]]:
    """Per persona, the kinds declared for this URL name (READABLE, ALLOWED, FORBIDDEN, HIDDEN)."""
    module = _module_for(url_name)
    cells: dict[str, set[str]] = {}
    for kind in KINDS:
        for who, names in getattr(module, f"IN_SCOPE_{kind}", {}).items():
            if url_name in names:
                cells.setdefault(who, set()).add(kind)
    return cells


def test_every_in_scope_cell_is_declared():
    undeclared = [
        f"{name} × {who}" for name in URL_NAMES if name not in NOT_LOCATED
        for who in IN_SCOPE if who not in _declared(name)
    ]
    assert undeclared == [], f"declare these cells in tests/<app>/scoping.py (IN_SCOPE_*): {undeclared}"


def _check_cell(client, url: str, who: str, kinds: set[str]) -> None:
    # Each persona's requests are undone afterwards: an action taken must not change what the next one meets.
    with transaction.atomic():
        get = client.get(url).status_code
        post = client.post(url, {}).status_code
        transaction.set_rollback(True)
    seen = f"{who} on {url}: GET {get}, POST {post}"
    if "HIDDEN" in kinds:
        assert {get, post} <= {404, 405} and 404 in (get, post), f"{seen} (want 404)"
        return
    if "READABLE" in kinds:
        assert get == 200, f"{seen} (want GET 200)"
    if "ALLOWED" in kinds:
        assert post not in (403, 404, 405), f"{seen} (want the POST taken)"
    if "FORBIDDEN" in kinds:
        allowed_get = {200} if "READABLE" in kinds else {403, 405}
        assert post in (403, 405) and get in allowed_get and 403 in (get, post), f"{seen} (want 403)"


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_in_scope_roles_read_act_or_get_403_as_declared(url_name, world, clients):
    cells = _declared(url_name)
    assert cells, f"{url_name}: no in-scope expectation declared in tests/<app>/scoping.py"
    url = reverse(url_name, kwargs=_objects(world, world.village_a, url_name)[url_name])
    for who, kinds in cells.items():
        if who not in COUNTY_PERSONAS:
            _check_cell(clients[who], url, who, kinds)


def _rows(response) -> list[Model]:
    table = response.context.get("table")
    if table is not None:
        return list(table.data.data)
    rows = response.context.get("object_list")
    assert rows is not None, "a list view exposes `table` or `object_list`"
    return list(rows)


def _located_in(model, pks, village) -> set:
    manager = model._default_manager
    queryset_class = type(manager.all())
    assert issubclass(queryset_class, ScopedQuerySet), f"{model.__name__} has no ScopedQuerySet"
    scope = Scope(ScopeKind.VILLAGES, village_ids=frozenset([village.pk]))
    return set(manager.filter(pk__in=pks).filter(queryset_class.scope_q(scope)).values_list("pk", flat=True))


def _visible_pks(model, user, pks) -> set:
    return set(model._default_manager.filter(pk__in=pks).visible_to(user).values_list("pk", flat=True))


def _filter_choices_in_scope(response, user) -> None:
    filterset = response.context.get("filter")
    if filterset is None:
        return
    for name, field in filterset.form.fields.items():
        if not isinstance(field, ModelChoiceField) or not hasattr(field.queryset, "visible_to"):
            continue
        offered = {int(str(value)) for value, _ in field.widget.choices if str(value)}
        outside = offered - _visible_pks(field.queryset.model, user, offered)
        assert not outside, f"the {name} filter offers out-of-scope choices {outside}"


@pytest.mark.parametrize("url_name", LIST_NAMES)
def test_lists_show_only_rows_in_scope_and_the_village_filter_cannot_widen_them(url_name, world, clients):
    module = _module_for(url_name)
    module.objects_in(world, world.village_a)
    module.objects_in(world, world.village_b)
    for who in (*SCOPED_OUT, "village_cadre_b"):
        user = world.users[who]
        for query in ("", f"?village={world.village_b.pk}", f"?village={world.village_a.pk}"):
            response = clients[who].get(reverse(url_name) + query)
            if response.status_code == 403:  # the role has no such list at all
                continue
            assert response.status_code == 200, f"{who} on {url_name}{query}: {response.status_code}"
            rows = _rows(response)
            if not rows:
                continue
            model, pks = type(rows[0]), [r.pk for r in rows]
            assert _visible_pks(model, user, pks) == set(pks), f"{who} sees rows out of scope on {url_name}{query}"
            if who != "village_cadre_b":
                assert not _located_in(model, pks, world.village_b), f"{who} sees village B rows on {url_name}{query}"
            _filter_choices_in_scope(response, user)


# --- The county (tests/conftest.py ``county``): its staff and leader see every township of it, nothing elsewhere ---


def _in_township(model, pks, township) -> set:
    queryset_class = type(model._default_manager.all())
    scope = Scope(ScopeKind.TOWNSHIP, township_id=township.pk)
    return set(model._default_manager.filter(pk__in=pks).filter(queryset_class.scope_q(scope)).values_list("pk", flat=True))


def test_every_in_scope_cell_is_declared_for_the_county():
    undeclared = [
        f"{name} × {who}" for name in URL_NAMES if name not in NOT_LOCATED
        for who in COUNTY_PERSONAS if who not in _declared(name)
    ]
    assert undeclared == [], f"declare these cells in tests/<app>/scoping.py (IN_SCOPE_*): {undeclared}"


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_county_users_act_as_declared_and_another_county_gets_404(url_name, world, county, clients):
    url = reverse(url_name, kwargs=_objects(world, world.village_a, url_name)[url_name])
    cells = _declared(url_name)
    for who in COUNTY_PERSONAS:
        if who in cells:
            _check_cell(clients[who], url, who, cells[who])
    if url_name not in NOT_LOCATED:
        _assert_refused_as_missing(_status(clients["county_outsider"], url), "county_outsider", url)


@pytest.mark.parametrize("url_name", LIST_NAMES)
def test_county_lists_show_both_townships_and_nothing_of_another_county(url_name, world, county, clients):
    from governance.models import Grid, Village

    module = _module_for(url_name)
    module.objects_in(world, world.village_a)
    other_village = Village.objects.create(township=world.other_township, name="石坎村")
    Grid.objects.create(village=other_village, name="第一网格")
    module.objects_in(world, other_village)
    for who in COUNTY_PERSONAS:
        response = clients[who].get(reverse(url_name))
        assert response.status_code == 200, f"{who} on {url_name}: {response.status_code}"
        rows = _rows(response)
        if not rows:  # a list the matrix's objects leave empty (households visited lately): empty for staff too
            assert not _rows(clients["staff"].get(reverse(url_name))), f"{who} sees no row on {url_name}"
            continue
        model, pks = type(rows[0]), [r.pk for r in rows]
        for township in (world.township, world.other_township):
            assert _in_township(model, pks, township), f"{who} misses {township} on {url_name}"
    response = clients["county_outsider"].get(reverse(url_name))
    assert response.status_code in (200, 403)
    if response.status_code == 200 and (rows := _rows(response)):
        model, pks = type(rows[0]), [r.pk for r in rows]
        for township in (world.township, world.other_township):
            assert not _in_township(model, pks, township), f"another county sees {township} on {url_name}"
