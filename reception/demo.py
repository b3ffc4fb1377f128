"""Demo rota and register: three leaders, the three kinds of rule (weekly on Monday with two leaders, monthly on the
15th moved past holidays, market days 逢三六九 on the lunar calendar), the sessions of the last five weeks (held and
missed) and the next four, and walk-ins on the held sessions with every outcome, one of them without any yet."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casework.models import ResponsibilityAssignment
from disputes.models import Dispute
from governance.demo import DemoContext
from households.models import Resident
from petitions.models import Petition

from . import services
from .models import Leader, Rule, Session

DAY = dt.timedelta(days=1)
REQUESTS = [
    ("承包地与邻居界址不清，多次协商未果", Petition.Subject.AGRICULTURE, Dispute.Kind.LAND),
    ("低保申请已交三个月，未见答复", Petition.Subject.SOCIAL_SECURITY, Dispute.Kind.OTHER),
    ("村道被运输车辆压坏，雨天无法通行", Petition.Subject.CONSTRUCTION, Dispute.Kind.OTHER),
    ("在工地务工被拖欠工资两个月", Petition.Subject.LABOUR, Dispute.Kind.LABOUR),
    ("养殖场污水流入农田", Petition.Subject.ENVIRONMENT, Dispute.Kind.ENVIRONMENT),
    ("征地青苗补偿款未足额发放", Petition.Subject.LAND, Dispute.Kind.EXPROPRIATION),
]
OUTCOMES = ["answered", "petition", "dispute", "demand", "referred", "overdue", "return_visit", "none"]


def seed(ctx: DemoContext) -> None:
    leaders = _leaders(ctx)
    rules = _rules(ctx, leaders)
    first, last = ctx.today - 35 * DAY, ctx.today + 28 * DAY
    sessions = [s for rule in rules for s in rule.generate(first, last)]
    past = sorted((s for s in sessions if s.date < ctx.today), key=lambda s: s.date)
    held = _attendance(ctx, past)
    walk_ins = _walk_ins(ctx, held)
    ctx.log.append(f"{len(rules)} reception rules, {len(sessions)} sessions ({len(past) - len(held)} missed), "
                   f"{walk_ins} walk-ins")


def _leaders(ctx: DemoContext) -> list[Leader]:
    user = ctx.users.get("leader")
    specs = [(user, str(user).split()[-1] if user else ctx.person_name(), "镇党委副书记", "政法、信访维稳"),
             (None, ctx.person_name(), "镇长", "政府全面工作"),
             (None, ctx.person_name(), "副镇长", "农业农村、自然资源")]
    return [Leader.objects.create(township=ctx.township, user=u, name=name, post=post, portfolio=portfolio)
            for u, name, post, portfolio in specs]


def _rules(ctx: DemoContext, leaders: list[Leader]) -> list[Rule]:
    weekly = Rule.objects.create(township=ctx.township, kind=Rule.Kind.WEEKLY, weekday=0, units="信访办、司法所、派出所")
    weekly.leaders.set(leaders[:2])
    monthly = Rule.objects.create(township=ctx.township, kind=Rule.Kind.MONTHLY, day_of_month=15,
                                  units="相关站所负责人")
    monthly.leaders.set(leaders[1:])
    market = Rule.objects.create(township=ctx.township, kind=Rule.Kind.MARKET, market_digits="3,6,9", lunar=True,
                                 start=dt.time(9, 0), end=dt.time(12, 0))
    market.leaders.set(leaders[2:])
    return [weekly, monthly, market]


def _attendance(ctx: DemoContext, past: list[Session]) -> list[Session]:
    """Most past sessions held (checked in at the start), one in six missed."""
    held = []
    for i, session in enumerate(past):
        if i % 6 == 5:
            session.status = Session.Status.MISSED
            session.save(update_fields=["status", "updated_at"])
            continue
        leader = session.leaders.order_by("pk").first()
        start = dt.datetime.combine(session.date, session.start)
        session.checked_in_at = timezone.make_aware(start - dt.timedelta(minutes=ctx.rng.randint(0, 10)))
        session.checked_in_by, session.status = leader, Session.Status.HELD
        session.save(update_fields=["checked_in_at", "checked_in_by", "status", "updated_at"])
        held.append(session)
    return held


def _walk_ins(ctx: DemoContext, held: list[Session]) -> int:
    staff = ctx.users.get("staff")
    residents = list(Resident.objects.filter(household__grid__village__township=ctx.township)
                     .exclude(id_number="").select_related("household__grid__village").order_by("pk")[:600:37])
    if not held or not residents or staff is None:
        return 0
    count = 0
    for i, outcome in enumerate(OUTCOMES * 2):
        session = held[-1 - i % min(len(held), 6)]
        resident = residents[i % min(len(residents), len(OUTCOMES))]  # the second round: repeat visitors
        request, subject, kind = REQUESTS[i % len(REQUESTS)]
        at = timezone.make_aware(dt.datetime.combine(session.date, session.start) + dt.timedelta(minutes=20 * i))
        outsider = i == len(OUTCOMES)  # one visitor from outside the register
        reception = services.reception_record(
            session=session, by=staff, visitor_name=ctx.person_name() if outsider else "", request=request,
            resident=None if outsider else resident, village=resident.household.grid.village,
            head_count=1 + i % 3, instruction="请相关站所依法依规办理，按期答复群众", received_at=at)
        _finish(ctx, reception, outcome, subject=subject, kind=kind, staff=staff, outsider=outsider)
        count += 1
    return count


def _finish(ctx: DemoContext, reception, outcome: str, *, subject, kind, staff, outsider: bool) -> None:
    today = timezone.localdate()
    if outcome == "answered" or (outsider and outcome in ("petition", "demand")):
        services.reception_answer(reception=reception, by=staff, answer="当场解释相关政策，来访人表示理解")
    elif outcome == "petition":
        services.reception_to_petition(reception=reception, by=staff, subject=subject)
    elif outcome == "dispute":
        grid = None if reception.household_id else ctx.grids[0]
        services.reception_to_dispute(reception=reception, by=staff, title=reception.request[:20], kind=kind,
                                      grid=grid)
    elif outcome == "demand":
        services.reception_to_demand(reception=reception, by=staff)
    elif outcome in ("referred", "overdue"):
        assignment = services.reception_refer(reception=reception, by=staff, lead=ctx.users.get("leader") or staff,
                                              unit="镇农业服务中心", deadline=today + 7 * DAY)
        deadline = ctx.today - 3 * DAY if outcome == "overdue" else ctx.today + 10 * DAY
        ResponsibilityAssignment.objects.filter(pk=assignment.pk).update(deadline=deadline)
    elif outcome == "return_visit":
        services.reception_book_return(reception=reception, by=staff, on=ctx.today + 7 * DAY)
