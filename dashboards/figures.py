"""The dashboard: the figures each app offers (``<app>/figures.py``, scoped SQL aggregates), composed into cards,
charts and the overdue board, each number with the link to the list that produces it (the 红黑榜 beside them
is honours' published lists: dashboards/views.py).

Seven figure queries (two fewer since the 红黑榜 left: honours), one to turn PostgreSQL's JIT off and two to find the cases the user answers for outside their
scope, whatever the number of villages and rows (see ``QUERY_BUDGET``); the result is plain data
(numbers, labels, URLs), cached for ``DASHBOARD_CACHE_SECONDS`` under a key made of the user, their scope, the
filters, the day and the language.

Periods: "now" figures (open cases, overdue, under supervision, visit coverage, care cadence) are what is true
today and ignore the period; flow figures (mediation results, on-time replies, disputes by type, month and level,
petitions by channel and form) count the cases registered or received in the period.
Area: a village or a grid. Disputes and households have both; petitions and assignments belong to a village only,
so a chosen grid narrows them to its village (the page says so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import figures as assignment_figures
from core.keyurls import url_of
from core.scoping import ScopeKind, scope_of
from disputes import figures as dispute_figures
from disputes.models import Dispute
from governance.models import Township, User
from households import figures as household_figures
from petitions import figures as petition_figures
from petitions.models import Petition

#: The queries one dashboard costs when its cache is cold (seven figures, turning PostgreSQL's JIT off, and the disputes
#: and petitions the user answers for outside their scope: scoping.widened_by_answered_cases; the issue allows 12);
#: the tests hold it.
QUERY_BUDGET = 10
#: The overdue board shows this many of the longest overdue assignments; the full list is one click away.
BOARD_SIZE = 20
#: The grid coverage chart shows at most this many grids (the lowest coverage first).
GRID_CHART_SIZE = 20


@dataclass(frozen=True)
class Filters:
    """What the dashboard is asked for. ``village`` is the village chosen, or the chosen grid's village;
    ``township`` (county users and the superuser) the township chosen, or the chosen village's township."""

    start: dt.date | None = None
    end: dt.date | None = None
    village: int | None = None
    grid: int | None = None
    township: int | None = None

    def key(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}

    @property
    def area_query(self) -> str:
        """The area as a query string (the period presets and the panels loaded beside the figures keep it)."""
        area = {"grid": self.grid, "village": self.village} if self.village else {"township": self.township}
        return urlencode([(k, v) for k, v in area.items() if v])


def is_personal(user) -> bool:
    """Household heads (联户长) get their own small view: the households linked to them, not the township's cases."""
    return not user.is_superuser and user.role == User.Role.HOUSEHOLD_HEAD


# --- Links ---------------------------------------------------------------------------------------------------


def link(url_name: str, **params) -> str:
    query = urlencode([(k, str(v)) for k, v in params.items() if v not in (None, "")])
    return url_of(url_name) + (f"?{query}" if query else "")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class Links:
    """The list behind each figure, with the same area and period as the dashboard."""

    def __init__(self, f: Filters):
        self.f = f
        if f.grid:
            self.area = {"grid": f.grid}
        elif f.village or not f.township:
            self.area = {"village": f.village}
        else:
            self.area = {"township": f.township}
        # Petitions and assignments belong to a village at most: a chosen grid narrows them to its village.
        self.village_area = {"village": f.village} if f.village or not f.township else {"township": f.township}
        self.dispute_period = {"registered_from": _iso(f.start), "registered_to": _iso(f.end)}
        self.petition_period = {"received_from": _iso(f.start), "received_to": _iso(f.end)}

    def disputes(self, *, period: bool = False, **params) -> str:
        return link("disputes:list", **params, **(self.dispute_period if period else {}), **self.area)

    def petitions(self, *, period: bool = False, **params) -> str:
        return link("petitions:list", **params, **(self.petition_period if period else {}), **self.village_area)

    def assignments(self, **params) -> str:
        if "village" not in params and "township" not in params:
            params.update(self.village_area)
        return link("dashboards:assignments", **params)

    def households(self, url_name: str = "households:list", **params) -> str:
        return link(url_name, **{**self.area, **params})


# --- Composition ---------------------------------------------------------------------------------------------


