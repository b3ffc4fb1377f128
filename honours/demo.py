"""Demo 红黑榜: a published monthly list of villages by visit coverage (reasons written, approved by the supervisor,
follow-ups for the black entries), a grid list awaiting the supervisor's approval, and the first village's household
hygiene 评比 with its score sheets, published at village level."""

from __future__ import annotations

import datetime as dt

from governance.demo import DemoContext
from households.models import Household

from . import services
from .models import HygieneInspection, ListDefinition

DAY = dt.timedelta(days=1)
NOTES = "红榜村在全镇通报表彰，组织观摩学习；黑榜村制定整改方案，限期整改，整改情况纳入下期评比。"


def _reasons(issue, red: str, black: str) -> None:
    services.entries_reasons_set(issue=issue, reasons={
        e.pk: (red if e.board == "red" else black).format(label=e.label, display=e.display)
        for e in issue.ranked()})


def seed(ctx: DemoContext) -> None:
    staff, leader = ctx.users["staff"], ctx.users["leader"]
    villages = ListDefinition.objects.create(
        township=ctx.township, name="村级走访覆盖红黑榜", subject=ListDefinition.Subject.VILLAGE, metric="coverage_90",
        period=ListDefinition.Period.MONTH, red_count=3, black_count=3, min_denominator=10, notes=NOTES,
        created_by=staff)
    start, end = villages.period_of(ctx.today)
    issue = services.issue_draft(definition=villages, by=staff, start=start, end=end, today=ctx.today - 2 * DAY)
    _reasons(issue, "90天内走访覆盖{display}，联户长入户走访扎实",
             "90天内走访覆盖{display}，部分农户长期未走访，需补访到户")
    issue.submit(by=staff)
    services.issue_approve(issue=issue, by=leader, today=ctx.today - DAY)

    grids = ListDefinition.objects.create(
        township=ctx.township, name="网格走访覆盖红黑榜", subject=ListDefinition.Subject.GRID, metric="coverage_90",
        period=ListDefinition.Period.MONTH, red_count=5, black_count=5, min_denominator=10, created_by=staff)
    pending = services.issue_draft(definition=grids, by=staff, start=start, end=end, today=ctx.today)
    _reasons(pending, "90天内走访覆盖{display}", "90天内走访覆盖{display}，需补访")
    pending.submit(by=staff)

    village = ctx.villages[0]
    hygiene = ListDefinition.objects.create(
        township=ctx.township, village=village, name=f"{village.name}农户环境卫生红黑榜",
        subject=ListDefinition.Subject.HOUSEHOLD, metric="hygiene", period=ListDefinition.Period.MONTH,
        red_count=5, black_count=3, min_denominator=1, follow_up_days=7,
        notes="红榜户发放流动红旗；黑榜户由联户长督促，7日内整改到位。", created_by=staff)
    households = list(Household.objects.filter(grid__village=village).order_by("pk")[:30])
    inspector = ctx.users["village"]
    rng = ctx.rng
    for household in households:
        HygieneInspection.objects.create(
            household=household, inspected_on=start + rng.randint(0, (end - start).days) * DAY, inspector=inspector,
            **{name: rng.choice([8, 12, 15, 18, 20]) for name, _label in HygieneInspection.ITEMS})
    issue = services.issue_draft(definition=hygiene, by=staff, start=start, end=end, today=ctx.today - 2 * DAY)
    _reasons(issue, "庭院整洁，垃圾分类到位", "房前屋后杂物堆放，垃圾未分类")
    issue.submit(by=staff)
    services.issue_approve(issue=issue, by=leader, today=ctx.today - DAY)
    ctx.log.append(f"3 red and black list rules, {len(households)} hygiene score sheets")
