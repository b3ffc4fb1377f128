"""The computed measures of a run's subject over its period, read from data the product already holds.

Outcomes, not app activity: how many *distinct* linked households were reached, whether cared-for households were
visited within their cadence, whether what the subject found was registered on time, the petitions that escaped
(集体访, 越级访), and what the sampled households said. No raw counts of visits or photos.

Two measures come from the ``outreach`` app (宣传 and training), read only when it is installed, through
``outreach.metrics.households_reached(head_ids, start, end) -> dict[int, int]`` and
``outreach.metrics.training_hours(kind, ids, start, end) -> dict[int, Decimal]``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db.models import Max, Q, QuerySet

from disputes.models import Dispute
from governance.models import Grid, HouseholdHead
from hazards.models import Hazard
from households.models import Demand, Household, Tag, Visit
from petitions.models import COLLECTIVE_MIN, Petition

from .models import REPORT_DAYS, Evaluation, Item, Run, SubjectKind

M = Item.Metric
NOT_CONNECTED = "未接入"


@dataclass
class Measure:
    """A measure's value (a share 0–1, a count, hours; None when there is nothing to measure) and how it reads."""

    value: float | int | Decimal | None
    shown: str
    reason: str = ""
    extra: dict = field(default_factory=dict)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}（{part}/{whole}）" if whole else "—（0/0）"


def outreach_metrics():
    """``outreach.metrics`` when that app is installed, else None (its items then score 0: 未接入)."""
    if not apps.is_installed("outreach"):
        return None
    return importlib.import_module("outreach.metrics")


class Subject:
    """What a run's subject answers for: its households, its own visits and reports, its heads."""

    def __init__(self, run: Run):
        self.run = run
        self.kind = run.scheme.subject_kind
        self.start, self.end = run.period_start, run.period_end

    def households(self) -> QuerySet:
        run = self.run
        if self.kind == SubjectKind.HEAD:
            return Household.objects.filter(household_head=run.head_id)
        if self.kind == SubjectKind.GRID_WORKER:
            return Household.objects.filter(grid__in=run.worker.grids.values("pk"))
        if self.kind == SubjectKind.GRID:
            return Household.objects.filter(grid=run.grid_id)
        if self.kind == SubjectKind.VILLAGE:
            return Household.objects.filter(grid__village=run.village_id)
        return Household.objects.filter(pk=run.household_id)

    def own_visits(self) -> Q:
        """Which visits count as the subject's own work (a head's, a worker's); anyone's for a place."""
        if self.kind == SubjectKind.HEAD:
            return Q(visit__visitor_head=self.run.head_id)
        if self.kind == SubjectKind.GRID_WORKER:
            return Q(visit__visitor=self.run.worker_id)
        return Q()

    def reports(self) -> tuple[QuerySet, QuerySet, QuerySet]:
        """The disputes, hazards and demands the subject reported in the period."""
        run, start, end = self.run, self.start, self.end
        disputes = Dispute.objects.filter(registered_on__range=(start, end))
        hazards = Hazard.objects.filter(found_on__range=(start, end))
        demands = Demand.objects.filter(created_at__date__range=(start, end))
        if self.kind == SubjectKind.HEAD:
            return (disputes.filter(reporting_head=run.head_id), hazards.filter(reporting_head=run.head_id),
                    demands.filter(visit__visitor_head=run.head_id))
        if self.kind == SubjectKind.GRID_WORKER:
            return (disputes.filter(registered_by=run.worker_id), hazards.filter(found_by=run.worker_id),
                    demands.filter(raised_by=run.worker_id))
        households = self.households().values("pk")
        grids = self.households().values("grid")
        return (disputes.filter(grid__in=grids), hazards.filter(grid__in=grids), demands.filter(household__in=households))

    def head_ids(self) -> list[int]:
        run = self.run
        if self.kind == SubjectKind.HEAD:
            return [run.head_id]
        if self.kind == SubjectKind.GRID_WORKER:
            grids = run.worker.grids.values("pk")
        elif self.kind == SubjectKind.GRID:
            grids = Grid.objects.filter(pk=run.grid_id).values("pk")
        elif self.kind == SubjectKind.VILLAGE:
            grids = Grid.objects.filter(village=run.village_id).values("pk")
        else:
            return [run.household.household_head_id] if run.household and run.household.household_head_id else []
        return list(HouseholdHead.objects.filter(grid__in=grids).values_list("pk", flat=True))

    def evaluations(self) -> QuerySet:
        found = Evaluation.objects.filter(on__range=(self.start, self.end))
        if self.kind == SubjectKind.HEAD:
            return found.filter(head=self.run.head_id)
        if self.kind == SubjectKind.GRID_WORKER:
            return found.filter(worker=self.run.worker_id)
        return found.filter(household__in=self.households().values("pk"))


def coverage(subject: Subject) -> Measure:
    households = list(subject.households().values_list("pk", flat=True))
    visited = set(
        Visit.households.through.objects.filter(
            subject.own_visits(), household__in=households,
            visit__visited_on__range=(subject.start, subject.end))
        .values_list("household", flat=True).distinct())
    return Measure(_share(len(visited), len(households)), _percent(len(visited), len(households)),
                   "" if households else "无联系户")


