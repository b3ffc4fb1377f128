"""Demo households and residents: families of 1–6 with valid ID numbers, phones and special-group tags;
and a year of visits (民情日记), 4–8 a household, with demands and a leader's comments."""

from __future__ import annotations

import datetime as dt
from array import array
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from governance.demo import GROUPS, DemoContext
from governance.models import Grid

from .idnumbers import make_id_number
from .lastvisit import refresh_last_visits
from .models import Demand, DemandCounter, Household, Resident, Tag, Visit, VisitComment
from .summary import refresh_summary

BATCH = 2000


def seed(ctx: DemoContext) -> None:
    households = _seed_households(ctx)
    residents = _seed_residents(ctx, households)
    ctx.extra["households"] = households
    ctx.extra["residents"] = residents
    ctx.log.append(f"{len(households)} households, {len(residents)} residents")
    visits, links = _seed_visits(ctx, households)
    ctx.log.append(f"{visits} visits to {links} households over a year")


def _seed_households(ctx: DemoContext) -> list[Household]:
    rng = ctx.rng
    heads_by_grid: dict[int, list] = {}
    for head in ctx.heads:
        heads_by_grid.setdefault(head.grid_id, []).append(head)
    villages = {v.pk: v for v in ctx.villages}
    rows = []
    per_grid, remainder = divmod(ctx.households, len(ctx.grids))
    for index, grid in enumerate(ctx.grids):
        heads = heads_by_grid.get(grid.pk, [])
        count = per_grid + (1 if index < remainder else 0)
        for n in range(count):
            # Most households are linked to a head; a few wait for one (the registry lists them).
            head = heads[n // 10 % len(heads)] if heads and rng.random() < 0.97 else None
            group = GROUPS[n // 25 % len(GROUPS)]
            rows.append(
                Household(
                    grid=grid, household_head=head, head_name="", address=f"{villages[grid.village_id].name}{group}",
                    house_number=f"{group}{n % 25 + 1:02d}号",
                    residence_type=rng.choices(list(Household.ResidenceType), weights=[88, 8, 4])[0],
                )
            )
    fast_insert(Household, rows)
    return rows


def _seed_residents(ctx: DemoContext, households: list[Household]) -> list[Resident]:
    rng = ctx.rng
    area = ctx.township.code[:6]
    tags = {t.code: t for t in Tag.objects.all()}
    used: set[str] = set()
    residents: list[Resident] = []
    tag_rows: list = []
    household_tag_rows: list = []
    through = Resident.tags.through
    household_through = Household.tags.through
    year = ctx.today.year

    def new_id(birth: dt.date, male: bool) -> str:
        while True:
            number = make_id_number(area, birth, rng.randint(1, 998), male)
            if number not in used:
                used.add(number)
                return number

    for household in households:
        family = _family(rng, year)
        members = []
        for relation, age, male, status in family:
            birth = dt.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
            members.append(
                Resident(
                    household=household, township=ctx.township, name=ctx.person_name(male),
                    id_number=new_id(birth, male), gender="male" if male else "female", birth_date=birth,
                    phone=ctx.mobile() if age >= 16 and rng.random() < 0.85 else "", relation=relation, status=status,
                )
            )
        household.head_name = members[0].name
        residents.extend(members)
    fast_insert(Resident, residents)
    # One UPDATE … FROM rather than bulk_update's CASE over every row.
    head = Resident.objects.filter(household=OuterRef("pk"), relation=Resident.Relation.HEAD).order_by("pk")
    Household.objects.filter(pk__in=[h.pk for h in households]).update(head_name=Subquery(head.values("name")[:1]))

    by_household: dict[int, list[Resident]] = {}
    for r in residents:
        by_household.setdefault(r.household_id, []).append(r)
    for household in households:
        members = by_household[household.pk]
        for code in _tags_for(rng, members, ctx.today):
            tag_rows.append(through(resident_id=code[1].pk, tag_id=tags[code[0]].pk))
        if rng.random() < 0.04:
            household_tag_rows.append(household_through(household_id=household.pk, tag_id=tags["subsistence"].pk))
        elif rng.random() < 0.03:
            kind = rng.choice(["watch-unstable", "watch-edge", "watch-sudden"])
            household_tag_rows.append(household_through(household_id=household.pk, tag_id=tags[kind].pk))
        if rng.random() < 0.01:
            household_tag_rows.append(household_through(household_id=household.pk, tag_id=tags["focus-relocation"].pk))
    through.objects.bulk_create(tag_rows, batch_size=BATCH)
    household_through.objects.bulk_create(household_tag_rows, batch_size=BATCH)
    refresh_summary(h.pk for h in households)  # once for the households written in bulk
    return residents


def _family(rng, year):
    """(relation, age, male, status) for each member, the head of household first."""
    R, S = Resident.Relation, Resident.Status
    kind = rng.random()
    head_male = rng.random() < 0.8
    if kind < 0.08:  # an old person living alone
        return [(R.HEAD, rng.randint(68, 92), rng.random() < 0.45, S.AT_HOME)]
    head_age = rng.randint(32, 70)
    away = rng.random() < 0.35
    family = [(R.HEAD, head_age, head_male, S.MIGRANT_WORKER if away else S.AT_HOME)]
    family.append((R.SPOUSE, head_age + rng.randint(-4, 3), not head_male, S.MIGRANT_WORKER if away else S.AT_HOME))
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        age = max(1, head_age - rng.randint(22, 32))
        status = S.STUDENT if 6 <= age <= 18 else (S.MIGRANT_WORKER if age > 18 and rng.random() < 0.6 else S.AT_HOME)
        family.append((R.CHILD, age, rng.random() < 0.5, status))
    if rng.random() < 0.3:
        family.append((R.PARENT, head_age + rng.randint(22, 30), rng.random() < 0.4, S.AT_HOME))
    return family


def _tags_for(rng, members, today):
    """(tag code, resident) pairs, from the family's shape: left-behind children and elders, elders alone, …"""
    pairs = []
    away = any(m.status == Resident.Status.MIGRANT_WORKER for m in members if m.relation != Resident.Relation.CHILD)
    for m in members:
        age = today.year - m.birth_date.year
        if len(members) == 1 and age >= 65:
            pairs.append(("elderly-alone", m))
        elif away and age >= 65:
            pairs.append(("elderly-left-behind", m))
        if away and age < 16:
            pairs.append(("children-left-behind", m))
        if rng.random() < 0.02:
            pairs.append(("disabled", m))
        if m.gender == "male" and 30 <= age <= 60 and rng.random() < 0.03:
            pairs.append(("veteran", m))
        if age >= 50 and rng.random() < 0.005:
            pairs.append((rng.choice(["focus-prestige", "focus-policy-doubts", "focus-disciplined"]), m))
    return pairs


def fast_insert(model, objs: list) -> None:
    """bulk_create, but with COPY on PostgreSQL (about five times faster for the county's 300,000 households).
    Inside seed_demo's transaction the table is locked, a block of ids taken, and the sequence moved past it."""
    if connection.vendor != "postgresql" or not objs:
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        first_id = cursor.fetchone()[0]
        columns = ", ".join(f.column for f in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for offset, obj in enumerate(objs):
                obj.pk = first_id + offset
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
                obj._state.adding, obj._state.db = False, connection.alias
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first_id + len(objs) - 1])


# --- A year of visits -----------------------------------------------------------------------------------

NOTES = [
    "了解家庭近况，身体状况良好，无特殊困难。",
    "宣传城乡居民医保缴费政策，已告知缴费时间。",
    "询问春耕备耕情况，种子化肥已备齐。",
    "老人独自在家，检查了用电用气安全，叮嘱注意防滑。",
    "子女在外务工，孩子由祖父母照看，学习情况正常。",
    "反映村道路灯不亮，已记录并报村委会。",
    "宣传防范电信诈骗知识，发放宣传资料。",
    "了解产业发展意向，有意扩大柑橘种植。",
    "与邻居因排水沟有小矛盾，现场劝说后双方同意协商。",
    "核实低保家庭收入变化情况。",
    "宣传森林防火和秸秆禁烧要求。",
    "询问就业需求，推荐镇上招聘会信息。",
    "防返贫监测走访，家庭收入稳定。",
    "院坝会上讲解人居环境整治要求，群众反响好。",
]
DEMANDS = [
    "希望帮助申请危房改造补助。", "反映饮用水管老化，经常停水。", "希望安排孩子就近入学。",
    "申请临时救助，家中老人住院花费较大。", "希望硬化入户便道。", "咨询养老保险补缴办法。",
    "反映邻居违建影响采光。", "希望提供种植技术培训。",
]
COMMENTS = ["走访记录详实，继续保持。", "请跟进反映的问题，一周内答复群众。", "重点关注独居老人安全。"]
VISITS_A_YEAR = (4, 8)


def _seed_visits(ctx: DemoContext, households: list[Household]) -> tuple[int, int]:
    """Visits dated over the year before ctx.today: each household gets 4–8, some of them at a courtyard meeting
    (院坝会) with the other households of its household head. Written with COPY on PostgreSQL: the county
    benchmark seeds 300,000 households, so about two million rows."""
    rng, today = ctx.rng, ctx.today
    users = ctx.users
    first_village = ctx.villages[0].pk if ctx.villages else None
    by_head: dict[tuple, list[Household]] = {}
    for h in households:
        by_head.setdefault((h.grid_id, h.household_head_id), []).append(h)
    grid_village = {g.pk: g.village_id for g in ctx.grids}
    visits: list[tuple] = []  # (grid, visitor user id, visitor head id, date, method, topics, notes)
    links_visit, links_household = array("q"), array("q")
    methods = [Visit.Method.IN_HOME] * 14 + [Visit.Method.PHONE] * 5 + [Visit.Method.MEETING]
    per_household = VISITS_A_YEAR
    if ctx.visits is not None:  # a benchmark asks for a total: spread it evenly, ±2 a household
        mean = round(ctx.visits / max(1, len(households)))
        per_household = (max(0, mean - 2), mean + 2)
    for (grid_id, head_id), group in by_head.items():
        in_first_village = grid_village.get(grid_id) == first_village
        fallback = users.get("village") if in_first_village else users.get("cadre")
        fallback_id = fallback.pk if fallback else None
        meetings = rng.randint(1, 2) if head_id and len(group) > 2 else 0
        for _ in range(meetings):
            visits.append((grid_id, None, head_id, today - dt.timedelta(days=rng.randint(0, 364)),
                           Visit.Method.YARD_MEETING, rng.randint(1, 15), NOTES[-1]))
            index = len(visits) - 1
            for h in group:
                links_visit.append(index)
                links_household.append(h.pk)
        for h in group:
            for _ in range(max(0, rng.randint(*per_household) - meetings)):
                by_cadre = not head_id or rng.random() < 0.15
                visits.append((
                    grid_id, fallback_id if by_cadre else None, None if by_cadre else head_id,
                    today - dt.timedelta(days=rng.randint(0, 364)), rng.choice(methods), rng.randint(1, 15),
                    rng.choice(NOTES[:-1]),
                ))
                links_visit.append(len(visits) - 1)
                links_household.append(h.pk)
    first_id = _write_visits(visits)
    _write_links(first_id, links_visit, links_household)
    refresh_last_visits([h.pk for h in households])  # bulk-written links send no signal (households/lastvisit.py)
    _seed_outcomes(ctx, visits, first_id, links_visit, links_household)
    return len(visits), len(links_visit)


def _visit_row(pk: int, visit: tuple, tz) -> tuple:
    grid_id, user_id, head_id, day, method, topics, notes = visit
    stamp = dt.datetime.combine(day, dt.time(18, 0), tzinfo=tz)
    return (pk, stamp, stamp, grid_id, user_id, head_id, day, method,
            bool(topics & 1), bool(topics & 2), bool(topics & 4), bool(topics & 8), notes)


VISIT_COLUMNS = ("id", "created_at", "updated_at", "grid_id", "visitor_id", "visitor_head_id", "visited_on", "method",
                 "topic_living", "topic_production", "topic_policy", "topic_development", "notes")


def _write_visits(visits: list[tuple]) -> int:
    """Insert the visits with ids first_id, first_id + 1, …; returns first_id."""
    tz = ZoneInfo(settings.TIME_ZONE)
    table = Visit._meta.db_table
    if connection.vendor != "postgresql":
        objs = [Visit(**dict(zip(VISIT_COLUMNS[1:], _visit_row(0, v, tz)[1:], strict=True))) for v in visits]
        Visit.objects.bulk_create(objs, batch_size=BATCH)
        return objs[0].pk if objs else 0
    with connection.cursor() as cursor:
        # Inside seed_demo's transaction: take a block of ids, then move the sequence past it.
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        first_id = cursor.fetchone()[0]
        with cursor.cursor.copy(f"COPY {table} ({', '.join(VISIT_COLUMNS)}) FROM STDIN") as copy:
            for offset, visit in enumerate(visits):
                copy.write_row(_visit_row(first_id + offset, visit, tz))
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                       [table, max(first_id + len(visits) - 1, 1)])
    return first_id


