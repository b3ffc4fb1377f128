"""Petition figures as scoped SQL aggregates, for the petitions' own figures page and the dashboards.

Every function starts from ``Petition.objects.visible_to(user)`` and takes the same period (by received date)
and optional village. Rows carry ``query``: the list's query string that shows the petitions behind the figure.

Definitions:
- overdue: not closed out and past its due date (the date the assignment's reminders chase);
- on time: replied (答复) by the due date; late: replied after it, or still unanswered past it;
  on-time rate = on time / (on time + late);
- satisfaction rate: (满意 + 基本满意) / petitions whose satisfaction was recorded;
- repeat share: 重复访 / all petitions.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Petition

S = Petition.Status
UNANSWERED = [S.REGISTERED, S.HANDLING]


def base(user, *, start: dt.date | None = None, end: dt.date | None = None, village=None, township=None):
    qs = Petition.objects.visible_to(user)
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    if village is not None:
        qs = qs.filter(village=village)
    elif township is not None:
        qs = qs.filter(township=township)
    return qs


def _period_query(start, end, **extra) -> str:
    params = {k: v for k, v in {"received_from": start, "received_to": end, **extra}.items() if v not in (None, "")}
    return "?" + urlencode({k: str(v) for k, v in params.items()})


def on_time_q() -> Q:
    """Replied (答复) by the due date."""
    return Q(reply_on_time=True)


def late_q(today: dt.date) -> Q:
    """Replied after the due date, or still unanswered past it."""
    return Q(reply_on_time=False) | (Q(status__in=UNANSWERED) & Q(due_on__lt=today))


def _metrics(today: dt.date) -> dict:
    overdue = ~Q(status__in=Petition.FINISHED) & Q(due_on__lt=today)
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=~Q(status__in=Petition.FINISHED)),
        "closed": Count("pk", filter=Q(status=S.CLOSED)),
        "overdue": Count("pk", filter=overdue),
        "on_time": Count("pk", filter=on_time_q()),
        "late": Count("pk", filter=late_q(today)),
        "rated": Count("pk", filter=~Q(satisfaction="")),
        "satisfied": Count("pk", filter=Q(satisfaction__in=["satisfied", "basically"])),
        "dissatisfied": Count("pk", filter=Q(satisfaction="dissatisfied")),
        "repeats": Count("pk", filter=Q(repeat_of__isnull=False)),
        "collective": Count("pk", filter=Q(head_count__gte=5)),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _with_rates(row: dict) -> dict:
    row["on_time_rate"] = _rate(row["on_time"], row["on_time"] + row["late"])
    row["satisfaction_rate"] = _rate(row["satisfied"], row["rated"])
    row["repeat_share"] = _rate(row["repeats"], row["total"])
    return row


def summary(user, *, start=None, end=None, village=None, today: dt.date | None = None) -> dict:
    """Totals, overdue count, on-time rate, satisfaction rate, repeat share (one query)."""
    today = today or timezone.localdate()
    qs = base(user, start=start, end=end, village=village)
    row = _with_rates(qs.aggregate(**_metrics(today)))
    row["supervised"] = qs.supervised().count()
    row["overdue_query"] = _period_query(start, end, village=getattr(village, "pk", None), overdue="yes")
    return row


def by_village(user, *, start=None, end=None, today: dt.date | None = None) -> list[dict]:
    """One row per village with the same figures (one query); petitions without a village come last."""
    today = today or timezone.localdate()
    rows = (
        base(user, start=start, end=end).values("village", "village__name").annotate(**_metrics(today))
        .order_by("village__name")
    )
    result = []
    for row in rows:
        row = _with_rates(dict(row))
        row["query"] = _period_query(start, end, village=row["village"] or "")
        result.append(row)
    return result


def _by_choice(user, field: str, choices, *, start=None, end=None, village=None) -> list[dict]:
    counts = dict(
        base(user, start=start, end=end, village=village).values_list(field).annotate(n=Count("pk")).order_by()
    )
    return [
        {"key": value, "label": label, "count": counts.get(value, 0),
         "query": _period_query(start, end, village=getattr(village, "pk", None), **{field: value})}
        for value, label in choices
    ]


def by_channel(user, **period) -> list[dict]:
    return _by_choice(user, "channel", Petition.Channel.choices, **period)


def by_subject(user, **period) -> list[dict]:
    return _by_choice(user, "subject", Petition.Subject.choices, **period)


def by_status(user, **period) -> list[dict]:
    return _by_choice(user, "status", Petition.Status.choices, **period)


def by_form(user, *, start=None, end=None, village=None) -> list[dict]:
    """Forms overlap (a collective petition can also be a repeat one): one conditional count each, one query."""
    qs = base(user, start=start, end=end, village=village)
    counts = qs.aggregate(**{f: Count("pk", filter=q) for f, q in Petition.FORM_Q.items()})
    return [
        {"key": value, "label": label, "count": counts[value],
         "query": _period_query(start, end, village=getattr(village, "pk", None), form=value)}
        for value, label in Petition.Form.choices
    ]


def by_month(user, *, start=None, end=None, village=None) -> list[dict]:
    rows = (
        base(user, start=start, end=end, village=village).annotate(month=TruncMonth("received_on"))
        .values("month").annotate(count=Count("pk"), repeats=Count("pk", filter=Q(repeat_of__isnull=False)))
        .order_by("month")
    )
    return [
        {"month": row["month"], "count": row["count"], "repeats": row["repeats"],
         "query": _period_query(row["month"], _month_end(row["month"]), village=getattr(village, "pk", None))}
        for row in rows
    ]


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


# --- For the dashboards -----------------------------------------------------------------------------------
# "Now" figures (open) ignore the period; flow figures (on time, channel, form) count the petitions received in it.
# Each function is one query, whatever the number of petitions or villages.


def _received_in(start=None, end=None) -> Q:
    q = Q()
    if start:
        q &= Q(received_on__gte=start)
    if end:
        q &= Q(received_on__lte=end)
    return q


def dashboard_summary(user, *, start=None, end=None, village=None, township=None,
                      today: dt.date | None = None) -> dict:
    """One query: open (not closed out nor declined, whatever the period); of the petitions received in the period: total,
    on_time, late, on_time_rate (percent, None when nothing is due yet), and the counts per channel and per form
    (``channels`` and ``forms``: {value: count})."""
    today = today or timezone.localdate()
    period = _received_in(start, end)
    metrics = {
        "open": Count("pk", filter=~Q(status__in=Petition.FINISHED)),
        "total": Count("pk", filter=period) if period else Count("pk"),
        "on_time": Count("pk", filter=period & on_time_q()),
        "late": Count("pk", filter=period & late_q(today)),
    }
    channels = {f"channel_{value}": Count("pk", filter=period & Q(channel=value)) for value in Petition.Channel.values}
    forms = {f"form_{value}": Count("pk", filter=period & Petition.FORM_Q[value]) for value in Petition.Form.values}
    row = base(user, village=village, township=township).aggregate(**metrics, **channels, **forms)
    row["channels"] = {value: row.pop(f"channel_{value}") for value in Petition.Channel.values}
    row["forms"] = {value: row.pop(f"form_{value}") for value in Petition.Form.values}
    row["on_time_rate"] = _rate(row["on_time"], row["on_time"] + row["late"])
    return row


def on_time_by_village(user, *, start=None, end=None, village=None, today: dt.date | None = None) -> list[dict]:
    """One query: per village (petitions without one are left out), of the petitions received in the period:
    village, village__name, on_time, late, on_time_rate."""
    today = today or timezone.localdate()
    rows = (
        base(user, start=start, end=end, village=village).filter(village__isnull=False).order_by()
        .values("village", "village__name")
        .annotate(on_time=Count("pk", filter=on_time_q()), late=Count("pk", filter=late_q(today)))
        .order_by("village__name")
    )
    return [{**row, "on_time_rate": _rate(row["on_time"], row["on_time"] + row["late"])} for row in rows]
