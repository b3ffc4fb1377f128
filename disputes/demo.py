"""Demo disputes: about one per 25 households, in every state and at every level, with parties from the registry,
mediators, sessions, level changes, agreements, and 包案 assignments (some overdue, some under supervision)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casework.models import case_number
from casework.services import assignment_close, assignment_create, assignment_supervise
from governance.demo import DemoContext
from households.models import Resident

from .models import Dispute, DisputeCloseOut, DisputeCounter, LevelChange, MediationSession, Mediator, Party

S, L, K = Dispute.Status, Dispute.Level, Dispute.Kind
PER_HOUSEHOLDS = 25
MAX_DISPUTES = 3000
BATCH = 2000

# (title, description, agreed terms) per type; {a} and {b} are the parties' names.
STORIES = {
    K.NEIGHBOUR: ("{a}与{b}排水沟纠纷", "{a}家修建排水沟，雨水流入{b}家院坝，双方多次争吵。",
                  "{a}于十日内将排水沟改道至公路边沟，{b}不再阻拦施工。"),
    K.FAMILY: ("{a}家赡养纠纷", "{a}年迈，子女对赡养费分担意见不一，老人生活困难。",
               "子女每月各支付赡养费三百元，轮流照料老人起居。"),
    K.LAND: ("{a}与{b}承包地界址纠纷", "{a}与{b}承包地相邻，因界桩移位对约半分地的归属发生争议。",
             "以一九九八年二轮承包时的界桩位置为准，由村组干部现场重新埋设界桩。"),
    K.EXPROPRIATION: ("{a}征地补偿纠纷", "{a}对公路建设征地的青苗补偿标准有异议，阻拦施工。",
                      "按县定标准补足青苗补偿款，施工方协助修复入户便道。"),
    K.LABOUR: ("{a}务工工资纠纷", "{a}在本村种植基地务工，被拖欠工资两个月。",
               "基地负责人于本月底前一次性结清拖欠工资。"),
    K.ENVIRONMENT: ("养殖场气味扰民纠纷", "{a}反映邻近养猪场气味和污水影响生活。",
                    "养殖场一个月内完成粪污处理设施改造，村委会监督整改。"),
    K.CONTRACT: ("{a}与{b}借款纠纷", "{b}向{a}借款未按约定归还，双方发生争执。",
                 "{b}分三期归还借款，每期于当月十五日前付清。"),
    K.DAMAGES: ("{a}家耕牛损毁庄稼纠纷", "{a}家耕牛进入{b}家玉米地，损毁庄稼约三分。",
                "{a}赔偿{b}损失八百元，今后看管好牲畜。"),
    K.OTHER: ("{a}与{b}通行纠纷", "{a}在自家地边设置障碍，影响{b}家通行。",
              "{a}拆除障碍，双方共同出资硬化通行便道。"),
}
KIND_WEIGHTS = {K.NEIGHBOUR: 30, K.FAMILY: 15, K.LAND: 20, K.EXPROPRIATION: 5, K.LABOUR: 8, K.ENVIRONMENT: 4,
                K.CONTRACT: 8, K.DAMAGES: 6, K.OTHER: 4}
# How long ago a dispute in each state was registered (days): later states are older.
AGE = {S.REGISTERED: (0, 10), S.ACCEPTED: (1, 20), S.MEDIATING: (5, 45), S.SUCCEEDED: (20, 150),
       S.FAILED: (20, 150), S.REFERRED: (30, 200), S.FOLLOWED_UP: (40, 250), S.CLOSE_REQUESTED: (45, 300),
       S.CLOSED: (50, 360)}
STATE_WEIGHTS = {S.REGISTERED: 6, S.ACCEPTED: 6, S.MEDIATING: 10, S.SUCCEEDED: 12, S.FAILED: 2, S.REFERRED: 2,
                 S.FOLLOWED_UP: 10, S.CLOSE_REQUESTED: 2, S.CLOSED: 50}
# The 到位 outcome of closed disputes (mostly 解决到位).
CLOSING_WEIGHTS = {Dispute.ClosingOutcome.RESOLVED: 80, Dispute.ClosingOutcome.EDUCATED: 12,
                   Dispute.ClosingOutcome.STABILISED: 6, Dispute.ClosingOutcome.LEGAL: 2}
MEDIATORS = ["老支书", "人民调解员", "乡贤", "法律顾问"]


def seed(ctx: DemoContext) -> None:
    count = ctx.disputes or min(MAX_DISPUTES, max(2 * len(S.values), ctx.households // PER_HOUSEHOLDS))
    heads_by_grid = _heads_by_grid(ctx)
    ctx.extra["villages_by_pk"] = {v.pk: v for v in ctx.villages}
    disputes, parties_of = [], []
    for i in range(count):
        state = S.values[i % len(S.values)] if i < 2 * len(S.values) else _weighted(ctx.rng, STATE_WEIGHTS)
        dispute, names = _dispute(ctx, i, state, heads_by_grid)
        disputes.append(dispute)
        parties_of.append(names)
    _number(ctx, disputes)
    bulk_create_with_history(disputes, Dispute, batch_size=BATCH, default_user=ctx.users.get("staff"),
                             default_change_reason="demo")
    _children(ctx, disputes, parties_of)
    _closeouts(ctx, disputes)
    assigned = _assignments(ctx, disputes)
    ctx.extra["disputes"] = disputes
    ctx.log.append(f"{len(disputes)} disputes, {assigned} responsibility assignments")


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _heads_by_grid(ctx: DemoContext) -> dict[int, list[Resident]]:
    grid_of = {h.pk: h.grid_id for h in ctx.extra.get("households", [])}
    result: dict[int, list[Resident]] = {}
    for r in ctx.extra.get("residents", []):
        if r.relation == Resident.Relation.HEAD:
            result.setdefault(grid_of[r.household_id], []).append(r)
    return result


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _dispute(ctx: DemoContext, i: int, state: str, heads_by_grid) -> tuple[Dispute, list]:
    rng, today = ctx.rng, ctx.today
    grid = ctx.grids[i % len(ctx.grids)] if i < len(ctx.grids) else rng.choice(ctx.grids)
    residents = heads_by_grid.get(grid.pk, [])
    first = rng.choice(residents) if residents else None
    second = rng.choice(residents) if residents and rng.random() < 0.7 else None
    names = [first.name if first else ctx.person_name(), second.name if second else ctx.person_name()]
    kind = _weighted(rng, KIND_WEIGHTS)
    title, description, terms = (s.format(a=names[0], b=names[1]) for s in STORIES[kind])
    low, high = AGE[state]
    registered = today - dt.timedelta(days=rng.randint(low, high))
    if state == S.REGISTERED:
        level = L.VILLAGE
    elif i < 2 * len(S.values):  # the first cases cover every level, whatever the seed
        level = (L.VILLAGE, L.TOWNSHIP, L.COUNTY)[i % 3]
    else:
        level = _weighted(rng, {L.VILLAGE: 76, L.TOWNSHIP: 20, L.COUNTY: 4})
    risk = _weighted(rng, {Dispute.Risk.GENERAL: 85, Dispute.Risk.SIGNIFICANT: 12, Dispute.Risk.MAJOR: 3})
    if i < 2 * len(S.values) and i % 2:  # every demo has serious cases with 包案, whatever the seed
        risk = Dispute.Risk.SIGNIFICANT if i % 4 == 1 else Dispute.Risk.MAJOR
    if state == S.CLOSE_REQUESTED and risk == Dispute.Risk.GENERAL:  # only 较大/重大 wait for approval
        risk = Dispute.Risk.SIGNIFICANT
    d = Dispute(
        township=ctx.township, village=ctx.extra["villages_by_pk"][grid.village_id], grid=grid, title=title[:100], kind=kind,
        source=_weighted(rng, {s: 1 for s in Dispute.Source.values}), description=description,
        amount=rng.choice([None, None, 800, 3000, 12000, 56000]), people_involved=rng.randint(2, 6), risk=risk,
        registered_on=registered, registered_by=ctx.users.get("village") if i % 3 else ctx.users.get("staff"),
        status=state, level=level, handler=ctx.users.get("village" if level == L.VILLAGE else "cadre"),
        handler_name="县矛盾纠纷调处中心" if level == L.COUNTY else "",
    )
    _advance(ctx, d, state, registered, terms)
    return d, [(first, names[0]), (second, names[1])]


def _advance(ctx: DemoContext, d: Dispute, state: str, registered: dt.date, terms: str) -> None:
    """Fill the fields each state implies, with dates in order and never after today."""
    rng, today = ctx.rng, ctx.today
    order = [S.REGISTERED, S.ACCEPTED, S.MEDIATING]
    if state == S.REGISTERED:
        return
    d.accepted_at = _at(min(today, registered + dt.timedelta(days=1)))
    if state == S.ACCEPTED:
        return
    d.method = {L.VILLAGE: Dispute.Method.PEOPLE, L.TOWNSHIP: Dispute.Method.ADMINISTRATIVE,
                L.COUNTY: Dispute.Method.JUDICIAL}[d.level]
    d.mediation_started_on = min(today, registered + dt.timedelta(days=2))
    if state in order:
        return
    span = (today - d.mediation_started_on).days
    ended = d.mediation_started_on + dt.timedelta(days=rng.randint(0, max(0, min(20, span // 3))))
    d.mediation_ended_on, d.resolved_level = ended, d.level
    finished = (S.CLOSE_REQUESTED, S.CLOSED)
    failure = state in (S.FAILED, S.REFERRED) or (state in (S.FOLLOWED_UP, *finished) and rng.random() < 0.05)
    if failure:
        d.outcome, d.failure_reason = Dispute.Outcome.FAILURE, "双方分歧较大，经多次调解未能达成一致。"
        if state != S.FAILED:
            d.route, d.referred_to = Dispute.Route.LITIGATION, "县人民法院"
    else:
        d.outcome, d.agreement_terms = Dispute.Outcome.SUCCESS, terms
        d.agreement_form = Dispute.AgreementForm.WRITTEN if rng.random() < 0.7 else Dispute.AgreementForm.ORAL
        d.fulfilment = Dispute.Fulfilment.FULFILLED if state in finished else _weighted(
            rng, {Dispute.Fulfilment.PENDING: 3, Dispute.Fulfilment.PARTIAL: 2, Dispute.Fulfilment.FULFILLED: 5})
    if state in (S.SUCCEEDED, S.FAILED, S.REFERRED):
        return
    d.follow_up_on = min(today, ended + dt.timedelta(days=rng.randint(3, 15)))
    d.follow_up_notes = "回访当事人，双方关系缓和，未发现新的矛盾。"
    if state == S.CLOSED:
        d.closed_at = _at(min(today, d.follow_up_on + dt.timedelta(days=rng.randint(0, 5))), 16)
        d.closing_note = "化解到位，予以结案。"
        d.closing_outcome = _weighted(rng, CLOSING_WEIGHTS)


def _closeouts(ctx: DemoContext, disputes: list[Dispute]) -> None:
    """The close-outs of 较大/重大 disputes: approved for the closed ones, waiting for the others asked for."""
    staff, leader = ctx.users.get("staff"), ctx.users.get("leader")
    rows = []
    for d in disputes:
        if not d.is_serious or d.status not in (S.CLOSE_REQUESTED, S.CLOSED) or not staff or not leader:
            continue
        closed = d.status == S.CLOSED
        requested = d.closed_at - dt.timedelta(hours=3) if closed else _at(d.follow_up_on, 15)
        rows.append(DisputeCloseOut(
            case=d, round=1, requested_by=staff, requested_at=requested, note="化解到位，申请结案。",
            outcome=d.closing_outcome if closed else Dispute.ClosingOutcome.RESOLVED,
            decision=DisputeCloseOut.Decision.APPROVED if closed else DisputeCloseOut.Decision.PENDING,
            decided_by=leader if closed else None, decided_at=d.closed_at if closed else None,
            comment="同意结案。" if closed else "",
        ))
    DisputeCloseOut.objects.bulk_create(rows, batch_size=BATCH)


def _number(ctx: DemoContext, disputes: list[Dispute]) -> None:
    last: dict[int, int] = {}
    for _, d in sorted(enumerate(disputes), key=lambda pair: (pair[1].registered_on, pair[0])):
        year = d.registered_on.year
        last[year] = last.get(year, 0) + 1
        d.number = case_number("disputes", year, last[year])
    DisputeCounter.objects.bulk_create(
        [DisputeCounter(township=ctx.township, year=year, last=n) for year, n in last.items()]
    )


def _children(ctx: DemoContext, disputes: list[Dispute], parties_of: list) -> None:
    rng = ctx.rng
    parties, mediators, sessions, changes = [], [], [], []
    staff, cadre, village_user = ctx.users.get("staff"), ctx.users.get("cadre"), ctx.users.get("village")
    for d, pair in zip(disputes, parties_of, strict=True):
        for side, (resident, name) in zip((Party.Side.APPLICANT, Party.Side.RESPONDENT), pair, strict=True):
            parties.append(Party(dispute=d, side=side, resident=resident, name=name,
                                 phone="" if resident else ctx.mobile()))
        if d.level != L.VILLAGE:
            at = d.accepted_at or _at(d.registered_on)
            changes.append(LevelChange(dispute=d, from_level=L.VILLAGE, to_level=L.TOWNSHIP, changed_by=village_user,
                                       changed_at=at, reason="涉及面广，村级调解难度大，上交镇综治中心。",
                                       new_handler=cadre))
            if d.level == L.COUNTY:
                changes.append(LevelChange(dispute=d, from_level=L.TOWNSHIP, to_level=L.COUNTY, changed_by=staff,
                                           changed_at=at + dt.timedelta(hours=2), reason="存在民转刑风险，报县级调处。",
                                           new_handler_name="县矛盾纠纷调处中心"))
        if d.method:
            mediators.append(Mediator(dispute=d, user=d.handler, name=str(d.handler)))
            mediators.append(Mediator(dispute=d, name=f"{rng.choice(MEDIATORS)}{ctx.person_name()}"))
            for n in range(rng.randint(1, 3)):
                held = min(ctx.today, d.mediation_started_on + dt.timedelta(days=n * 3))
                sessions.append(MediationSession(
                    dispute=d, held_on=held, place="村委会调解室" if d.level == L.VILLAGE else "镇综治中心",
                    participants="双方当事人、调解员", content="听取双方陈述，释法说理，引导双方互谅互让。",
                    result="初步达成一致" if n else "双方同意继续协商", recorded_by=d.handler or staff,
                ))
    Party.objects.bulk_create(parties, batch_size=BATCH)
    Mediator.objects.bulk_create(mediators, batch_size=BATCH)
    MediationSession.objects.bulk_create(sessions, batch_size=BATCH)
    LevelChange.objects.bulk_create(changes, batch_size=BATCH)


def _assignments(ctx: DemoContext, disputes: list[Dispute]) -> int:
    """包案 for the serious disputes past registration: a few overdue, a few under supervision."""
    leader, cadre, village_user = ctx.users.get("leader"), ctx.users.get("cadre"), ctx.users.get("village")
    count = 0
    for d in disputes:
        if not d.is_serious or d.status == S.REGISTERED or leader is None:
            continue
        overdue = count % 4 == 1 and d.status != S.CLOSED
        if d.status == S.CLOSED:
            deadline = d.registered_on + dt.timedelta(days=21)
        else:
            deadline = ctx.today + dt.timedelta(days=-3 if overdue else 2 + count % 12)
        assignment = assignment_create(
            case=d, township=ctx.township, village=d.village, grid=d.grid, lead=leader, responsible_unit="镇综治中心",
            deadline=deadline, team=[u for u in (cadre, village_user) if u], label=str(d), url=d.get_absolute_url(),
            at_county=d.level == L.COUNTY,
        )
        if count % 3 == 0 and d.status != S.CLOSED:
            assignment_supervise(assignment=assignment, by=leader, level="red" if overdue else "yellow",
                                 comment="请包案领导亲自过问，按期化解。")
        if d.status == S.CLOSED:
            assignment_close(case=d)
        count += 1
    return count
