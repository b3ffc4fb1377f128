"""Demo 排查 rounds: a 安全隐患 大排查 whose return date is past, with returns on time and late, 零报告 and findings,
and one village silent; and the half-monthly 矛盾纠纷排查 with the disputes found linked to the returns."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from governance.demo import DemoContext

from . import rounds
from .models import Campaign

HAZARD_FIELDS = ["用火用电/消防", "燃气", "农村自建房", "道路交通", "防溺水"]
HAZARD_FINDINGS = ["电动车楼道充电1处，已现场整改", "老旧电线私拉乱接2处，已告知限期整改", "自建房墙体开裂1户，已上报住建办"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def _submitter(ctx: DemoContext, village):
    """The first village has a village cadre login, the second its 包村干部; the centre enters the others' returns."""
    if village.pk == ctx.villages[0].pk:
        return ctx.users["village"]
    return ctx.users["cadre"] if village.pk == ctx.villages[1].pk else ctx.users["staff"]


def seed(ctx: DemoContext) -> None:
    staff, today, rng = ctx.users["staff"], ctx.today, ctx.rng
    hazards = rounds.campaign_create(
        by=staff, township=ctx.township, kind=Campaign.Kind.HAZARDS, title="冬季安全隐患大排查",
        villages=ctx.villages, topics=HAZARD_FIELDS, starts_on=today - dt.timedelta(days=20),
        ends_on=today - dt.timedelta(days=6), returns_due=today - dt.timedelta(days=5),
        checklist="逐户查看用电线路、燃气灶具和热水器、房屋墙体；沿河沿塘查看警示牌和救生设施。",
    )
    returns = list(hazards.returns.select_related("village", "campaign").order_by("village__name"))
    for i, ret in enumerate(returns):
        if ret.village_id == ctx.villages[0].pk:
            continue  # the demo village cadre's village says nothing: it shows red, and the return waits for them
        late = i % 6 == 5
        day = hazards.returns_due + dt.timedelta(days=2) if late else hazards.returns_due - dt.timedelta(days=i % 3)
        zero = i % 3 == 0
        rounds.return_submit(
            ret=ret, by=_submitter(ctx, ret.village), checked_count=rng.randint(40, 160),
            checked_note="全村农户及沿街商铺",
            zero_report=zero, found_note="" if zero else rng.choice(HAZARD_FINDINGS), now=_at(day, 16),
        )

    disputes = rounds.campaign_create(
        by=staff, township=ctx.township, kind=Campaign.Kind.DISPUTES, title=f"{today.month}月上半月矛盾纠纷排查",
        villages=ctx.villages, topics=["邻里纠纷", "婚姻家庭", "土地/山林权属"],
        starts_on=today - dt.timedelta(days=20), ends_on=today - dt.timedelta(days=3),
        returns_due=today - dt.timedelta(days=3),
    )
    links = rounds.links_for(disputes)
    for i, ret in enumerate(disputes.returns.select_related("village", "campaign").order_by("village__name")):
        by = _submitter(ctx, ret.village)
        found = {link.key: [c.pk for c in rounds.candidates(ret, by, link)[:2]] for link in links} if i % 2 else {}
        late = i % 5 == 4
        day = disputes.returns_due + dt.timedelta(days=1) if late else disputes.returns_due - dt.timedelta(days=1)
        rounds.return_submit(
            ret=ret, by=by, checked_count=rng.randint(30, 120), checked_note="走访农户、排查矛盾隐患",
            zero_report=not any(found.values()), found=found, now=_at(day, 17),
        )
    ctx.log.append("2 screening rounds (安全隐患, 矛盾纠纷) with their returns")
