"""Demo 宣传 and 培训: policies explained on about a third of the last half-year's visits, two publicity events in
each of the first villages listing the households that came, and three training sessions with who came."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from governance.demo import DemoContext
from households.models import Household, Visit

from .catalogue import ensure_policies
from .models import PolicyExplained, PublicityEvent, TrainingSession

DAY = dt.timedelta(days=1)
EVENTS = [("村委会院坝", "村民代表、留守老人", "宣传单200份、展板2块"),
          ("赶集日集镇广场", "赶集群众", "防诈骗宣传手册150册"),
          ("村小学操场", "学生家长", "防溺水告家长书")]
TRAININGS = [("联户长履职集中培训", "镇党校", "镇党委副书记", Decimal("3.0")),
             ("矛盾纠纷排查调处业务培训", "镇综治中心会议室", "司法所所长", Decimal("2.5")),
             ("防返贫动态监测政策培训", "村委会会议室", "镇乡村振兴办", Decimal("2.0"))]


def seed(ctx: DemoContext) -> None:
    policies = list(ensure_policies().values())
    policies = [p for p in policies if p.code != "other"]
    rng = ctx.rng
    visits = list(Visit.objects.filter(grid__village__township=ctx.township, visited_on__gte=ctx.today - 180 * DAY)
                  .values_list("pk", flat=True))
    explained = []
    for visit in visits:
        if rng.random() < 0.35:
            explained += [PolicyExplained(visit_id=visit, policy=p) for p in rng.sample(policies, rng.randint(1, 2))]
    PolicyExplained.objects.bulk_create(explained, ignore_conflicts=True)
    Visit.objects.filter(pk__in={e.visit_id for e in explained}).update(topic_policy=True)
    staff = ctx.users["staff"]
    events = 0
    for village in ctx.villages[:6]:
        households = list(Household.objects.filter(grid__village=village).values_list("pk", flat=True)[:200])
        for place, audience, materials in rng.sample(EVENTS, 2):
            reached = rng.sample(households, min(len(households), rng.randint(5, 15)))
            event = PublicityEvent.objects.create(
                village=village, held_on=ctx.today - rng.randint(5, 150) * DAY, place=place, audience=audience,
                attendance=len(reached) + rng.randint(0, 20), materials=materials, recorded_by=staff)
            event.policies.set(rng.sample(policies, 3))
            event.households.set(reached)
            events += 1
    sessions = 0
    for i, (topic, place, trainer, hours) in enumerate(TRAININGS):
        village = ctx.villages[0] if i == 2 else None
        session = TrainingSession.objects.create(
            township=ctx.township, village=village, topic=topic, held_on=ctx.today - (20 + 40 * i) * DAY,
            place=place, trainer=trainer, hours=hours, materials="培训课件、签到表", recorded_by=staff)
        heads = [h for h in ctx.heads if village is None or h.grid.village_id == village.pk]
        session.heads_attended.set([h for h in heads if rng.random() < 0.75])
        session.users_attended.set([u for key, u in ctx.users.items() if key in ("grid", "village", "cadre")])
        sessions += 1
    ctx.log.append(f"policies explained on {len({e.visit_id for e in explained})} visits, {events} publicity events, "
                   f"{sessions} training sessions")
