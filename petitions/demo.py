"""Demo petitions: about one per 25 households, received over the last eleven months, in every state
(awaiting acceptance, not accepted, being handled, replied, close-out requested, closed out, reopened), some overdue, some
extended, some under yellow or red supervision, repeat and collective ones. Deterministic (ctx.rng, ctx.today)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from casework.models import AssignmentCheck, ResponsibilityAssignment, case_number
from governance.demo import DemoContext
from households.idnumbers import make_id_number

from .models import (
    CloseOut,
    Petition,
    PetitionCounter,
    Petitioner,
    ProgressEntry,
    accept_days,
    handle_days,
)

BATCH = 2000
S = Petition.Status
CONTENT = {
    "land": ("反映土地征收补偿款未足额发放", "要求按标准补足征地补偿款"),
    "agriculture": ("反映耕地地力保护补贴未到账", "要求核实并发放补贴"),
    "social_security": ("反映低保资格被取消", "要求重新评定低保资格"),
    "environment": ("反映养殖场污水直排影响饮水", "要求整治养殖污染"),
    "construction": ("反映农村道路硬化工程质量差", "要求返工修复"),
    "labour": ("反映在本镇工地务工被拖欠工资", "要求结清拖欠工资"),
    "legal": ("反映宅基地纠纷判决执行难", "要求依法执行"),
    "conduct": ("反映村干部优亲厚友", "要求调查处理"),
    "other": ("反映邻里排水沟堵塞", "要求协调疏通"),
}
UNITS = ["镇国土所", "镇农业服务中心", "镇社保所", "镇生态环境办", "镇规划建设办", "镇司法所", "镇纪委", "镇综治中心"]
HANDLERS = ["镇综治中心 周敏", "包村干部 李强", "镇司法所 刘洋", "村支书 陈明"]
ACTIONS = ["到信访人家中了解情况", "召集相关部门召开协调会", "现场核实有关情况", "向信访人解释相关政策", "调取有关档案资料"]
REPLY = "经调查核实，您反映的问题已按政策依法处理，现予答复。如对答复意见不服，可在收到之日起30日内请求复查。"


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    residents = ctx.extra.get("residents") or []
    households = {h.pk: h for h in ctx.extra.get("households") or []}
    grids = {g.pk: g for g in ctx.grids}
    count = ctx.petitions or max(40, min(3000, ctx.households // 25))
    plans = [_plan(ctx, residents, households, grids) for _ in range(count)]
    # The demo household head (login "head") sees the petitions of their own households: give them two.
    head_id = getattr(ctx.users.get("head"), "household_head_id", None)
    own = [r for r in residents if getattr(households.get(r.household_id), "household_head_id", None) == head_id]
    plans += [_plan(ctx, residents, households, grids, resident=r) for r in own[:2]]
    plans.sort(key=lambda p: p["received_on"])
    _every_state(ctx, plans)
    _link_repeats(rng, plans)
    petitions = _build(ctx, plans)
    bulk_create_with_history(petitions, Petition, batch_size=BATCH, default_user=ctx.users.get("staff"))
    petitions = list(Petition.objects.filter(township=ctx.township).order_by("year", "sequence"))
    by_number = {p.number: p for p in petitions}
    _children(ctx, [(by_number[plan["number"]], plan) for plan in plans])
    years = {}
    for p in petitions:
        years[p.year] = max(years.get(p.year, 0), p.sequence)
    PetitionCounter.objects.bulk_create(
        [PetitionCounter(township=ctx.township, year=y, last=n) for y, n in years.items()]
    )
    overdue = sum(1 for p in petitions if p.is_overdue)
    ctx.log.append(f"{len(petitions)} petitions ({overdue} overdue)")


def _plan(ctx: DemoContext, residents, households, grids, resident=None) -> dict:
    rng, today = ctx.rng, ctx.today
    received = today - dt.timedelta(days=rng.randint(0, 330))
    if resident is None and residents and rng.random() < 0.8:
        resident = rng.choice(residents)
    if resident is not None:
        household = households.get(resident.household_id)
        village_id = grids[household.grid_id].village_id if household else rng.choice(ctx.villages).pk
        person = (resident.name, resident.id_number, resident.phone, resident)
    else:
        household = None
        village_id = rng.choice(ctx.villages).pk
        birth = dt.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
        person = (ctx.person_name(), make_id_number("510722", birth, rng.randint(1, 998), rng.random() < 0.6),
                  ctx.mobile(), None)
    age = (today - received).days
    return {
        "received_on": received, "village_id": village_id, "household": household, "person": person,
        "channel": rng.choices(list(Petition.Channel), weights=[20, 35, 15, 10, 10, 10])[0],
        "subject": rng.choices(list(Petition.Subject), weights=[20, 15, 12, 10, 10, 10, 8, 5, 10])[0],
        "head_count": rng.randint(5, 30) if rng.random() < 0.12 else rng.randint(1, 3),
        "status": _status(rng, age), "repeat_of": None,
    }


def _status(rng, age: int) -> str:
    if age < 10:
        return rng.choices([S.REGISTERED, S.HANDLING], weights=[70, 30])[0]
    if age < 60:
        return rng.choices([S.REGISTERED, S.HANDLING, S.REPLIED, S.CLOSE_REQUESTED, S.CLOSED], weights=[6, 50, 20, 10, 14])[0]
    if age < 120:
        return rng.choices([S.REGISTERED, S.HANDLING, S.REPLIED, S.CLOSE_REQUESTED, S.CLOSED], weights=[2, 15, 15, 10, 58])[0]
    return rng.choices([S.HANDLING, S.REPLIED, S.CLOSED], weights=[4, 4, 92])[0]


def _every_state(ctx: DemoContext, plans: list[dict]) -> None:
    """However small the demo, each state is there, and so is a petition not accepted within 15 days."""
    plans[-1]["status"] = S.REGISTERED
    older = [p for p in plans if (ctx.today - p["received_on"]).days > 30]
    for status in (S.HANDLING, S.REPLIED, S.CLOSE_REQUESTED, S.CLOSED):
        if older and not any(p["status"] == status for p in plans):
            ctx.rng.choice(older)["status"] = status
    # 不予受理: one of the older petitions being handled (chosen without drawing from ``rng``, so that the rest of the
    # demo stays as it was).
    handling = [p for p in older if p["status"] == S.HANDLING]
    if len(handling) > 1 and not any(p["status"] == S.NOT_ACCEPTED for p in plans):
        handling[0]["status"] = S.NOT_ACCEPTED
    stale = [p for p in plans if 20 <= (ctx.today - p["received_on"]).days <= 60]
    if stale and not any(p["status"] == S.REGISTERED and p in stale for p in plans):
        stale[0]["status"] = S.REGISTERED


def _link_repeats(rng, plans: list[dict]) -> None:
    """About one in twelve comes back: the same person, the same subject, a later date."""
    for index, plan in enumerate(plans):
        if index and rng.random() < 0.08:
            earlier = plans[rng.randrange(index)]
            if earlier["received_on"] < plan["received_on"]:
                plan.update(person=earlier["person"], subject=earlier["subject"], village_id=earlier["village_id"],
                            household=earlier["household"], repeat_of=earlier)


def _build(ctx: DemoContext, plans: list[dict]) -> list[Petition]:
    rng, today = ctx.rng, ctx.today
    staff, leader = ctx.users["staff"], ctx.users["leader"]
    sequences: dict[int, int] = {}
    petitions = []
    for plan in plans:
        received = plan["received_on"]
        sequences[received.year] = sequences.get(received.year, 0) + 1
        plan["number"] = case_number("petitions", received.year, sequences[received.year])
        content, demands = CONTENT[plan["subject"]]
        p = Petition(
            township=ctx.township, village_id=plan["village_id"], household=plan["household"],
            number=plan["number"], year=received.year, sequence=sequences[received.year], received_on=received,
            channel=plan["channel"], subject=plan["subject"], head_count=plan["head_count"], content=content,
            demands=demands, registered_by=staff, status=plan["status"],
            acceptance_due_on=received + dt.timedelta(days=accept_days()),
        )
        if plan["channel"] == Petition.Channel.REFERRED:
            p.referred_by = rng.choice(["县信访局", "县人民政府办公室", "市信访局"])
            p.skip_level = rng.random() < 0.4
        p.due_on = p.acceptance_due_on
        if p.status == S.NOT_ACCEPTED:
            p.declined_on, p.declined_by = min(today, received + dt.timedelta(days=7)), staff
            p.decline_reason = "该事项已依法通过行政复议途径处理，不属于信访受理范围"
        elif p.status != S.REGISTERED:
            _accept(rng, p, today, staff, leader)
        if p.status in (S.REPLIED, S.CLOSE_REQUESTED, S.CLOSED):
            _reply(rng, p, today)
        if p.status == S.CLOSED:
            closed_on = min(today, p.replied_on + dt.timedelta(days=rng.randint(1, 10)))
            p.closed_at = _aware(closed_on)
        petitions.append(p)
    return petitions


def _accept(rng, p: Petition, today: dt.date, staff, leader) -> None:
    p.accepted_on = min(today, p.received_on + dt.timedelta(days=rng.randint(1, 12)))
    p.accepted_by = staff
    p.handling_due_on = p.accepted_on + dt.timedelta(days=handle_days())
    if rng.random() < 0.06:
        p.extension_days = rng.choice([15, 20, 30])
        p.extension_reason = "情况复杂，涉及多个部门，需延期办理"
        p.extension_approved_by = leader
        p.extended_at = _aware(min(today, p.handling_due_on - dt.timedelta(days=5)))
    p.due_on = p.handling_due_on + dt.timedelta(days=p.extension_days)


def _reply(rng, p: Petition, today: dt.date) -> None:
    p.replied_on = min(today, p.accepted_on + dt.timedelta(days=rng.randint(5, 70)))
    p.reply_text = REPLY
    p.reply_on_time = p.replied_on <= p.due_on
    p.satisfaction = rng.choices(list(Petition.Satisfaction)[1:], weights=[70, 20, 10])[0]


def _aware(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))


def _children(ctx: DemoContext, pairs: list[tuple[Petition, dict]]) -> None:
    rng, today = ctx.rng, ctx.today
    staff, leader, cadre = ctx.users["staff"], ctx.users["leader"], ctx.users["cadre"]
    ct = ContentType.objects.get_for_model(Petition)
    people, progress, checks, closeouts, assignments = [], [], [], [], []
    for petition, plan in pairs:
        plan["saved"] = petition
    for petition, plan in pairs:
        name, id_number, phone, resident = plan["person"]
        people.append(Petitioner(petition=petition, resident=resident, name=name, id_number=id_number, phone=phone))
        if plan["repeat_of"] is not None:
            petition.repeat_of = plan["repeat_of"]["saved"]
        if petition.accepted_on is None:
            continue
        for n in range(rng.randint(1, 3)):
            day = min(today, petition.accepted_on + dt.timedelta(days=3 + 7 * n))
            progress.append(ProgressEntry(petition=petition, done_on=day, handler=rng.choice(HANDLERS),
                                          action=rng.choice(ACTIONS), recorded_by=staff))
        if rng.random() < 0.75 or petition.status == S.CLOSED:
            assignment = _assignment(rng, ct, petition, lead=rng.choice([leader, cadre, cadre]), by=leader)
            assignments.append(assignment)
            done_on = min(today, petition.accepted_on + dt.timedelta(days=5))
            for item in AssignmentCheck.Item:
                done = petition.status == S.CLOSED or rng.random() < 0.5
                checks.append(AssignmentCheck(assignment=assignment, item=item, done=done, updated_by=assignment.lead,
                                              done_on=done_on if done else None, note="已落实" if done else ""))
        if petition.status in (S.CLOSE_REQUESTED, S.CLOSED):
            closeouts.append(_closeout(rng, petition, staff, leader))
    Petition.objects.bulk_update([p for p, _ in pairs if p.repeat_of_id], ["repeat_of"], batch_size=BATCH)
    Petitioner.objects.bulk_create(people, batch_size=BATCH)
    ProgressEntry.objects.bulk_create(progress, batch_size=BATCH)
    CloseOut.objects.bulk_create(closeouts, batch_size=BATCH)
    ResponsibilityAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    for check in checks:
        check.assignment_id = check.assignment.pk  # the 四包 of each 包案, now that it has its key
    AssignmentCheck.objects.bulk_create(checks, batch_size=BATCH)
    village_cadre = ctx.users["village"]
    cadre_villages = set(village_cadre.villages.values_list("pk", flat=True))
    team = [ResponsibilityAssignment.team.through(responsibilityassignment_id=a.pk, user_id=village_cadre.pk)
            for a in assignments if a.village_id in cadre_villages]
    ResponsibilityAssignment.team.through.objects.bulk_create(team)
    _reopen_some(ctx, [p for p, _ in pairs if p.status == S.CLOSED])


def _assignment(rng, ct, petition: Petition, *, lead, by) -> ResponsibilityAssignment:
    open_ = petition.status != S.CLOSED
    level = rng.choices(["", "yellow", "red"], weights=[85, 10, 5])[0] if open_ else ""
    return ResponsibilityAssignment(
        township_id=petition.township_id, village_id=petition.village_id,
        grid_id=petition.household.grid_id if petition.household_id else None, case_type=ct, case_id=petition.pk,
        case_label=f"{petition.number} {petition.get_subject_display()}",
        case_url=reverse("petitions:detail", kwargs={"pk": petition.pk}), lead=lead,
        responsible_unit=rng.choice(UNITS), deadline=petition.due_on, is_open=open_, closed_at=petition.closed_at,
        supervision_level=level, supervision_comment="请加大化解力度，限期办结" if level else "",
        supervised_by=by if level else None, supervised_at=_aware(petition.accepted_on) if level else None,
    )


def _closeout(rng, petition: Petition, staff, leader) -> CloseOut:
    closed = petition.status == S.CLOSED
    outcome = CloseOut.Outcome.RESOLVED if petition.satisfaction != "dissatisfied" else rng.choice(
        [CloseOut.Outcome.EDUCATED, CloseOut.Outcome.STABILISED])
    return CloseOut(
        petition=petition, round=1, requested_by=staff, outcome=outcome, reply_text=petition.reply_text,
        replied_on=petition.replied_on, satisfaction=petition.satisfaction,
        dissatisfied_reason="诉求超出政策规定，已多次解释说明" if petition.satisfaction == "dissatisfied" else "",
        decision=CloseOut.Decision.APPROVED if closed else CloseOut.Decision.PENDING,
        decided_by=leader if closed else None, decided_at=petition.closed_at if closed else None,
    )


def _reopen_some(ctx: DemoContext, closed: list[Petition]) -> None:
    """Two closed petitions came back: a second round, handling again (one of them already overdue)."""
    today = ctx.today
    for index, petition in enumerate(closed[:2]):
        start = today - dt.timedelta(days=70 if index == 0 else 5)
        if petition.closed_at.date() > start:
            continue
        Petition.objects.filter(pk=petition.pk).update(
            round=2, status=S.HANDLING, closed_at=None, reply_text="", replied_on=None, reply_on_time=None,
            satisfaction="", handling_due_on=start + dt.timedelta(days=handle_days()),
            due_on=start + dt.timedelta(days=handle_days()), extension_days=0, extension_reason="",
            extension_approved_by=None, extended_at=None,
        )
        ProgressEntry.objects.create(petition=petition, round=2, kind=ProgressEntry.Kind.REOPENED, done_on=start,
                                     handler="镇综治中心 周敏", action="信访人再次反映问题未解决，重新办理",
                                     recorded_by=ctx.users["staff"])
        ResponsibilityAssignment.objects.filter(case_type__model="petition", case_id=petition.pk).update(
            is_open=True, closed_at=None, deadline=start + dt.timedelta(days=handle_days()))
