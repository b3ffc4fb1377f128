"""The API's entries in the scoping matrix (tests/governance/test_scoping_matrix.py).

Each row of the API answers exactly as the web page of the same row: its objects are made by the web app's own
scoping module, and its cells are the web page's (readable there → 200 here; hidden there → 404 here). The API's
writes (POST of a visit or a demand) take no id: tests/api/test_api.py checks their 403s."""

from __future__ import annotations

import importlib

from households.models import Demand

#: API row → the web page of the same row.
SAME_AS_WEB = {
    "api:village-detail": "governance:village-detail",
    "api:grid-detail": "governance:grid-detail",
    "api:head-detail": "governance:head-detail",
    "api:household-detail": "households:detail",
    "api:resident-detail": "households:resident-detail",
    "api:visit-detail": "households:visit-detail",
    "api:demand-detail": "households:demand-detail",
    "api:dispute-detail": "disputes:detail",
    "api:petition-detail": "petitions:detail",
    "api:hazard-detail": "hazards:detail",
    "api:monitoring-case-detail": "monitoring:detail",
}
PERSONAS = ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head",
            "county_staff", "county_leader")

LIST_URLS: list[str] = []  # the API's lists are JSON: tests/api/test_api.py compares their counts with the web's
NOT_IN_A_GRID = {"api:village-detail": "a village is no grid's (as governance:village-detail)"}
NOT_LOCATED = {"api:token-revoke": "a token belongs to a person or an integration, not to a village"}


def _web(url_name: str):
    return importlib.import_module(f"tests.{url_name.split(':')[0]}.scoping")


def _cells(kind: str) -> dict[str, list[str]]:
    cells: dict[str, list[str]] = {}
    for api_name, web_name in SAME_AS_WEB.items():
        declared = getattr(_web(web_name), f"IN_SCOPE_{kind}", {})
        for who in PERSONAS:
            if web_name in declared.get(who, []):
                cells.setdefault(who, []).append(api_name)
    return cells


IN_SCOPE_READABLE = _cells("READABLE")
IN_SCOPE_HIDDEN = _cells("HIDDEN")
# The 包案 of a case: read by those who see the case's place or answer for it — not by a household head (the web's
# 包案 list refuses them too). (Townships are a list only: a township is no row of one village.)
for _who in PERSONAS:
    if _who != "household_head":
        IN_SCOPE_READABLE.setdefault(_who, []).append("api:assignment-detail")
IN_SCOPE_HIDDEN.setdefault("household_head", []).append("api:assignment-detail")
# Tokens: made and revoked by the township's and the county's staff (an integration of the township, here); the
# supervisor sees it and may not revoke it; everyone else sees only their own tokens.
TOKEN_MANAGERS = ("staff", "county_staff", "county_leader")
IN_SCOPE_ALLOWED = {who: ["api:token-revoke"] for who in TOKEN_MANAGERS}
IN_SCOPE_FORBIDDEN = {"supervisor": ["api:token-revoke"]}
for _who in ("township_cadre", "village_cadre", "grid_worker", "household_head"):
    IN_SCOPE_HIDDEN.setdefault(_who, []).append("api:token-revoke")


def objects_in(world, village) -> dict[str, dict]:
    """The web modules' objects (made once per world and village: the matrix asks for each URL name)."""
    made = world.__dict__.setdefault("_api_objects", {})
    if village.pk not in made:
        entries = {}
        by_module: dict[str, dict] = {}
        for api_name, web_name in SAME_AS_WEB.items():
            module = _web(web_name)
            if module.__name__ not in by_module:
                by_module[module.__name__] = module.objects_in(world, village)
            entries[api_name] = {"pk": by_module[module.__name__][web_name]["pk"]}
        rectifying = by_module["tests.households.scoping"]["households:demand-report"]["pk"]
        entries["api:assignment-detail"] = {"pk": Demand.objects.get(pk=rectifying).assignments.get().pk}
        entries["api:token-revoke"] = {"pk": _token(world, village).pk}
        made[village.pk] = entries
    return made[village.pk]


def _token(world, village):
    from api.services import token_create

    token, _raw = token_create(by=world.users["staff"], name="测试", kind="integration", access="read",
                               township=village.township)
    return token
