"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for 考核. A run belongs to its subject's
village: the township's staff and supervisors act on it; the village's cadres read it; the 联户长 assessed reads
their own and may self-assess and appeal; a grid worker sees only runs of their own (none here); the county reads.
Schemes, their 公示 and 汇总表 belong to the township (no village)."""

import datetime as dt

from assessment.models import Appeal, Evaluation, ManualScore, Run, Scheme
from tests.assessment.factories import make_scheme
from tests.factories import GridFactory, HouseholdFactory, HouseholdHeadFactory

LIST_URLS = ["assessment:run-list", "assessment:evaluation-list"]

NOT_LOCATED = {
    "assessment:scheme-detail": "a scheme of the township",
    "assessment:scheme-approve": "a scheme of the township",
    "assessment:scheme-notice": "a scheme of the township",
    "assessment:scheme-summary": "a scheme of the township",
    "assessment:item-create": "a scheme of the township",
    "assessment:item-edit": "an item of a scheme of the township",
    "assessment:item-delete": "an item of a scheme of the township",
}
ITEM_EDIT = ["assessment:item-create", "assessment:item-edit", "assessment:item-delete"]

RUN_READ = ["assessment:run-detail", "assessment:run-paper"]
RUN_MANAGE = ["assessment:run-recompute", "assessment:run-self-open", "assessment:run-submit",
              "assessment:run-approve", "assessment:run-send-back", "assessment:run-finalise", "assessment:run-manual",
              "assessment:manual-approve", "assessment:appeal-answer"]
RUN_SUBJECT = ["assessment:run-self", "assessment:run-appeal"]
RUN_ALL = [*RUN_READ, *RUN_MANAGE, *RUN_SUBJECT]

IN_SCOPE_READABLE = {who: RUN_READ for who in ("staff", "supervisor", "township_cadre", "village_cadre",
                                                "household_head", "county_staff", "county_leader")}
IN_SCOPE_ALLOWED = {"staff": RUN_MANAGE, "supervisor": RUN_MANAGE, "household_head": RUN_SUBJECT}
IN_SCOPE_FORBIDDEN = {
    "staff": RUN_SUBJECT, "supervisor": RUN_SUBJECT,
    "township_cadre": RUN_MANAGE + RUN_SUBJECT, "village_cadre": RUN_MANAGE + RUN_SUBJECT,
    "household_head": RUN_MANAGE,
    "county_staff": RUN_MANAGE + RUN_SUBJECT, "county_leader": RUN_MANAGE + RUN_SUBJECT,
}
# A grid worker is assessed on their own runs only: a 联户长's run is not theirs to see.
IN_SCOPE_HIDDEN = {"grid_worker": RUN_ALL}


def objects_in(world, village) -> dict[str, dict]:
    township = village.township
    staff = world.users["staff"] if township == world.township else world.users["outsider"]
    scheme = Scheme.objects.filter(township=township).first() or make_scheme(township, created_by=staff)
    if village == world.village_a:
        head, grid = world.head_a1, world.grid_a1
    else:
        grid = village.grids.first() or GridFactory(village=village)
        head = grid.household_heads.first() or HouseholdHeadFactory(grid=grid)
    run = Run.objects.filter(scheme=scheme, head=head).first()
    if run is None:
        run = Run.objects.create(
            scheme=scheme, township=township, village=village, grid=grid, head=head, subject_name=head.name,
            subject_key=f"head:{head.pk}", period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30),
            status=Run.Status.PUBLICITY)
        item = scheme.items.filter(kind="manual").first()
        ManualScore.objects.create(run=run, item=item, points=0, evidence="无违纪", entered_by=staff)
        Appeal.objects.create(run=run, text="请复核覆盖率", filed_by=staff)
        household = HouseholdFactory(grid=grid, household_head=head)
        Evaluation.objects.create(township=township, head=head, household=household, result="satisfied",
                                  recorded_by=staff)
    objects = {name: {"pk": run.pk} for name in RUN_ALL}
    objects["assessment:manual-approve"] = {"pk": run.manual_scores.get().pk}
    objects["assessment:appeal-answer"] = {"pk": run.appeals.get().pk}
    objects.update({name: {"pk": scheme.pk} for name in NOT_LOCATED})
    objects["assessment:item-edit"] = objects["assessment:item-delete"] = {"pk": scheme.items.first().pk}
    return objects


SCHEME_READ = ["assessment:scheme-detail", "assessment:scheme-notice", "assessment:scheme-summary"]
for _who in ("staff", "supervisor"):
    IN_SCOPE_READABLE[_who] = [*IN_SCOPE_READABLE[_who], *SCHEME_READ]
    IN_SCOPE_ALLOWED[_who] = [*IN_SCOPE_ALLOWED[_who], "assessment:scheme-approve", *ITEM_EDIT]
for _who in ("county_staff", "county_leader"):
    IN_SCOPE_READABLE[_who] = [*RUN_READ, *SCHEME_READ]
    IN_SCOPE_FORBIDDEN[_who] = [*IN_SCOPE_FORBIDDEN[_who], "assessment:scheme-approve", *ITEM_EDIT]
for _who in ("township_cadre", "village_cadre", "household_head"):
    IN_SCOPE_HIDDEN[_who] = [*list(NOT_LOCATED)]
IN_SCOPE_HIDDEN["grid_worker"] = [*RUN_ALL, *NOT_LOCATED]