def _card(key: str, label: str, count: int, url: str, *, value: str | None = None, hint: str = "",
          tone: str = "") -> dict:
    return {"key": key, "label": label, "count": count, "value": value if value is not None else str(count),
            "url": url, "hint": hint, "tone": tone}


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _coverage_cards(totals: dict, links: Links) -> list[dict]:
    def of(days):
        return _("%(visited)s of %(households)s households") % {
            "visited": totals[f"visited_{days}"], "households": totals["households"]}

    not_visited = totals["households"] - totals["visited_90"]
    return [
        _card("coverage_30", _("Visit coverage, 30 days"), totals["visited_30"],
              links.households(visited_within=30), value=_percent(totals["share_30"]),
              hint=of(30)),
        _card("coverage_90", _("Visit coverage, 90 days"), totals["visited_90"],
              links.households(visited_within=90), value=_percent(totals["share_90"]),
              hint=of(90)),
        _card("not_visited", _("Not visited in 90 days"), not_visited, links.households("households:not-visited"),
              tone="warning" if not_visited else ""),
        _card("past_cadence", _("Past their care cadence"), totals["past_cadence"],
              links.households("households:past-cadence"), tone="danger" if totals["past_cadence"] else ""),
    ]


COUNTS = ("households", "visited_30", "visited_90", "past_cadence")


def _with_shares(row: dict) -> dict:
    for days in (30, 90):
        row[f"share_{days}"] = row[f"visited_{days}"] / row["households"] if row["households"] else None
    return row


def _household_levels(grid_rows: list[dict], *, by: str = "village") -> tuple[dict, list[dict], list[dict]]:
    """Totals, villages (or townships: ``by="township"``) and grids from the per-grid counts (one row per grid:
    aggregates, not households)."""
    totals = _with_shares({name: sum(row[name] for row in grid_rows) for name in COUNTS})
    key, name_key = ("grid__village", "village_name") if by == "village" else ("township", "township_name")
    areas: dict[int, dict] = {}
    for row in grid_rows:
        area = areas.setdefault(row[key], {"key": row[key], "label": row[name_key], **dict.fromkeys(COUNTS, 0)})
        for name in COUNTS:
            area[name] += row[name]
    grids = [_with_shares({**row, "key": row["grid"]}) for row in grid_rows]
    return totals, [_with_shares(v) for v in areas.values()], grids


def personal(user, f: Filters, today: dt.date) -> dict:
    """A household head's view: the households linked to them (one query)."""
    totals, _villages, _grids = _household_levels(household_figures.dashboard_by_grid(user, today=today))
    links = Links(f)
    cards = [_card("households", _("My households"), totals["households"], links.households()),
             *_coverage_cards(totals, links)]
    return {"personal": True, "cards": cards, "charts": {}, "board": [], "today": today}


def by_township(user, f: Filters) -> bool:
    """A county-wide view (a county user or the superuser, no township, village or grid chosen): the charts that
    compare places compare townships, and each township's villages are one choice away."""
    if f.township or f.village or f.grid:
        return False
    scope = scope_of(user)
    if scope.kind == ScopeKind.TOWNSHIPS:
        return len(scope.township_ids) > 1
    return scope.kind == ScopeKind.ALL and Township.objects.count() > 1


