"""The figures of monitoring for the dashboard (scoped SQL aggregates), each with the list filter that shows the
same rows (``filters.MonitoringFilter``: the dashboard links there with these conditions).

风险消除率 = households whose case is 风险已消除 ÷ households ever taken into monitoring (monitored, on the exit path
or eliminated), as of the date: stated on the card."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from casework.models import ResponsibilityAssignment

from .models import Measure, MonitoringCase

S = MonitoringCase.Status


def overdue_q(today: dt.date | None = None) -> Q:
    """A lead past its decision date: still being identified, its 包案 open and past the deadline."""
    today = today or timezone.localdate()
    late = ResponsibilityAssignment.objects.of_cases(MonitoringCase).filter(
        case_id=OuterRef("pk"), is_open=True, deadline__lt=today)
    return Q(status__in=MonitoringCase.ENTRY_STATUSES) & Q(Exists(late))


def open_problems_q() -> Q:
    """A 三保障/饮水 problem in hand: the latest check of a case not closed failed."""
    return ~Q(security_problems="") & ~Q(status__in=MonitoringCase.CLOSED_STATUSES)


def summary(user, *, village=None, start: dt.date | None = None, end: dt.date | None = None,
            today: dt.date | None = None) -> dict:
    """The dashboard's monitoring figures in one query (plus one for measures)."""
    today = today or timezone.localdate()
    qs = MonitoringCase.objects.visible_to(user)
    if village:
        qs = qs.filter(village=village)
    monitored = Q(status__in=MonitoringCase.MONITORED_STATUSES)
    new = Q(found_on__gte=start) if start else Q()
    if end:
        new &= Q(found_on__lte=end)
    if not start and not end:
        new = Q(found_on__year=today.year)
    row = qs.aggregate(
        monitored=Count("pk", filter=monitored),
        people=Sum("members", filter=monitored, default=0),
        new=Count("pk", filter=new),
        overdue=Count("pk", filter=overdue_q(today)),
        problems=Count("pk", filter=open_problems_q()),
        ever=Count("pk", filter=Q(status__in=MonitoringCase.EVER_MONITORED_STATUSES)),
        eliminated=Count("pk", filter=Q(status=S.ELIMINATED)),
    )
    row["elimination_rate"] = row["eliminated"] / row["ever"] if row["ever"] else None
    return row


def by_type(user, *, village=None) -> list[dict]:
    qs = MonitoringCase.objects.visible_to(user).filter(status__in=MonitoringCase.MONITORED_STATUSES)
    if village:
        qs = qs.filter(village=village)
    return list(qs.values("type_id", "type__name").annotate(households=Count("pk"), people=Sum("members"))
                .order_by("type__sort_order"))


def measures_on_time(user, *, village=None, today: dt.date | None = None) -> dict:
    """帮扶措施落实率: of the measures due by today, those done by their planned date."""
    today = today or timezone.localdate()
    qs = Measure.objects.filter(case__in=MonitoringCase.objects.visible_to(user).values("pk"), planned_on__lte=today)
    if village:
        qs = qs.filter(case__village=village)
    from django.db.models import F

    row = qs.aggregate(due=Count("pk"), on_time=Count("pk", filter=Q(done_on__lte=F("planned_on"))))
    row["rate"] = row["on_time"] / row["due"] if row["due"] else None
    return row


def _link(**params) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    query = urlencode([(k, str(v)) for k, v in params.items() if v not in (None, "")])
    return reverse("monitoring:list") + (f"?{query}" if query else "")


def cards(user, *, village=None, today: dt.date | None = None) -> list[dict]:
    """The dashboard's monitoring cards, each linked to the list that shows the same count."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    s = summary(user, village=village, today=today)
    year_start = today.replace(month=1, day=1)
    rate = "—" if s["elimination_rate"] is None else f"{s['elimination_rate'] * 100:.1f}%"
    result = [
        {"key": "monitored", "label": _("Monitored households"), "count": s["monitored"], "value": str(s["monitored"]),
         "url": _link(stage="monitored", village=village),
         "hint": _("%(people)s people") % {"people": s["people"]}},
    ]
    for row in by_type(user, village=village):
        result.append({"key": f"type_{row['type_id']}", "label": row["type__name"], "count": row["households"],
                       "value": str(row["households"]), "url": _link(stage="monitored", type=row["type_id"],
                                                                     village=village),
                       "hint": _("%(people)s people") % {"people": row["people"]}})
    result += [
        {"key": "new", "label": _("Newly identified this year"), "count": s["new"], "value": str(s["new"]),
         "url": _link(found_from=year_start.isoformat(), village=village), "hint": ""},
        {"key": "overdue", "label": _("Leads past their decision date"), "count": s["overdue"],
         "value": str(s["overdue"]), "url": _link(overdue="yes", village=village), "hint": "",
         "tone": "danger" if s["overdue"] else ""},
        {"key": "problems", "label": _("Open security problems"), "count": s["problems"], "value": str(s["problems"]),
         "url": _link(problems="yes", village=village), "hint": "", "tone": "warning" if s["problems"] else ""},
        {"key": "elimination_rate", "label": _("Risk elimination rate"), "count": s["eliminated"], "value": rate,
         "url": _link(status=S.ELIMINATED, village=village),
         "hint": _("Households risk-eliminated ÷ households ever monitored, as of %(date)s: %(eliminated)s of "
                   "%(ever)s") % {"date": today.isoformat(), "eliminated": s["eliminated"], "ever": s["ever"]}},
    ]
    return result