def _write_links(first_id: int, links_visit: array, links_household: array) -> None:
    through = Visit.households.through
    if connection.vendor != "postgresql":
        through.objects.bulk_create(
            [through(visit_id=first_id + v, household_id=h) for v, h in zip(links_visit, links_household, strict=True)],
            batch_size=BATCH,
        )
        return
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {through._meta.db_table} (visit_id, household_id) FROM STDIN"
    ) as copy:
        for v, h in zip(links_visit, links_household, strict=True):
            copy.write_row((first_id + v, h))


def _follow_up_some(ctx: DemoContext, pending: list[Demand]) -> None:
    """A few demands followed up on the engine, one in each later state: 整改中 (owned by the 包村干部, a deadline the
    scan chases), 待复查, 待销号 with a request waiting, 已销号 approved by the leader."""
    from casework import rectification as engine

    from .models import DemandCategory
    from .services import demand_follow_up, demand_report

    users = ctx.users
    if not all(users.get(k) for k in ("staff", "leader", "cadre", "village", "grid")):
        return
    clock = timezone.localdate()
    today, ahead = min(ctx.today, clock), max(ctx.today, clock)
    category = DemandCategory.objects.filter(code="infrastructure").first()
    for depth, demand in enumerate(pending):
        demand.refresh_from_db()
        demand_follow_up(demand=demand, by=users["village"], level=Demand.Level.TOWNSHIP if depth % 2 else
                         Demand.Level.VILLAGE, category=category, requirement="协调相关部门办理并回复群众",
                         deadline=ahead + dt.timedelta(days=7 + depth), owner=users["cadre"],
                         responsible_unit="村委会", team=[users["grid"]])
        if depth >= 1:
            demand_report(demand=demand, by=users["village"], outcome=Demand.Outcome.RESOLVED, done_on=today,
                          measures="已协调办理，群众表示认可")
        if depth >= 2:
            engine.rectification_recheck(case=demand, by=users["grid"], on=today, passed=True, note="回访群众满意")
            demand.request_closeout(by=users["staff"])
        if depth >= 3:
            demand.decide_closeout(by=users["leader"], approve=True)


