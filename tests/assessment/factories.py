"""A scheme for 联户长 with computed and manual items, and its runs made through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assessment import services
from assessment.models import Item, Run, Scheme, period_bounds

M, D, R = Item.Metric, Item.Duty, Item.Rule

ITEMS = [
    (D.COLLECT, "联系户走访覆盖率", M.COVERAGE, R.BANDS, {"bands": [[0.95, 30], [0.6, 20], [0.3, 10]]}, 30),
    (D.COLLECT, "上报及时率", M.REPORT_TIMELINESS, R.BANDS, {"bands": [[0.95, 10], [0.5, 5]]}, 10),
    (D.PUBLICISE, "政策宣传覆盖率", M.PUBLICITY_REACH, R.BANDS, {"bands": [[0.9, 10], [0.5, 5]]}, 10),
    (D.MEDIATE, "发现并上报", M.REPORTS, R.PER_EVENT, {"points": 2, "cap": 10}, 10),
    (D.MEDIATE, "集体访越级访", M.PETITIONS, R.DEDUCTION, {"points": 5, "cap": 10}, 10),
    (D.SERVE, "按期关爱率", M.CADENCE, R.BANDS, {"bands": [[0.95, 10], [0.5, 5]]}, 10),
    (D.SERVE, "群众满意率", M.SATISFACTION, R.BANDS, {"bands": [[0.9, 20], [0.6, 10]]}, 20),
    (D.BONUS, "培训学时", M.TRAINING, R.PER_EVENT, {"points": 1, "cap": 5}, 5),
]


def make_scheme(township, *, created_by, approved_by=None, period="month", manual=True, **kwargs) -> Scheme:
    scheme = Scheme.objects.create(
        township=township, name="联户长“四员”考核办法", subject_kind="head", period=period,
        star_bands=[[90, 5], [80, 4], [70, 3], [60, 2]], effective_from=dt.date(2026, 1, 1), created_by=created_by,
        **kwargs)
    for position, (duty, name, metric, rule, params, points) in enumerate(ITEMS, start=1):
        Item.objects.create(scheme=scheme, position=position, duty=duty, name=name, kind="computed", metric=metric,
                            rule=rule, params=params, max_points=Decimal(points))
    if manual:
        Item.objects.create(scheme=scheme, position=20, duty=D.DISCIPLINE, name="遵守纪律", kind="manual",
                            rule=R.DEDUCTION, max_points=Decimal(10))
        Item.objects.create(scheme=scheme, position=21, duty=D.BONUS, name="受表彰", kind="manual",
                            rule=R.PER_EVENT, max_points=Decimal(5))
    if approved_by is not None:
        scheme.approve(by=approved_by)
    return scheme


def make_runs(world, *, day=None, scheme=None) -> dict[int, Run]:
    """The runs of every 联户长 of the world's township for the month of ``day`` (default: today), by head id."""
    from django.utils import timezone

    scheme = scheme or make_scheme(world.township, created_by=world.users["staff"],
                                   approved_by=world.users["supervisor"])
    day = day or timezone.localdate()
    services.runs_create(scheme=scheme, day=day, by=world.users["staff"])
    start = period_bounds(scheme.period, day)[0]
    return {run.head_id: run for run in Run.objects.filter(scheme=scheme, period_start=start)}


def publish(run: Run, world) -> Run:
    services.run_submit(run=run, by=world.users["staff"])
    services.run_approve(run=run, by=world.users["supervisor"])
    run.refresh_from_db()
    return run
