"""The dashboard's 考核 card: the star distribution and the 不合格 of the latest graded period, and the trend of the
last periods. Every number links to the run list filtered so that its count equals the number."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.urls import reverse

from .models import Run

TREND_PERIODS = 6


def star_card(user) -> dict | None:
    graded = Run.objects.visible_to(user).filter(status=Run.Status.FINAL)
    latest = graded.order_by("-period_start", "-scheme_id").values("scheme", "period_start", "scheme__name",
                                                                    "scheme__period").first()
    if latest is None:
        return None
    scheme, start = latest["scheme"], latest["period_start"]
    base = reverse("assessment:run-list")
    period_q = f"?scheme={scheme}&period={start.isoformat()}&status=final"
    runs = graded.filter(scheme=scheme, period_start=start)
    counts = dict(runs.order_by().values_list("stars").annotate(n=Count("pk")))
    stars = [{"stars": n, "label": "★" * n, "count": counts.get(n, 0), "url": f"{base}{period_q}&stars={n}"}
             for n in range(5, 0, -1)]
    failed = list(runs.filter(grade=Run.Grade.FAIL).select_related("village").order_by("score", "subject_name"))
    trend_rows = (graded.filter(scheme=scheme).order_by().values("period_start")
                  .annotate(n=Count("pk"), average=Avg("score"), failed=Count("pk", filter=Q(grade=Run.Grade.FAIL)))
                  .order_by("-period_start")[:TREND_PERIODS])
    from .models import period_label

    trend = [{"label": period_label(latest["scheme__period"], row["period_start"]), "count": row["n"],
              "average": row["average"], "failed": row["failed"],
              "url": f"{base}?scheme={scheme}&period={row['period_start'].isoformat()}&status=final",
              "failed_url": f"{base}?scheme={scheme}&period={row['period_start'].isoformat()}&status=final&grade=fail"}
             for row in reversed(list(trend_rows))]
    return {
        "scheme_name": latest["scheme__name"], "period": period_label(latest["scheme__period"], start),
        "stars": stars, "total": sum(s["count"] for s in stars), "total_url": f"{base}{period_q}",
        "failed": failed, "failed_count": len(failed), "failed_url": f"{base}{period_q}&grade=fail", "trend": trend,
    }
