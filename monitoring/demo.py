"""Demo monitoring cases: every state of the entry and exit paths, 不予纳入, overdue leads, measures planned and
done, passing and failing 三保障/饮水 checks, and one household eligible for 消除."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from governance.demo import DemoContext
from governance.models import User
from households.models import Household

from . import services
from .models import MeasureCategory, MonitoringCase, MonitoringType, RiskKind

S = MonitoringCase.Status
DAY = dt.timedelta(days=1)
PATH = [S.LEAD, S.VERIFYING, S.PUBLICITY, S.TOWNSHIP_REVIEW, S.COUNTY_REVIEW, S.MONITORED, S.EXIT_APPLIED,
        S.EXIT_VERIFYING, S.EXIT_PUBLICITY, S.EXIT_COUNTY_REVIEW, S.ELIMINATED]
# (target state, days ago the lead came in): two of each monitored state, the leads both fresh and overdue.
PLAN = [(S.LEAD, 2), (S.LEAD, 25), (S.VERIFYING, 6), (S.VERIFYING, 20), (S.PUBLICITY, 9), (S.TOWNSHIP_REVIEW, 12),
        (S.COUNTY_REVIEW, 14), (S.REJECTED, 40), *[(S.MONITORED, d) for d in (60, 120, 200, 260, 300, 330)],
        (S.EXIT_APPLIED, 340), (S.EXIT_VERIFYING, 345), (S.EXIT_PUBLICITY, 350), (S.EXIT_COUNTY_REVIEW, 355),
        (S.ELIMINATED, 360), (S.ELIMINATED, 380)]
LEADS = ["户主突发脑梗住院，自付费用较高", "家中主要劳动力务工受伤，收入骤减", "暴雨致房屋漏雨开裂", "子女上大学，支出骤增",
         "养殖失败，收入明显下降"]
MEASURES = [("public-job", "安排公益性岗位（护林员）", Decimal("6000")), ("health", "落实大病保险和医疗救助", None),
            ("dibao", "申请纳入低保", Decimal("4800")), ("training", "参加电工技能培训", None),
            ("industry", "发放产业奖补资金", Decimal("2000")), ("yulu", "申请雨露计划补助", Decimal("3000"))]


def _walk(case, target, by, day, county_by=None):
    """Along the path to ``target``; the county's decisions by ``county_by`` (the county's staff), else by ``by`` on
    the county's behalf, naming the county's document."""
    county_by = county_by or by
    if target == S.REJECTED:
        case.verify(by=by, on=day + DAY)
        case.reject(by=by, on=day + 3 * DAY, reason="核实后家庭人均纯收入明显高于监测范围，无刚性支出")
        return
    for state in PATH[1: PATH.index(target) + 1]:
        case.refresh_from_db()
        day += 2 * DAY
        if state in (S.VERIFYING, S.EXIT_VERIFYING):
            case.verify(by=by, on=day)
        elif state in (S.PUBLICITY, S.EXIT_PUBLICITY):
            case.start_publicity(by=by, starts_on=day, ends_on=day + 5 * DAY, minutes="村民代表评议，无异议")
        elif state in (S.TOWNSHIP_REVIEW, S.EXIT_COUNTY_REVIEW):
            day += 5 * DAY
            case.end_publicity(by=by, on=case.publicity_ends_on)
        elif state == S.COUNTY_REVIEW:
            case.township_approve(by=by, on=day)
        elif state == S.MONITORED:
            case.county_approve(by=county_by, on=day, note=f"县乡村振兴局〔{day.year}〕{case.pk}号")
        elif state == S.EXIT_APPLIED:
            case.apply_exit(by=by, on=day)
        elif state == S.ELIMINATED:
            case.approve_elimination(by=county_by, on=day, note=f"县乡村振兴局〔{day.year}〕{case.pk}号")


def seed(ctx: DemoContext) -> None:
    staff, today, rng = ctx.users["staff"], ctx.today, ctx.rng
    contact = ctx.users.get("cadre") or staff
    county_staff = (User.objects.filter(county=ctx.township.county_id, role=User.Role.COUNTY_STAFF, is_active=True)
                    .order_by("pk").first() if ctx.township.county_id else None)
    households = list(Household.objects.filter(grid__village__township=ctx.township).order_by("pk")[:400:13])
    types = list(MonitoringType.objects.order_by("sort_order"))
    risks = list(RiskKind.objects.all())
    categories = {c.code: c for c in MeasureCategory.objects.all()}
    for i, ((target, days_ago), household) in enumerate(zip(PLAN, households, strict=False)):
        found_on = today - days_ago * DAY
        case = services.case_open(
            by=staff, household=household, type=types[i % len(types)], risk_kinds=rng.sample(risks, 2),
            source=rng.choice(MonitoringCase.Source.values), found_on=found_on, lead_note=LEADS[i % len(LEADS)],
            contact=contact, income_year=today.year, income_per_person=Decimal(rng.randint(5200, 8600)),
            large_costs=Decimal(rng.randint(0, 40) * 1000), consent_signed_on=found_on + DAY,
            no_labour_on_guarantee=i == 12,
        )
        _walk(case, target, staff, found_on, county_staff)
        case.refresh_from_db()
        if case.status in (*MonitoringCase.MONITORED_STATUSES, S.ELIMINATED):
            case.national_entered_on = case.decided_on + 3 * DAY
            case.national_number = f"{ctx.township.code[:6]}{case.pk:08d}"
            case.save(update_fields=["national_entered_on", "national_number"])
            for j in range(2):
                code, what, amount = MEASURES[(i + j) % len(MEASURES)]
                planned = case.decided_on + (20 + 30 * j) * DAY
                done = planned - 3 * DAY if (case.status != S.MONITORED or j == 0) and planned < today else None
                # (written as they were when the case was monitored: an eliminated case takes no new measure)
                case.measures.create(category=categories[code], what=what, owner=contact, planned_on=planned,
                                     amount=amount, done_on=done)
            failing = case.status == S.MONITORED and i % 3 == 0
            services.check_record(
                case=case, by=contact, checked_on=min(today, case.decided_on + 30 * DAY),
                schooling=[{"name": ctx.person_name(), "status": "dropped_out" if failing else "in_school"}],
                housing_grade="C" if failing else "A", water_ok=not failing)
        if target == S.MONITORED and days_ago == 330:
            # Eligible for 消除: income above the line for half a year, checks pass, no measure open.
            case.income_per_person = Decimal("12800")
            case.income_stable_since = today - 200 * DAY
            case.save(update_fields=["income_per_person", "income_stable_since"])
            case.measures.filter(done_on__isnull=True).update(done_on=today - 10 * DAY)
    ctx.log.append(f"{min(len(PLAN), len(households))} monitoring cases (防返贫) in every state")
