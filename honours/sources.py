"""Where a list's figures come from: a registry of metrics. Each metric names the subjects it ranks, whether higher is
better, and computes one ``Value`` per subject of the definition's area for a period, as seen by the user who drafts
the list (township staff: the whole township). Later modules add theirs with ``register_metric`` (the assessment
scheme's scores: one metric per scheme, subjects "head" or "village").

The starting metrics read the figures the dashboard already shows: visit coverage of distinct households in the 90
days before the evaluation date (households/figures.py ``coverage``) and petitions handled on time in the period
(petitions/figures.py ``on_time_by_village``); and the household hygiene score sheets of this app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from governance.models import Grid, HouseholdHead
from households import figures as household_figures
from petitions import figures as petition_figures


@dataclass(frozen=True)
class Value:
    subject_id: int
    label: str
    numerator: int
    denominator: int
    value: Decimal | None  # None: nothing to rank (no denominator)
    display: str


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    subjects: tuple[str, ...]
    higher_is_better: bool
    compute: Callable  # (definition, *, user, start, end, today) -> list[Value]
    unit: str = "%"


_metrics: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    _metrics[metric.code] = metric


def metric_for(code: str) -> Metric | None:
    return _metrics.get(code)


def metrics() -> list[Metric]:
    return list(_metrics.values())


def metric_choices(subject: str | None = None) -> list[tuple[str, str]]:
    return [(m.code, m.label) for m in _metrics.values() if subject is None or subject in m.subjects]


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _share(key: int, label: str, part: int, whole: int) -> Value:
    value = percent(part, whole)
    return Value(key, label, part, whole, value, f"{value if value is not None else '—'}%（{part}/{whole}）")


# --- Visit coverage (90 days) ---------------------------------------------------------------------------------------


def _coverage(definition, *, user, start, end, today):
    level = definition.subject
    rows = household_figures.coverage(user, level=level, today=today)
    keep = None
    if definition.village_id:
        keep = {"village": {definition.village_id},
                "grid": set(Grid.objects.filter(village=definition.village_id).values_list("pk", flat=True)),
                "head": set(HouseholdHead.objects.filter(grid__village=definition.village_id)
                            .values_list("pk", flat=True))}[level]
    values = []
    for row in rows:
        if row["key"] is None or (keep is not None and row["key"] not in keep):
            continue
        if level == "village":
            label = row["grid__village__name"]
        elif level == "grid":
            label = f"{row['grid__village__name']} {row['grid__name']}"
        else:
            label = f"{row['household_head__name']}（{row['grid__village__name']}{row['grid__name']}）"
        values.append(_share(row["key"], label, row["visited_90"], row["households"]))
    return values


register_metric(Metric("coverage_90", _("Visit coverage of distinct households (90 days)"),
                       ("village", "grid", "head"), True, _coverage))


# --- Petitions handled on time --------------------------------------------------------------------------------------


def _on_time(definition, *, user, start, end, today):
    rows = petition_figures.on_time_by_village(user, start=start, end=end, village=definition.village_id,
                                               today=today)
    return [_share(row["village"], row["village__name"], row["on_time"], row["on_time"] + row["late"])
            for row in rows]


register_metric(Metric("petitions_on_time", _("Petitions handled on time"), ("village",), True, _on_time))


# --- Household hygiene 评比 ----------------------------------------------------------------------------------------


def household_label(grid_name: str, house_number: str, head_name: str) -> str:
    """A household on a published list: its grid and house number, or the initial of its head's surname (never a
    name, an ID number or a phone). The grid tells apart the same house number in two groups of the village."""
    if house_number:
        house = house_number if house_number.endswith("号") else f"{house_number}号"
    else:
        house = f"{head_name[:1]}某户" if head_name else "某户"
    return f"{grid_name} {house}"


def _hygiene(definition, *, user, start, end, today):
    from .models import HygieneInspection

    rows = (HygieneInspection.objects.visible_to(user)
            .filter(household__grid__village=definition.village_id, inspected_on__range=(start, end)).order_by()
            .values("household", "household__grid__name", "household__house_number", "household__head_name")
            .annotate(n=Count("pk"), score=Avg("total")))
    values = []
    for row in rows:
        score = Decimal(row["score"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        label = household_label(row["household__grid__name"], row["household__house_number"],
                                row["household__head_name"])
        values.append(Value(row["household"], label, row["n"], row["n"], score,
                            f"{score}分（{row['n']}次检查）"))
    return values


register_metric(Metric("hygiene", _("Household hygiene score"), ("household",), True, _hygiene, unit="分"))

