"""The county dashboard (issue 21): the townships of the county side by side, then one township's villages side by
side (county → township → village → list). Each count is the count of the list it links to, with the same filters;
four grouped queries whatever the number of townships or villages, and one for the board of the county's own overdue
cases (a dispute at the county, a petition registered there, a case led by a county user).

The ranking's rule, stated on the page: the mediation success rate (mediations succeeded / mediations ended) of the
disputes registered this year; a township (or village) with fewer than ``RANKING_MINIMUM`` ended mediations is
listed but not ranked.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from casework import figures as assignment_figures
from casework.models import ResponsibilityAssignment
from disputes.models import Dispute
from governance.models import Township, Village
from petitions.models import Petition

from .figures import BOARD_SIZE, link

#: A township or village is ranked once this many mediations of the period have ended.
RANKING_MINIMUM = 5
LEVELS = (Dispute.Level.VILLAGE, Dispute.Level.TOWNSHIP, Dispute.Level.COUNTY)


def _percent(part: int, whole: int) -> str:
    return "—" if not whole else f"{part * 100 / whole:.1f}%"


def county_figures(user, *, today: dt.date, township: Township | None = None) -> dict:
    """Rows of figures per township of ``user``'s scope, or per village of ``township`` (already in scope)."""
    start = today.replace(month=1, day=1)
    if township is None:
        key, area = "township", Township.objects.visible_to(user).order_by("code")
        rows = [{"area": t, "name": t.name, "params": {"township": t.pk}} for t in area]
    else:
        key, area = "village", Village.objects.visible_to(user).filter(township=township).order_by("name")
        rows = [{"area": v, "name": v.name, "params": {"township": township.pk, "village": v.pk}} for v in area]
    narrow = {} if township is None else {"township": township.pk}

    disputes = Dispute.objects.visible_to(user).filter(**narrow).order_by().values(key).annotate(
        open=Count("pk", filter=~Q(status=Dispute.Status.CLOSED)),
        ended=Count("pk", filter=Q(registered_on__gte=start, registered_on__lte=today) & ~Q(outcome="")),
        succeeded=Count("pk", filter=Q(registered_on__gte=start, registered_on__lte=today,
                                       outcome=Dispute.Outcome.SUCCESS)),
        **{f"resolved_{level}": Count("pk", filter=Q(registered_on__gte=start, registered_on__lte=today,
                                                      outcome=Dispute.Outcome.SUCCESS, resolved_level=level))
           for level in LEVELS},
    )
    overdue_assignments = ResponsibilityAssignment.objects.visible_to(user).filter(**narrow).filter(
        assignment_figures.overdue_q(today)).order_by().values(key).annotate(
        n=Count("pk"), at_county=Count("pk", filter=assignment_figures.county_level_q()))
    petitions = Petition.objects.visible_to(user).filter(**narrow).order_by().values(key).annotate(
        overdue=Count("pk", filter=Q(pk__in=Petition.objects.overdue(today).values("pk"))),
        skip_level=Count("pk", filter=Q(Petition.FORM_Q[Petition.Form.SKIP_LEVEL],
                                        received_on__gte=start, received_on__lte=today)),
    )
    by_dispute = {r[key]: r for r in disputes}
    by_assignment = {r[key]: r for r in overdue_assignments}
    by_petition = {r[key]: r for r in petitions}

    period = {"registered_from": start.isoformat(), "registered_to": today.isoformat()}
    for row in rows:
        pk, params = row["area"].pk, row["params"]
        d = by_dispute.get(pk, {})
        succeeded, ended = d.get("succeeded", 0), d.get("ended", 0)
        row["open_disputes"] = {"count": d.get("open", 0), "url": link("disputes:list", open="yes", **params)}
        row["succeeded"] = {"count": succeeded,
                            "url": link("disputes:list", outcome="success", **period, **params)}
        row["ended"] = ended
        row["success_rate"] = _percent(succeeded, ended)
        row["levels"] = [
            {"level": level, "count": d.get(f"resolved_{level}", 0),
             "share": _percent(d.get(f"resolved_{level}", 0), succeeded),
             "url": link("disputes:list", outcome="success", resolved_level=level, **period, **params)}
            for level in LEVELS
        ]
        row["overdue_assignments"] = {"count": by_assignment.get(pk, {}).get("n", 0),
                                      "url": link("dashboards:assignments", state="overdue", **params)}
        p = by_petition.get(pk, {})
        row["overdue_petitions"] = {"count": p.get("overdue", 0),
                                    "url": link("petitions:list", overdue="yes", **params)}
        # 越级访 counted against the township: the skip-level petitions received this year.
        row["skip_level"] = {"count": p.get("skip_level", 0),
                             "url": link("petitions:list", form=Petition.Form.SKIP_LEVEL, received_from=start.isoformat(),
                                         received_to=today.isoformat(), **params)}
        row["drill_url"] = link("dashboards:county", township=pk) if township is None else None
        row["rate"] = succeeded / ended if ended >= RANKING_MINIMUM else None

    ranked = sorted((r for r in rows if r["rate"] is not None), key=lambda r: (-r["rate"], -r["ended"], r["name"]))
    for place, row in enumerate(ranked, start=1):
        row["place"] = place
    # The county's own overdue cases, longest first: their escalation has reached the county's leaders.
    board = assignment_figures.overdue_board(user, township=township, county_level=True, today=today,
                                             limit=BOARD_SIZE)
    return {
        "board": board, "board_total": sum(r["at_county"] for r in by_assignment.values()),
        "board_url": link("dashboards:assignments", state="overdue", county="yes", **narrow),
        "escalate_after": settings.REMINDER_ESCALATE_AFTER,
        "rows": rows, "ranked": ranked, "unranked": [r for r in rows if r["rate"] is None],
        "level_labels": [Dispute.Level(level).label for level in LEVELS], "start": start, "today": today,
        "minimum": RANKING_MINIMUM, "area_label": _("Township") if township is None else _("Village"),
    }
