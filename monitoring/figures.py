"""The figures of monitoring for the dashboard (scoped SQL aggregates), each with the list filter that shows the
same rows (``filters.MonitoringFilter``: the dashboard links there with these conditions).

风险消除率 = households whose case is 风险已消除 ÷ households ever taken into monitoring (monitored, on the exit path
or eliminated), as of the date: stated on the card."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from casework.models import ResponsibilityAssignment

from .models import Measure, MonitoringCase, sees_details

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


def _in_area(qs, village=None, township=None):
    if village:
        return qs.filter(village=village)
    if township:
        return qs.filter(township=township)
    return qs


def summary(user, *, village=None, township=None, start: dt.date | None = None, end: dt.date | None = None,
            today: dt.date | None = None) -> dict:
    """The dashboard's monitoring figures in one query (plus one for measures)."""
    today = today or timezone.localdate()
    qs = _in_area(MonitoringCase.objects.visible_to(user), village, township)
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


def by_type(user, *, village=None, township=None) -> list[dict]:
    qs = _in_area(MonitoringCase.objects.visible_to(user).filter(status__in=MonitoringCase.MONITORED_STATUSES),
                  village, township)
    return list(qs.values("type_id", "type__name").annotate(households=Count("pk"), people=Sum("members"))
                .order_by("type__sort_order"))


def on_time_q() -> Q:
    """A measure done by its planned date."""
    return Q(done_on__lte=F("planned_on"))


def late_q(today: dt.date | None = None) -> Q:
    """A measure due by ``today`` and not done by its planned date: done late, or still open past it."""
    today = today or timezone.localdate()
    return Q(planned_on__lte=today) & (Q(done_on__gt=F("planned_on")) | Q(done_on__isnull=True, planned_on__lt=today))


def measures_on_time(user, *, village=None, start: dt.date | None = None, today: dt.date | None = None) -> dict:
    """帮扶措施落实率: of the measures due in the period (planned from ``start`` to today), those done by their planned
    date. The same conditions as the measures list's ``timing`` filter (``MeasureFilter``)."""
    today = today or timezone.localdate()
    qs = Measure.objects.visible_to(user).filter(planned_on__lte=today)
    if start:
        qs = qs.filter(planned_on__gte=start)
    if village:
        qs = qs.filter(case__village=village)
    row = qs.aggregate(due=Count("pk"), on_time=Count("pk", filter=on_time_q()),
                       late=Count("pk", filter=late_q(today)))
    row["rate"] = row["on_time"] / row["due"] if row["due"] else None
    return row


def _link(**params) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    query = urlencode([(k, str(v)) for k, v in params.items() if v not in (None, "")])
    return reverse("monitoring:list") + (f"?{query}" if query else "")


def cards(user, *, village=None, township=None, today: dt.date | None = None) -> list[dict]:
    """The dashboard's monitoring cards, each linked to the list that shows the same count."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    s = summary(user, village=village, township=township, today=today)
    area = {"village": village} if village or not township else {"township": township}
    year_start = today.replace(month=1, day=1)
    rate = "—" if s["elimination_rate"] is None else f"{s['elimination_rate'] * 100:.1f}%"
    result = [
        {"key": "monitored", "label": _("Monitored households"), "count": s["monitored"], "value": str(s["monitored"]),
         "url": _link(stage="monitored", **area),
         "hint": _("%(people)s people") % {"people": s["people"]}},
    ]
    for row in by_type(user, village=village, township=township):
        result.append({"key": f"type_{row['type_id']}", "label": row["type__name"], "count": row["households"],
                       "value": str(row["households"]), "url": _link(stage="monitored", type=row["type_id"],
                                                                     **area),
                       "hint": _("%(people)s people") % {"people": row["people"]}})
    result += [
        {"key": "new", "label": _("Newly identified this year"), "count": s["new"], "value": str(s["new"]),
         "url": _link(found_from=year_start.isoformat(), **area), "hint": ""},
        {"key": "overdue", "label": _("Leads past their decision date"), "count": s["overdue"],
         "value": str(s["overdue"]), "url": _link(overdue="yes", **area), "hint": "",
         "tone": "danger" if s["overdue"] else ""},
        {"key": "problems", "label": _("Open security problems"), "count": s["problems"], "value": str(s["problems"]),
         "url": _link(problems="yes", **area), "hint": "", "tone": "warning" if s["problems"] else ""},
        {"key": "elimination_rate", "label": _("Risk elimination rate"), "count": s["eliminated"], "value": rate,
         "url": _link(status=S.ELIMINATED, **area),
         "hint": _("Households risk-eliminated ÷ households ever monitored, as of %(date)s: %(eliminated)s of "
                   "%(ever)s") % {"date": today.isoformat(), "eliminated": s["eliminated"], "ever": s["ever"]}},
    ]
    if sees_details(user):
        # Measures are among the details (income, health, the plan): not for grid workers, 联户长 or the county.
        m = measures_on_time(user, village=village, start=year_start, today=today)
        rate = "—" if m["rate"] is None else f"{m['rate'] * 100:.1f}%"
        period = {"planned_from": year_start.isoformat(), "planned_to": today.isoformat(), "village": village}
        result.append({
            "key": "measures_on_time", "label": _("Measures done on time this year"), "count": m["on_time"],
            "value": rate, "url": _measures_link(timing="on_time", **period),
            "hint": _("%(on_time)s of %(due)s due done on time; %(late)s late") % m})
    return result


def _measures_link(**params) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    return reverse("monitoring:measures") + "?" + urlencode([(k, str(v)) for k, v in params.items() if v])
