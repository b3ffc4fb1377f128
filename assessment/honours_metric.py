"""The 考核 score as a metric of the 红黑榜 (honours' registry, when that app is installed): each 联户长's latest graded
score (定档) whose period ends inside the list's period, so a list can rank heads by a published scheme instead of a
raw figure. A run not yet graded is not ranked."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Run


def graded_scores(definition, *, user, start, end, today):
    from honours.sources import Value

    runs = (Run.objects.visible_to(user)
            .filter(status=Run.Status.FINAL, head__isnull=False, score__isnull=False,
                    period_end__gte=start, period_end__lte=end)
            .order_by("head_id", "-period_end", "-pk")
            .values("head_id", "subject_name", "score", "stars", "village__name"))
    if definition.village_id:
        runs = runs.filter(village_id=definition.village_id)
    values, seen = [], set()
    for run in runs:
        if run["head_id"] in seen:
            continue
        seen.add(run["head_id"])
        stars = "★" * (run["stars"] or 0)
        label = f"{run['subject_name']}（{run['village__name'] or '—'}）"
        values.append(Value(run["head_id"], label, 1, 1, run["score"], f"{run['score']}分{stars}"))
    return values


def register() -> None:
    from honours.sources import Metric, register_metric

    register_metric(Metric("assessment_score", _("Assessment score of household heads (graded)"), ("head",), True,
                           graded_scores, unit="分"))
