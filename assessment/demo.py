"""Demo 考核: a quarterly scheme for 联户长 (四员 + 纪律 + 加分, computed and manual items), approved by the leader; the
two quarters before last graded (定档, with allowances and 续聘 hints), last quarter in publicity with one appeal of the
demo 联户长, and 群众评议 answers sampled by the township staff for all three."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F

from governance.demo import DemoContext
from households.models import Household

from . import services
from .catalogue import STANDARD_ITEMS as ITEMS
from .catalogue import add_standard_items
from .models import Evaluation, Run, Scheme, period_bounds
from .scoring import take_snapshot

DAY = dt.timedelta(days=1)
RESULTS = [Evaluation.Result.SATISFIED] * 7 + [Evaluation.Result.FAIRLY] * 2 + [Evaluation.Result.DISSATISFIED]


def seed(ctx: DemoContext) -> None:
    staff, leader = ctx.users["staff"], ctx.users["leader"]
    this_quarter = period_bounds("quarter", ctx.today)[0]
    last = period_bounds("quarter", this_quarter - DAY)
    before = period_bounds("quarter", last[0] - DAY)
    earliest = period_bounds("quarter", before[0] - DAY)
    scheme = Scheme.objects.create(
        township=ctx.township, name=f"{ctx.township.name}联户长“四员”星级考核办法", period="quarter",
        # Demo bands sit well below the usual 90/80/70/60: the demo's visits are thin.
        star_bands=[[75, 5], [65, 4], [55, 3], [45, 2]], excellent_from=Decimal("75"), pass_from=Decimal("45"),
        effective_from=earliest[0], created_by=staff)
    add_standard_items(scheme)
    scheme.approve(by=leader)
    _evaluations(ctx, staff, [earliest, before, last])
    graded = _graded(ctx, scheme, earliest, staff, leader) + _graded(ctx, scheme, before, staff, leader)
    current = _runs(ctx, scheme, last, staff)
    for run in current:
        services.run_submit(run=run, by=staff)
        services.run_approve(run=run, by=leader)
    Run.objects.filter(pk__in=[r.pk for r in current]).update(publicity_from=ctx.today - 2 * DAY,
                                                               publicity_to=ctx.today + 3 * DAY)
    head_user = ctx.users["head"]
    mine = next((r for r in current if r.head_id == head_user.household_head_id), None)
    if mine is not None:
        mine.refresh_from_db()
        services.appeal_file(run=mine, by=head_user, text="本季度我走访了全部联系户，部分走访记录由网格员代录，请核实覆盖率。",
                              today=ctx.today)
    ctx.log.append(f"assessment scheme with {len(ITEMS)} items, {len(graded)} runs graded over two quarters, "
                   f"{len(current)} in publicity")


def _graded(ctx: DemoContext, scheme: Scheme, period, staff, leader) -> list[Run]:
    """A quarter taken through review and publicity (dated after the quarter) to 定档."""
    runs = _runs(ctx, scheme, period, staff)
    for run in runs:
        services.run_submit(run=run, by=staff)
        services.run_approve(run=run, by=leader)
    published_to = period[1] + 15 * DAY
    pks = [r.pk for r in runs]
    Run.objects.filter(pk__in=pks).update(publicity_from=period[1] + 10 * DAY, publicity_to=published_to)
    for run in Run.objects.filter(pk__in=pks).select_related("scheme"):
        allowance = {Run.Grade.EXCELLENT: Decimal("600"), Run.Grade.PASS: Decimal("400")}.get(run.grade, Decimal("0"))
        services.run_finalise(run=run, by=leader, allowance=allowance)
    Run.objects.filter(pk__in=pks).update(finalised_on=published_to + DAY)
    return runs


#: The demo assesses the 联户长 of its first villages (and the demo login's own), not every head: each run measures
#: every item over the quarter, and the demo is loaded by `make run` and by the tests.
DEMO_HEADS = 24


def _assessed(ctx: DemoContext) -> list:
    active = sorted((h for h in ctx.heads if h.status == h.Status.ACTIVE), key=lambda h: (h.grid.village_id, h.pk))
    chosen = active[:DEMO_HEADS]
    own = ctx.users["head"].household_head_id
    chosen += [h for h in active[DEMO_HEADS:] if h.pk == own]
    return chosen


def _runs(ctx: DemoContext, scheme: Scheme, period, staff) -> list[Run]:
    start, end = period
    runs = []
    for head in _assessed(ctx):
        run = Run.objects.create(
            scheme=scheme, township=ctx.township, village_id=head.grid.village_id, grid_id=head.grid_id, head=head,
            subject_name=head.name, subject_key=f"head:{head.pk}", period_start=start, period_end=end,
            created_by=staff)
        take_snapshot(run)
        runs.append(run)
    return runs


def _evaluations(ctx: DemoContext, staff, periods) -> None:
    rows = []
    households = list(Household.objects.filter(grid__village__township=ctx.township, household_head__isnull=False)
                      .annotate(head_pk=F("household_head")).values_list("pk", "head_pk"))
    by_head: dict[int, list[int]] = {}
    for pk, head in households:
        by_head.setdefault(head, []).append(pk)
    for start, end in periods:
        for head, pks in by_head.items():
            for pk in ctx.rng.sample(pks, min(3, len(pks))):
                rows.append(Evaluation(
                    township=ctx.township, head_id=head, household_id=pk, recorded_by=staff,
                    on=start + dt.timedelta(days=ctx.rng.randrange((end - start).days)),
                    way=ctx.rng.choice([Evaluation.Way.PHONE, Evaluation.Way.DOOR]), result=ctx.rng.choice(RESULTS),
                    reason=""))
    Evaluation.objects.bulk_create(rows, batch_size=1000)
