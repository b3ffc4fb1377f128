"""Demo hazards: a few dozen per township, in every state (待核实 … 已销号, 已移交, 管控中), walked with the real
transitions (casework/rectification.py), with failed re-checks, a 回头看 that reopened one, overdue ones and 重大 ones
under red 挂牌督办 with their 五落实; some reported by the demo 联户长."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casework import rectification as engine
from casework.models import ResponsibilityAssignment
from casework.services import assignment_for
from governance.demo import DemoContext

from .catalogue import ensure_fields
from .models import ControlPlan, Hazard
from .services import hazard_recheck, hazard_register, hazard_report_completion, hazard_verify

S = Hazard.Status
PER_HOUSEHOLDS = 40
MAX_HAZARDS = 120

STORIES = {
    "fire": ("{a}家厨房电线私拉乱接，插座有烧焦痕迹", "更换老化线路，加装漏电保护器"),
    "gas": ("{a}家液化气罐放置在灶台下方，无减压阀", "液化气罐移至通风处，加装减压阀和软管卡箍"),
    "traffic": ("村道急弯处无警示标志和防护栏", "设置急弯警示牌，安装波形护栏"),
    "self-built": ("{a}家自建房墙体开裂，屋面渗漏", "委托鉴定，加固墙体，翻修屋面"),
    "fireworks": ("小卖部违规存放烟花爆竹", "清理超量存放的烟花爆竹，张贴禁售告示"),
    "food-drugs": ("小卖部销售过期食品", "下架过期食品，建立进货台账"),
    "equipment": ("{a}家电梯式提升机无检验标志", "停用提升机，联系特种设备检验"),
    "forest-fire": ("林区边缘焚烧秸秆", "劝导停止焚烧，设置防火宣传牌"),
    "geology": ("{a}家房后边坡有裂缝", "设置监测桩，雨季专人巡查"),
    "drowning": ("村口山坪塘无警示牌和救生设施", "设置警示牌，配备救生圈和竹竿"),
    "environment": ("河道堆放生活垃圾", "清运垃圾，设置垃圾收集点"),
}
# The states and how many of each, in the order they are walked (some of every state).
STATE_SHARES = [(S.PENDING, 3), (S.RECTIFYING, 4), (S.RECHECK, 2), (S.CLOSEOUT, 2), (S.CLOSED, 6), (S.TRANSFERRED, 1),
                (S.CONTROLLED, 1)]
DEPARTMENTS = ["县住建局", "县应急管理局", "县消防救援大队", "县市场监管局"]


def seed(ctx: DemoContext) -> None:
    states = [state for state, n in STATE_SHARES for _ in range(n)]
    count = min(MAX_HAZARDS, max(len(states), ctx.households // PER_HOUSEHOLDS))
    users = ctx.users
    worker, staff, leader, cadre = users["grid"], users["staff"], users["leader"], users["cadre"]
    fields = ensure_fields()
    households = ctx.extra.get("households", [])
    grid = users["grid"].grids.first()
    made = []
    for i in range(count):
        state = states[i % len(states)]
        code = ctx.rng.choice(list(STORIES))
        text, measures = STORIES[code]
        household = ctx.rng.choice(households) if households else None
        hazard_grid = household.grid if household is not None and i % 3 else grid
        if household is not None and household.grid_id != hazard_grid.pk:
            household = None
        major = i % 6 == 1  # 重大: a house or a slope
        if major:
            code = ctx.rng.choice(["self-built", "geology"])
            text, measures = STORIES[code]
        by = users["head"] if i % 9 == 0 and hazard_grid.pk == grid.pk else worker
        found_on = ctx.today - dt.timedelta(days=ctx.rng.randint(3, 60))
        hazard = hazard_register(by=by, data={
            "village": hazard_grid.village, "grid": hazard_grid, "household": household,
            "place": "" if household else ctx.rng.choice(["村口", "村委会旁", "三组路口", "河边"]),
            "field": fields[code], "grade": Hazard.Grade.MAJOR if major else Hazard.Grade.GENERAL,
            "source": ctx.rng.choice(Hazard.Source.values), "party_kind": Hazard.PartyKind.HOUSEHOLD,
            "party_name": household.head_name if household is not None else f"{hazard_grid.village.name}村委会",
            "party_phone": ctx.mobile(), "description": text.format(a=household.head_name if household else "某户"),
            "found_on": found_on,
        })
        _walk(ctx, hazard, state, measures, worker=worker, staff=staff, leader=leader,
              cadre=cadre, index=i)
        made.append(hazard)
    _overdue(ctx, made)
    ctx.extra["hazards"] = made
    ctx.log.append(f"{len(made)} hazards")


def _walk(ctx, hazard, state, measures, *, worker, staff, leader, cadre, index) -> None:
    # The demo's today may differ from the clock's (--today): what happened is dated no later than either, deadlines
    # are set no earlier than either (the transitions check both against the clock).
    clock = timezone.localdate()
    today, ahead = min(ctx.today, clock), max(ctx.today, clock)
    if state == S.PENDING:
        return
    if state not in (S.TRANSFERRED, S.CONTROLLED) or index % 2:  # a side exit may also come straight from 待核实
        hazard_verify(hazard=hazard, by=staff, grade=hazard.grade, handling=Hazard.Handling.DEADLINE,
                      requirement=measures, deadline=ahead + dt.timedelta(days=ctx.rng.randint(3, 20)),
                      lead=cadre if index % 2 else leader, responsible_unit="镇安办", team=[worker])
    if hazard.is_major:
        ControlPlan.objects.filter(case=hazard).update(
            measures=measures, owner="镇分管安全副镇长", funds=f"{ctx.rng.randint(1, 20)}万元",
            time_limit=ahead + dt.timedelta(days=30), contingency="汛期专人值守，险情时立即转移群众",
            reported_up_on=hazard.found_on + dt.timedelta(days=1))
    if state == S.TRANSFERRED:
        engine.rectification_transfer(case=hazard, by=staff, to=ctx.rng.choice(DEPARTMENTS),
                                      receipt=f"移交回执{today.year}-{index:03d}", on=today)
        return
    if state == S.CONTROLLED:
        engine.rectification_control(case=hazard, by=staff, measures="设置警示标志，雨季专人巡查", review_every_days=30)
        return
    if state == S.RECTIFYING:
        return
    hazard_report_completion(hazard=hazard, by=worker, done_on=today, measures=measures, cost=ctx.rng.randint(0, 3000))
    if state == S.RECHECK:
        return
    if index % 5 == 0:  # failed the first re-check, rectified again
        hazard_recheck(hazard=hazard, by=staff, on=today, passed=False, note="整改不彻底，仍有隐患",
                       new_deadline=ahead + dt.timedelta(days=5))
        hazard_report_completion(hazard=hazard, by=worker, done_on=today, measures=f"{measures}（二次整改）")
    hazard_recheck(hazard=hazard, by=staff, on=today, passed=True, note="整改到位")
    if state == S.CLOSEOUT:
        if index % 2:
            hazard.request_closeout(by=worker, note="申请销号")
        return
    hazard.request_closeout(by=worker)
    hazard.decide_closeout(by=leader, approve=True, comment="同意销号")
    if index % 7 == 0:
        engine.rectification_look_back(case=hazard, by=leader, on=today, finding="回头看：整改到位，未反弹")


def _overdue(ctx, made) -> None:
    """Some hazards being rectified are past their deadline (moved back, as time would have)."""
    late = [h for h in made if h.status == S.RECTIFYING][::2]
    for hazard in late:
        past = ctx.today - dt.timedelta(days=ctx.rng.randint(1, 10))
        Hazard.objects.filter(pk=hazard.pk).update(deadline=past)
        assignment = assignment_for(hazard)
        if assignment is not None:
            ResponsibilityAssignment.objects.filter(pk=assignment.pk).update(deadline=past)
