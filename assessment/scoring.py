"""From a measure to points (an item's rule), the snapshot of a run, and its lines as shown and printed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from . import metrics
from .models import ZERO, Item, Run

ONE_PLACE = Decimal("0.1")


def _points(value) -> Decimal:
    return Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def points_for(item: Item, measure: metrics.Measure) -> tuple[Decimal, str]:
    """The item's points for this measure, and why when it is not what the rule alone says."""
    cap = item.max_points
    if measure.value is None:
        if item.metric in metrics.FULL_WHEN_NONE:
            return cap, measure.reason
        return ZERO, measure.reason or "无可计数据"
    params = item.params or {}
    if item.rule == Item.Rule.BANDS:
        for minimum, points in sorted(params.get("bands", []), key=lambda b: -float(b[0])):
            if float(measure.value) >= float(minimum):
                return min(_points(points), cap), measure.reason
        return ZERO, measure.reason
    each = Decimal(str(params.get("points", 1)))
    limit = min(Decimal(str(params.get("cap", cap))), cap)
    amount = min(_points(Decimal(str(measure.value)) * each), limit)
    return (-amount if item.rule == Item.Rule.DEDUCTION else amount), measure.reason


def rule_text(item: Item) -> str:
    """The rule in Chinese words (the papers print it whatever the UI language)."""
    if item.description:
        return item.description
    params = item.params or {}
    if item.kind == Item.Kind.MANUAL:
        return f"人工评定，最高{item.max_points}分，须附依据并经他人审核"
    if item.rule == Item.Rule.BANDS:
        parts = [f"≥{float(m):.0%}得{p}分" for m, p in sorted(params.get("bands", []), key=lambda b: -float(b[0]))]
        return "；".join(parts) + "；以下不得分"
    if item.rule == Item.Rule.DEDUCTION:
        return f"每件扣{params.get('points', 1)}分，最多扣{item.max_points}分"
    return f"每件（学时）得{params.get('points', 1)}分，最高{item.max_points}分"


def snapshot(run: Run) -> list[dict]:
    """Measure every computed item now and keep the values: the run is scored from these, whatever changes later."""
    rows = []
    for item in run.scheme.items.filter(kind=Item.Kind.COMPUTED):
        found = metrics.measure(run, item.metric)
        points, reason = points_for(item, found)
        value = found.value
        rows.append({
            "item": item.pk, "value": None if value is None else str(value), "shown": found.shown,
            "points": str(points), "reason": reason,
        })
    return rows


def take_snapshot(run: Run) -> None:
    run.snapshot = snapshot(run)
    run.computed_at = timezone.now()
    run.save(update_fields=["snapshot", "computed_at", "updated_at"])


def run_lines(run: Run) -> list[dict]:
    taken = {row["item"]: row for row in run.snapshot}
    manual = {m.item_id: m for m in run.manual_scores.all()}
    corrected: dict[int, Decimal] = {}
    for appeal in run.appeals.all():
        if appeal.adjustment is not None and appeal.item_id:
            corrected[appeal.item_id] = corrected.get(appeal.item_id, ZERO) + appeal.adjustment
    lines = []
    for item in run.scheme.items.all():
        line = {"item": item, "duty": item.get_duty_display(), "name": item.name, "rule": rule_text(item),
                "max": item.max_points, "shown": "", "points": ZERO, "reason": "", "manual": None}
        if item.kind == Item.Kind.COMPUTED:
            row = taken.get(item.pk)
            if row is None:
                line["reason"] = "尚未计算"
            else:
                line.update(shown=row["shown"], points=Decimal(row["points"]), reason=row["reason"])
        else:
            entry = manual.get(item.pk)
            line["manual"] = entry
            if entry is None:
                line["reason"] = "无扣分记录" if item.duty == Item.Duty.DISCIPLINE else "未录入"
            elif entry.approved_by_id is None:
                line.update(shown=f"{entry.points}分（待审核）", reason="待审核，暂不计分")
            else:
                line.update(shown=entry.evidence[:60], points=entry.points)
        if item.pk in corrected:
            change = corrected[item.pk]
            line["points"] += change
            line["reason"] = "；".join(filter(None, [line["reason"], f"申诉复核{'+' if change > 0 else ''}{change}分"]))
        lines.append(line)
    return lines