def cadence(subject: Subject, cadence_days: dict[str, int] | None = None) -> Measure:
    """Of the households with a care cadence (独居老人 weekly …), the share whose latest visit by the end of the period
    (by anyone: the care is the outcome) falls within their tightest cadence."""
    days_by_code = settings.CARE_CADENCE_DAYS if cadence_days is None else cadence_days
    days_by_id = {pk: days_by_code[code] for pk, code in Tag.objects.filter(code__in=days_by_code)
                  .values_list("pk", "code")}
    due: dict[int, int] = {}
    for pk, tags in subject.households().values_list("pk", "tag_ids"):
        found = [days_by_id[int(t)] for t in tags.strip(",").split(",") if t and int(t) in days_by_id]
        if found:
            due[pk] = min(found)
    if not due:
        return Measure(None, "—（0/0）", "无需定期关爱的户")
    longest = max(due.values())
    last = dict(
        Visit.households.through.objects.filter(
            household__in=due, visit__visited_on__range=(subject.end - dt.timedelta(days=longest), subject.end))
        .values("household").annotate(last=Max("visit__visited_on")).values_list("household", "last"))
    kept = sum(1 for pk, days in due.items() if pk in last and last[pk] > subject.end - dt.timedelta(days=days))
    return Measure(_share(kept, len(due)), _percent(kept, len(due)))


def _report_delays(subject: Subject) -> list[int]:
    """Days between finding something (the visit, the day found) and registering it, one per report."""
    disputes, hazards, demands = subject.reports()
    delays = []
    for registered, visited in disputes.values_list("registered_on", "visit__visited_on"):
        delays.append((registered - visited).days if visited else 0)
    for created, found in hazards.values_list("created_at", "found_on"):
        delays.append((created.date() - found).days)
    for created, visited in demands.values_list("created_at", "visit__visited_on"):
        delays.append((created.date() - visited).days if visited else 0)
    return delays


def reports(subject: Subject) -> Measure:
    disputes, hazards, demands = subject.reports()
    counts = {"disputes": disputes.count(), "hazards": hazards.count(), "demands": demands.count()}
    total = sum(counts.values())
    return Measure(total, f"{total}件（纠纷{counts['disputes']}、隐患{counts['hazards']}、诉求{counts['demands']}）",
                   extra=counts)


def report_timeliness(subject: Subject) -> Measure:
    delays = _report_delays(subject)
    on_time = sum(1 for d in delays if d <= REPORT_DAYS)
    if not delays:
        return Measure(None, "—（0/0）", "本期无上报，不扣分")
    return Measure(_share(on_time, len(delays)), _percent(on_time, len(delays)))


def petitions(subject: Subject) -> Measure:
    found = Petition.objects.filter(
        Q(head_count__gte=COLLECTIVE_MIN) | Q(skip_level=True),
        household__in=subject.households().values("pk"), received_on__range=(subject.start, subject.end))
    numbers = list(found.values_list("number", flat=True)[:10])
    count = found.count()
    return Measure(count, f"{count}件" + (f"（{'、'.join(numbers)}）" if numbers else ""))


def satisfaction(subject: Subject) -> Measure:
    answers = list(subject.evaluations().values_list("result", flat=True))
    happy = sum(1 for r in answers if r in (Evaluation.Result.SATISFIED, Evaluation.Result.FAIRLY))
    return Measure(_share(happy, len(answers)), _percent(happy, len(answers)), "" if answers else "本期未抽样评议")


def publicity_reach(subject: Subject) -> Measure:
    module = outreach_metrics()
    if module is None:
        return Measure(None, NOT_CONNECTED, "宣传台账未接入")
    head_ids = subject.head_ids()
    reached = module.households_reached(head_ids, subject.start, subject.end)
    whole = subject.households().count()
    part = min(sum(reached.get(pk, 0) for pk in head_ids), whole)
    return Measure(_share(part, whole), _percent(part, whole), "" if whole else "无联系户")


def training(subject: Subject) -> Measure:
    module = outreach_metrics()
    if module is None:
        return Measure(None, NOT_CONNECTED, "培训台账未接入")
    if subject.kind == SubjectKind.GRID_WORKER:
        hours = module.training_hours("user", [subject.run.worker_id], subject.start, subject.end)
    else:
        hours = module.training_hours("head", subject.head_ids(), subject.start, subject.end)
    total = sum((Decimal(str(h)) for h in hours.values()), Decimal("0"))
    return Measure(total, f"{total.normalize():f}学时")


MEASURES = {
    M.COVERAGE: coverage, M.CADENCE: cadence, M.REPORTS: reports, M.REPORT_TIMELINESS: report_timeliness,
    M.PETITIONS: petitions, M.SATISFACTION: satisfaction, M.PUBLICITY_REACH: publicity_reach, M.TRAINING: training,
}
#: When there is nothing to measure, these score full marks (nothing was late); the others score 0.
FULL_WHEN_NONE = {M.REPORT_TIMELINESS}


def measure(run: Run, metric: str) -> Measure:
    return MEASURES[metric](Subject(run))