def _seed_outcomes(ctx: DemoContext, visits, first_id: int, links_visit: array, links_household: array) -> None:
    """About one visit in forty heard a demand, in every state; the leader commented on a few."""
    rng = ctx.rng
    prefix = settings.CASE_NUMBER_PREFIXES["households"]
    S = Demand.Status
    towns = dict(Grid.objects.values_list("pk", "village__township_id"))
    counters: dict[tuple[int, int], int] = {}
    raised_by = ctx.users.get("village")
    leader = ctx.users.get("leader")
    demands, comments = [], []
    seen: set[int] = set()
    for index, household_id in zip(links_visit, links_household, strict=True):
        if index in seen:
            continue
        seen.add(index)
        roll = rng.random()
        if roll < 0.025:
            day = visits[index][3]
            outcome = rng.choices(["", "-", "resolved", "explained"], weights=[2, 2, 5, 1])[0]
            if (ctx.today - day).days < 20 and outcome in ("resolved", "explained"):
                outcome = "-"
            status = {"": S.PENDING, "-": S.RECTIFYING}.get(outcome, S.CLOSED)
            township_id = towns[visits[index][0]]
            key = (township_id, day.year)
            counters[key] = counters.get(key, 0) + 1
            demands.append(Demand(
                visit_id=first_id + index, household_id=household_id, grid_id=visits[index][0],
                township_id=township_id, number=f"{prefix}-{day.year}-{counters[key]:04d}",
                content=rng.choice(DEMANDS), status=status, raised_by=raised_by, outcome=outcome.strip("-"),
                note="已协调相关部门办理完毕。" if outcome == "resolved" else (
                    "已向群众解释政策规定。" if outcome == "explained" else ""),
            ))
        elif roll < 0.03 and leader is not None:
            comments.append(VisitComment(visit_id=first_id + index, author=leader, text=rng.choice(COMMENTS)))
    made = Demand.objects.bulk_create(demands, batch_size=BATCH)
    for (township_id, year), last in counters.items():
        DemandCounter.objects.update_or_create(township_id=township_id, year=year, defaults={"last": last})
    _follow_up_some(ctx, [d for d in made if d.status == S.PENDING][1:5])  # one or more left 待核实
    VisitComment.objects.bulk_create(comments, batch_size=BATCH)
    # created_at is set on insert: move it to the evening of the visit, as if written that day.
    visit_time = Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("created_at")[:1])
    Demand.objects.filter(visit_id__gte=first_id).update(created_at=visit_time, updated_at=visit_time)
    VisitComment.objects.filter(visit_id__gte=first_id).update(created_at=visit_time)