def full(user, f: Filters, today: dt.date) -> dict:
    """The whole dashboard of ``user``'s scope (seven queries; see the numbered comments)."""
    area = {"village": f.village, "grid": f.grid, "township": f.township}
    period = {"start": f.start, "end": f.end}
    place = {"village": f.village, "township": f.township}
    county_wide = by_township(user, f)
    disputes = dispute_figures.dashboard_summary(user, **period, **area)  # 1
    breakdown = dispute_figures.dashboard_breakdown(user, **period, **area)  # 2
    petitions = petition_figures.dashboard_summary(user, **period, **place, today=today)  # 4
    assignments = assignment_figures.summary(user, **place, today=today)  # 6
    if county_wide:
        place_overdue = assignment_figures.overdue_by_township(user, today=today)  # 7
    else:
        place_overdue = assignment_figures.overdue_by_village(user, **place, today=today)  # 7
    board = assignment_figures.overdue_board(user, **place, today=today, limit=BOARD_SIZE)  # 8
    totals, place_coverage, grid_coverage = _household_levels(
        household_figures.dashboard_by_grid(user, **area, today=today),  # 9
        by="township" if county_wide else "village",
    )

    links = Links(f)
    cards = [
        _card("open_disputes", _("Open disputes"), disputes["open"], links.disputes(open="yes")),
        _card("open_petitions", _("Open petitions"), petitions["open"], links.petitions(open="yes")),
        _card("overdue", _("Overdue assignments"), assignments["overdue"], links.assignments(state="overdue"),
              tone="danger" if assignments["overdue"] else ""),
        _card("supervised", _("Under supervision"), assignments["supervised"],
              links.assignments(state="open", supervised="yes"), tone="warning" if assignments["supervised"] else ""),
        _card("success_rate", _("Mediation success rate"), disputes["succeeded"],
              links.disputes(period=True, outcome="success"), value=_percent(disputes["success_rate"]),
              hint=_("%(succeeded)s succeeded of %(ended)s mediations ended") % disputes),
        _card("on_time_rate", _("Petitions handled on time"), petitions["on_time"],
              links.petitions(period=True, on_time="yes"),
              value="—" if petitions["on_time_rate"] is None else f"{petitions['on_time_rate']}%",
              hint=_("%(on_time)s on time, %(late)s late") % petitions),
        _card("returns_rate", _("Screening returns on time"), assignments["returns_on_time"],
              links.assignments(case="return", state="on_time"),
              value="—" if assignments["returns_rate"] is None else f"{assignments['returns_rate']}%",
              hint=_("%(returns_on_time)s on time of %(returns_due)s due") % assignments,
              tone="danger" if assignments["returns_due"] > assignments["returns_on_time"] else ""),
        *_coverage_cards(totals, links),
    ]
    return {
        "personal": False,
        "cards": cards,
        "charts": _charts(breakdown, petitions, place_overdue, place_coverage, grid_coverage, f, today, links,
                          county_wide=county_wide),
        "board": board,
        "board_total": assignments["overdue"],
        "board_url": links.assignments(state="overdue"),
        "today": today,
    }


# --- Charts --------------------------------------------------------------------------------------------------


def _point(name: str, count: int, url: str, value=None) -> dict:
    return {"name": name, "value": count if value is None else value, "count": count, "url": url}


def _months(breakdown: list[dict], f: Filters, today: dt.date) -> list[dt.date]:
    """Every month from the period's start (or the first dispute) to its end (or today), gaps included."""
    found = [row["month"] for row in breakdown]
    if not found:
        return []
    first = (f.start or min(found)).replace(day=1)
    last = max((f.end or today).replace(day=1), max(found))
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _dispute_charts(breakdown: list[dict], f: Filters, today: dt.date, links: Links) -> dict:
    kinds, levels, months = {}, {}, {}
    for row in breakdown:  # at most 9 types × 3 levels a month: aggregates, not disputes
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["count"]
        levels[row["level"]] = levels.get(row["level"], 0) + row["count"]
        months[row["month"]] = months.get(row["month"], 0) + row["count"]
    by_month = []
    for month in _months(breakdown, f, today):
        start, end = max(month, f.start) if f.start else month, min(_month_end(month), f.end or _month_end(month))
        by_month.append(_point(month.strftime("%Y-%m"), months.get(month, 0),
                               link("disputes:list", registered_from=start.isoformat(), registered_to=end.isoformat(),
                                    **links.area)))
    return {
        "disputes_kind": {
            "title": _("Disputes by type"), "kind": "hbar",
            "points": [_point(str(label), kinds.get(value, 0), links.disputes(period=True, kind=value))
                       for value, label in Dispute.Kind.choices],
        },
        "disputes_month": {"title": _("Disputes by month"), "kind": "bar", "points": by_month},
        "disputes_level": {
            "title": _("Disputes by handling level"), "kind": "pie",
            "points": [_point(str(label), levels.get(value, 0), links.disputes(period=True, level=value))
                       for value, label in Dispute.Level.choices],
        },
    }


def _petition_charts(petitions: dict, links: Links) -> dict:
    return {
        "petitions_channel": {
            "title": _("Petitions by channel"), "kind": "pie",
            "points": [_point(str(label), petitions["channels"][value], links.petitions(period=True, channel=value))
                       for value, label in Petition.Channel.choices],
        },
        "petitions_form": {
            "title": _("Petitions by form"), "kind": "hbar",
            "note": _("A petition can have several forms (a collective petition can also be a repeat one)."),
            "points": [_point(str(label), petitions["forms"][value], links.petitions(period=True, form=value))
                       for value, label in Petition.Form.choices],
        },
    }


