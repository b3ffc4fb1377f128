"""Figures of hazards: one scoped SQL aggregate grouped by field and village, summed here into the totals. Each figure
comes with the link to the hazard list whose count it is.

Definitions ("now" figures ignore the period; rates count the hazards found in the period):
- 在办 (open): 待核实, 整改中, 待复查, 待销号. 逾期未整改 (overdue): 整改中 past the deadline. 重大在办: open and 重大.
- 整改率 (rectification rate) of a grade = hazards rectified (re-check passed: 待销号 or 已销号) / hazards of that
  grade, handed-over ones (已移交, another body's) left out; against the targets ``HAZARDS_TARGET_GENERAL`` (95%)
  and ``HAZARDS_TARGET_MAJOR`` (100%).
- 复查一次通过率 (first-time pass rate) = hazards whose round-1 re-check passed / hazards re-checked in round 1.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from casework.rectification import OPEN_STATUSES, RECTIFIED_STATUSES, RectificationStatus

from .models import Hazard, Recheck

S = RectificationStatus
GENERAL, MAJOR = Hazard.Grade.GENERAL, Hazard.Grade.MAJOR


def link(**params) -> str:
    query = urlencode([(k, str(v)) for k, v in params.items() if v not in (None, "")])
    return reverse("hazards:list") + (f"?{query}" if query else "")


def _iso(day):
    return day.isoformat() if day else None


def rows(user, *, start=None, end=None, village=None, grid=None, township=None, today=None) -> list[dict]:
    """Counts per (field, village): one query."""
    today = today or timezone.localdate()
    qs = Hazard.objects.visible_to(user)
    if grid:
        qs = qs.filter(grid=grid)
    elif village:
        qs = qs.filter(village=village)
    elif township:
        qs = qs.filter(township=township)
    period = Q()
    if start:
        period &= Q(found_on__gte=start)
    if end:
        period &= Q(found_on__lte=end)
    counted = period & ~Q(status=S.TRANSFERRED)
    rectified = Q(status__in=RECTIFIED_STATUSES)
    first = Recheck.objects.filter(case=OuterRef("pk"), round=1)
    qs = qs.annotate(first_checked=Exists(first), first_passed=Exists(first.filter(passed=True)))
    return list(
        qs.order_by().values("field", "field__name", "field__position", "village", "village__name").annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status=S.RECTIFYING, deadline__lt=today)),
            major_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, grade=MAJOR)),
            general_total=Count("pk", filter=counted & Q(grade=GENERAL)),
            general_rectified=Count("pk", filter=counted & rectified & Q(grade=GENERAL)),
            major_total=Count("pk", filter=counted & Q(grade=MAJOR)),
            major_rectified=Count("pk", filter=counted & rectified & Q(grade=MAJOR)),
            first_checked_n=Count("pk", filter=period & Q(first_checked=True)),
            first_passed_n=Count("pk", filter=period & Q(first_passed=True)),
        )
    )


COUNTS = ("open", "overdue", "major_open", "general_total", "general_rectified", "major_total", "major_rectified",
          "first_checked_n", "first_passed_n")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def summary(user, *, start=None, end=None, village=None, grid=None, township=None, today=None) -> dict:
    """Totals, by field and by village, each figure with its list link (the list shows exactly that count)."""
    found = rows(user, start=start, end=end, village=village, grid=grid, township=township, today=today)
    totals = {name: sum(r[name] for r in found) for name in COUNTS}
    area = {"grid": grid} if grid else ({"village": village} if village or not township else {"township": township})
    period = {"found_from": _iso(start), "found_to": _iso(end)}
    by_field: dict[int, dict] = {}
    by_village: dict[int, dict] = {}
    for r in found:
        f = by_field.setdefault(r["field"], {"name": r["field__name"], "position": r["field__position"], "open": 0,
                                             "url": link(field=r["field"], open="yes", **area)})
        f["open"] += r["open"]
        v = by_village.setdefault(r["village"], {"name": r["village__name"], "open": 0, "overdue": 0,
                                                 "url": link(village=r["village"], open="yes"),
                                                 "overdue_url": link(village=r["village"], overdue="yes")})
        v["open"] += r["open"]
        v["overdue"] += r["overdue"]
    general_rate = _share(totals["general_rectified"], totals["general_total"])
    major_rate = _share(totals["major_rectified"], totals["major_total"])
    return {
        **totals,
        "general_rate": general_rate, "major_rate": major_rate,
        "general_target": settings.HAZARDS_TARGET_GENERAL, "major_target": settings.HAZARDS_TARGET_MAJOR,
        "general_below": general_rate is not None and general_rate < settings.HAZARDS_TARGET_GENERAL,
        "major_below": major_rate is not None and major_rate < settings.HAZARDS_TARGET_MAJOR,
        "first_pass_rate": _share(totals["first_passed_n"], totals["first_checked_n"]),
        "general_percent": _percent(general_rate), "major_percent": _percent(major_rate),
        "first_pass_percent": _percent(_share(totals["first_passed_n"], totals["first_checked_n"])),
        "general_target_percent": _percent(settings.HAZARDS_TARGET_GENERAL),
        "major_target_percent": _percent(settings.HAZARDS_TARGET_MAJOR),
        "urls": {
            "open": link(open="yes", **area),
            "overdue": link(overdue="yes", **area),
            "major_open": link(grade=MAJOR, open="yes", **area),
            "general_rectified": link(grade=GENERAL, rectified="yes", handed_over="no", **area, **period),
            "general_total": link(grade=GENERAL, handed_over="no", **area, **period),
            "major_rectified": link(grade=MAJOR, rectified="yes", handed_over="no", **area, **period),
            "major_total": link(grade=MAJOR, handed_over="no", **area, **period),
            "first_passed_n": link(first_recheck="passed", **area, **period),
            "first_checked_n": link(first_recheck="done", **area, **period),
        },
        "by_field": sorted(by_field.values(), key=lambda f: f["position"]),
        "by_village": sorted(by_village.values(), key=lambda v: (-v["open"], v["name"])),
    }


def parse_filters(data) -> dict:
    """start, end, village, grid, township from a query string (the dashboard's), ignoring what does not parse."""
    from core.bounds import parse_id

    def day(name):
        try:
            return dt.date.fromisoformat(data.get(name, ""))
        except ValueError:
            return None

    return {"start": day("start"), "end": day("end"), "village": parse_id(data.get("village")),
            "grid": parse_id(data.get("grid")), "township": parse_id(data.get("township"))}
