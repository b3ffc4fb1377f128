"""The registry's figures as scoped SQL aggregates: visit coverage, the households not visited or past their care
cadence, special-group counts. Every function starts from ``visible_to(user)``; the dashboards compose them.

"Visited in the last N days" means a visit dated on or after ``today - N days``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from governance.models import Grid, Township, Village

from .models import Demand, Household, Resident, Tag
from .permissions import visible_tags

WINDOWS = (30, 90)
LEVELS = {
    # level: (grouping key, label fields)
    "village": ("grid__village", ("grid__village__name",)),
    "grid": ("grid", ("grid__village__name", "grid__name")),
    "head": ("household_head", ("grid__village__name", "grid__name", "household_head__name")),
}
CARING = (Tag.Category.SPECIAL, Tag.Category.POVERTY_WATCH)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def visited_since(since: dt.date) -> Q:
    """For a Household queryset: was the household visited on or after ``since``? (Its last visit, kept on the row:
    households/lastvisit.py.)"""
    return Q(last_visited_on__gte=since)


def last_visit_on() -> F:
    return F("last_visited_on")


def has_tag(*, codes=None, categories=None) -> Exists | Q:
    """The household, or one of its members, carries one of these tags."""
    tag_q = Q()
    if codes is not None:
        tag_q &= Q(tag__code__in=list(codes))
    if categories is not None:
        tag_q &= Q(tag__category__in=list(categories))
    on_household = Household.tags.through.objects.filter(tag_q, household=OuterRef("pk"))
    on_member = Resident.tags.through.objects.filter(tag_q, resident__household=OuterRef("pk"))
    return Exists(on_household) | Exists(on_member)


def coverage(user, *, level: str = "village", today: dt.date | None = None) -> list[dict]:
    """Per village, grid or household head: households, how many were visited in the last 30 and 90 days, shares."""
    key, labels = LEVELS[level]
    today = _today(today)
    windows = {f"visited_{days}": Count("pk", filter=visited_since(today - dt.timedelta(days=days)))
               for days in WINDOWS}
    rows = (
        Household.objects.visible_to(user).order_by().values(key, *labels)
        .annotate(households=Count("pk"), **windows).order_by(*labels)
    )
    result = []
    for row in rows:
        row["key"] = row.pop(key)
        for days in WINDOWS:
            row[f"share_{days}"] = row[f"visited_{days}"] / row["households"] if row["households"] else 0.0
        result.append(row)
    return result


def coverage_total(user, *, today: dt.date | None = None) -> dict:
    today = _today(today)
    windows = {f"visited_{days}": Count("pk", filter=visited_since(today - dt.timedelta(days=days)))
               for days in WINDOWS}
    row = Household.objects.visible_to(user).order_by().aggregate(households=Count("pk"), **windows)
    for days in WINDOWS:
        row[f"share_{days}"] = row[f"visited_{days}"] / row["households"] if row["households"] else 0.0
    return row


def households_not_visited(user, *, days: int = 90, today: dt.date | None = None):
    """Households with no visit in ``days`` days, special groups first, the longest unvisited first."""
    since = _today(today) - dt.timedelta(days=days)
    return (
        Household.objects.visible_to(user)
        .filter(~visited_since(since))
        .annotate(
            last_visit=last_visit_on(),
            is_special=Case(When(has_tag(categories=CARING), then=Value(1)), default=Value(0),
                            output_field=IntegerField()),
        )
        .order_by("-is_special", F("last_visit").asc(nulls_first=True), "pk")
    )


def households_past_cadence(user, *, today: dt.date | None = None, cadence: dict[str, int] | None = None):
    """Households that carry a tag with a care cadence and were not visited within it; ``cadence`` is annotated
    with the tightest cadence (in days) that is overdue."""
    today = _today(today)
    cadence = settings.CARE_CADENCE_DAYS if cadence is None else cadence
    whens = [
        When(has_tag(codes=[code]) & ~visited_since(today - dt.timedelta(days=days)), then=Value(days))
        for code, days in sorted(cadence.items(), key=lambda item: item[1])
    ]
    if not whens:
        return Household.objects.none()
    return (
        Household.objects.visible_to(user)
        .annotate(cadence=Case(*whens, default=None, output_field=IntegerField()))
        .filter(cadence__isnull=False)
        .annotate(last_visit=last_visit_on())
        .order_by("cadence", F("last_visit").asc(nulls_first=True), "pk")
    )


def special_group_counts(user) -> list[dict]:
    """Residents and households per tag in the user's scope (a household counts when it or a member carries the
    tag); focus tags only for those who may see them."""
    residents = Resident.objects.visible_to(user)
    households = Household.objects.visible_to(user)
    per_resident = dict(
        Resident.tags.through.objects.filter(resident__in=residents.values("pk")).order_by()
        .values("tag").annotate(n=Count("resident", distinct=True)).values_list("tag", "n")
    )
    # (tag, household) pairs from members and from households; UNION drops the duplicates.
    pairs = Resident.tags.through.objects.filter(resident__in=residents.values("pk")).annotate(
        pair_tag=F("tag_id"), pair_household=F("resident__household_id")
    ).values_list("pair_tag", "pair_household").union(
        Household.tags.through.objects.filter(household__in=households.values("pk")).annotate(
            pair_tag=F("tag_id"), pair_household=F("household_id")
        ).values_list("pair_tag", "pair_household")
    )
    sql, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pair_tag, COUNT(*) FROM ({sql}) pairs GROUP BY pair_tag", params)
        per_household = dict(cursor.fetchall())
    return [
        {"tag": t, "code": t.code, "name": t.name, "residents": per_resident.get(t.pk, 0),
         "households": per_household.get(t.pk, 0)}
        for t in visible_tags(user)
    ]


# --- For the dashboards -----------------------------------------------------------------------------------
# One statement counts the area's households per grid from one index (households_household_coverage): each household's
# last visit and its tightest care cadence are kept on its row (households/lastvisit.py, households/summary.py), so
# nothing is aggregated over the visits or tested against the tags on a view, and the grids' and villages' names are
# joined to the counted grids, not to every household. (A join of a year of visits, then a subquery per household for
# its tags, then every household's tags tested against each cadence were most of the county dashboard's time:
# docs/benchmarks.md.)


def in_area(queryset, *, village=None, grid=None, township=None):
    """Households of one grid, one village or one township (the dashboards' area filter; ids or objects)."""
    if grid is not None:
        return queryset.filter(grid=grid)
    if village is not None:
        return queryset.filter(grid__village=village)
    if township is not None:
        return queryset.filter(grid__village__township=township)
    return queryset


def _minus_cadence() -> str:
    """The day before which a household is past its care cadence: today minus its cadence in days."""
    if connection.vendor == "postgresql":
        return "%s::date - care_cadence"
    return "date(%s, '-' || care_cadence || ' days')"  # SQLite (make run)


def dashboard_by_grid(user, *, village=None, grid=None, township=None, today: dt.date | None = None) -> list[dict]:
    """One query, per grid: grid, grid__village, grid_name, village_name, township, township_name, households, visited in the last 30 and 90
    days (``visited_30``, ``visited_90``, as ``visited_since``) and past their care cadence (``past_cadence``, as
    ``households_past_cadence`` with ``settings.CARE_CADENCE_DAYS``, read from ``care_cadence``). The dashboards add
    grids up into villages and totals."""
    today = _today(today)
    area = in_area(Household.objects.visible_to(user), village=village, grid=grid, township=township).order_by()
    inner, params = area.values("grid_id", "last_visited_on", "care_cadence").query.sql_with_params()
    grid_table, village_table, township_table = Grid._meta.db_table, Village._meta.db_table, Township._meta.db_table
    sql = (
        "SELECT g.id, g.village_id, g.name, v.name, t.id, t.name,"
        " c.households, c.visited_30, c.visited_90, c.past_cadence FROM ("
        " SELECT grid_id, COUNT(*) AS households,"
        " COUNT(*) FILTER (WHERE last_visited_on >= %s) AS visited_30,"
        " COUNT(*) FILTER (WHERE last_visited_on >= %s) AS visited_90,"
        " COUNT(*) FILTER (WHERE care_cadence IS NOT NULL"
        f"  AND (last_visited_on IS NULL OR last_visited_on < {_minus_cadence()})) AS past_cadence"
        f" FROM ({inner}) households GROUP BY grid_id) c"
        f' JOIN "{grid_table}" g ON g.id = c.grid_id JOIN "{village_table}" v ON v.id = g.village_id'
        f' JOIN "{township_table}" t ON t.id = v.township_id'
        " ORDER BY v.name, g.name"
    )
    since = [today - dt.timedelta(days=days) for days in WINDOWS]
    days = [*since, today]
    if connection.vendor != "postgresql":  # SQLite (make run) keeps dates as ISO text
        days = [day.isoformat() for day in days]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*days, *params])
        rows = cursor.fetchall()
    names = ["grid", "grid__village", "grid_name", "village_name", "township", "township_name", "households",
             "visited_30", "visited_90", "past_cadence"]
    return [dict(zip(names, row, strict=True)) for row in rows]


def demand_summary(user, *, village=None, grid=None, township=None, today: dt.date | None = None) -> dict:
    """诉求 figures as of today, one query: 在办 (open), 逾期 (being handled past the deadline), 已销号 (closed) of all
    demands (handed-over ones, another body's, left out of the 销号率). The demand list's ``state=open``,
    ``state=overdue`` and ``status=closed`` show exactly these rows."""
    from casework.rectification import OPEN_STATUSES  # noqa: N817
    from casework.rectification import RectificationStatus as S

    today = _today(today)
    qs = Demand.objects.visible_to(user)
    if grid is not None:
        qs = qs.filter(grid=grid)
    elif village is not None:
        qs = qs.filter(grid__village=village)
    elif township is not None:
        qs = qs.filter(township=township)
    row = qs.order_by().aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status=S.RECTIFYING, deadline__lt=today)),
        closed=Count("pk", filter=Q(status=S.CLOSED)),
        counted=Count("pk", filter=~Q(status=S.TRANSFERRED)),
    )
    row["closed_rate"] = row["closed"] / row["counted"] if row["counted"] else None
    return row