def _coverage_chart(title: str, rows: list[dict], level: str, f: Filters) -> dict:
    """Shares visited in 30 and 90 days (percent); each point links to the households visited, its ``count``."""

    def point(row, days):
        # A village's figure within a chosen grid counts that grid's households only: the link keeps the grid.
        if level == "grid":
            area = {"grid": row["key"]}
        elif level == "township":
            area = {"township": row["key"]}
        else:
            area = {"village": row["key"], "grid": f.grid}
        share = row[f"share_{days}"]
        return _point(row["label"], row[f"visited_{days}"],
                      link("households:list", **area, visited_within=days),
                      value=None if share is None else round(share * 100, 1))

    return {
        "title": title, "kind": "coverage", "unit": "%", "series": [_("30 days"), _("90 days")],
        "rows": [{"name": row["label"], "cells": [point(row, 30), point(row, 90)]} for row in rows],
    }


def _charts(breakdown, petitions, place_overdue, place_coverage, grid_coverage, f: Filters, today, links, *,
            county_wide: bool = False) -> dict:
    charts = {**_dispute_charts(breakdown, f, today, links), **_petition_charts(petitions, links)}
    if county_wide:
        charts["overdue_township"] = {
            "title": _("Overdue assignments by township"), "kind": "hbar", "tone": "danger",
            "points": [_point(row["township_name"], row["overdue"],
                              links.assignments(state="overdue", township=row["township_id"]))
                       for row in place_overdue],
        }
        charts["coverage_township"] = _coverage_chart(_("Visit coverage by township"), place_coverage, "township", f)
    else:
        no_village = _("No village")
        charts["overdue_village"] = {
            "title": _("Overdue assignments by village"), "kind": "hbar", "tone": "danger",
            "points": [_point(row["village_name"] or no_village, row["overdue"],
                              links.assignments(state="overdue", village=row["village_id"] or "null"))
                       for row in place_overdue],
        }
        charts["coverage_village"] = _coverage_chart(_("Visit coverage by village"), place_coverage, "village", f)
    grids = sorted(grid_coverage, key=lambda r: (r["share_90"] or 0, r["share_30"] or 0, r["village_name"]))
    grids = [{**row, "label": row["grid_name"] if f.village else (
        f"{row['township_name']} {row['village_name']} {row['grid_name']}" if county_wide
        else f"{row['village_name']} {row['grid_name']}")} for row in grids]
    title = _("Visit coverage by grid")
    if len(grids) > GRID_CHART_SIZE:
        title = _("Visit coverage: the %(count)s grids with the lowest") % {"count": GRID_CHART_SIZE}
    charts["coverage_grid"] = _coverage_chart(title, grids[:GRID_CHART_SIZE], "grid", f)
    return charts


# --- Cache ---------------------------------------------------------------------------------------------------


def cache_key(user, f: Filters, today: dt.date) -> str:
    """The user (the cases they lead reach beyond their scope), their scope as it is now, the filters, the day and
    the language: two requests share figures only when all of these are the same."""
    scope = scope_of(user)
    parts = {
        "user": user.pk, "scope": [scope.kind, scope.township_id, sorted(scope.township_ids), sorted(scope.village_ids), sorted(scope.grid_ids),
                                   scope.household_head_id],
        "filters": f.key(), "today": today.isoformat(), "lang": translation.get_language(),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"dashboards:v1:{digest}"


@contextmanager
def _without_jit():
    """PostgreSQL's JIT compiles the dashboard's conditional counts for longer than they take to run: on the
    township dataset the household figures took 1.27 s with it and 0.15 s without. JIT pays for long analytical
    queries, not for these; it is turned off for this transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def dashboard(user, f: Filters, *, today: dt.date | None = None) -> dict:
    """The dashboard of ``user`` for ``f``, from the cache when it is there (``DASHBOARD_CACHE_SECONDS``)."""
    today = today or timezone.localdate()
    key = cache_key(user, f, today)
    result = cache.get(key)
    if result is None:
        with _without_jit():
            result = (personal if is_personal(user) else full)(user, f, today)
        cache.set(key, result, settings.DASHBOARD_CACHE_SECONDS)
    return result
