from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.cases import TransitionError
from core.bounds import parse_id
from core.scoping import get_visible_or_404
from disputes.models import Dispute
from governance.models import Grid, Township, User, Village
from households.models import Resident
from petitions.models import Petition

from . import services
from .models import Leader, Reception, Session

ONE_WEEK = dt.timedelta(days=7)
STAFF_ROLES = (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR)


def can_manage_rota(user) -> bool:
    return user.is_superuser or user.role in STAFF_ROLES


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _sessions():
    return Session.objects.prefetch_related(
        Prefetch("leaders", queryset=Leader.objects.order_by("name"))
    ).select_related("checked_in_by")


def rota(request):
    """The rota from this week's Monday over the coming weeks, and the sessions missed."""
    today = timezone.localdate()
    first = week_start(today)
    weeks = 1 if request.GET.get("weeks") == "1" else 4
    sessions = _sessions().visible_to(request.user).filter(
        date__range=(first, first + weeks * ONE_WEEK - dt.timedelta(days=1)))
    missed = _sessions().visible_to(request.user).missed().order_by("-date")
    if request.GET.get("missed") != "all":
        missed = missed[:20]
    my_sessions = [s for s in sessions if s.date == today and s.leader_of(request.user) is not None]
    return render(request, "reception/rota.html", {
        "sessions": sessions, "missed": missed, "today": today, "my_sessions": my_sessions,
        "can_manage": can_manage_rota(request.user),
    })


def session_detail(request, pk):
    session = get_visible_or_404(_sessions(), request.user, pk=pk)
    today = timezone.localdate()
    return render(request, "reception/session_detail.html", {
        "session": session, "today": today,
        "leader_on_duty": session.leader_of(request.user),
        "can_manage": can_manage_rota(request.user) or session.leader_of(request.user) is not None,
        "other_leaders": Leader.objects.filter(township_id=session.township_id, is_active=True)
        .exclude(pk__in=[leader.pk for leader in session.leaders.all()]),
        "swaps": session.swaps.select_related("from_leader", "to_leader", "by"),
        "receptions": with_cases(session.receptions.select_related("village", "repeat_of").order_by("received_at"),
                                 request.user),
        "may_record": may_record(session, request.user),
        "villages": Village.objects.filter(township_id=session.township_id),
        "subjects": Petition.Subject.choices, "outcomes": Reception.Outcome,
        "dispute_kinds": Dispute.Kind.choices, "risks": Dispute.Risk.choices,
        "grids": Grid.objects.visible_to(request.user).filter(village__township_id=session.township_id)
        .select_related("village"),
    })


@require_POST
def check_in(request, pk):
    session = get_visible_or_404(_sessions(), request.user, pk=pk)
    if session.leader_of(request.user) is None:
        raise PermissionDenied
    try:
        session.check_in(request.user)
    except TransitionError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Checked in. The session is held."))
    return redirect(session)


@require_POST
def swap(request, pk):
    session = get_visible_or_404(_sessions(), request.user, pk=pk)
    if not (can_manage_rota(request.user) or session.leader_of(request.user)):
        raise PermissionDenied
    leaders = {str(leader.pk): leader for leader in Leader.objects.filter(township_id=session.township_id)}
    from_leader, to_leader = leaders.get(request.POST.get("from_leader")), leaders.get(request.POST.get("to_leader"))
    if from_leader is None or to_leader is None:
        messages.error(request, _("Choose the leader who cannot come and the one who takes over."))
        return redirect(session)
    try:
        session.swap(from_leader=from_leader, to_leader=to_leader, by=request.user,
                     reason=request.POST.get("reason", ""), today=timezone.localdate())
    except TransitionError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The swap is recorded."))
    return redirect(session)


def _published(township, today):
    first = week_start(today)
    return _sessions().filter(township=township, date__range=(first, first + 2 * ONE_WEEK - dt.timedelta(days=1)))


def notice(request):
    """The printable A4 notice of the coming two weeks (Chinese, as every official paper)."""
    if request.user.township_id is None:
        raise Http404
    today = timezone.localdate()
    return render(request, "reception/notice.html", {
        "township": request.user.township, "sessions": _published(request.user.township, today),
        "first": week_start(today), "public_url": request.build_absolute_uri(
            reverse("reception-public", args=[request.user.township.code])),
    })


@login_not_required
def public(request, code):
    """The published rota, readable without login: names, posts, times and places only."""
    try:
        township = Township.objects.get(code=code)
    except Township.DoesNotExist as exc:
        raise Http404 from exc
    today = timezone.localdate()
    return render(request, "reception/public.html", {
        "township": township, "sessions": _published(township, today), "first": week_start(today),
    })


# --- the register ------------------------------------------------------------------------------------------


def may_record(session, user) -> bool:
    """Staff, supervisors and the leaders on duty record walk-ins and their outcomes."""
    return can_manage_rota(user) or session.leader_of(user) is not None


def with_cases(rows, user) -> list:
    """The walk-ins, each with ``became`` set to the case it became when the user may open that case (one query per
    case type, however many rows)."""
    rows = list(rows)
    wanted: dict[int, set[int]] = {}
    for row in rows:
        row.became = None
        if row.case_type_id and row.case_id:
            wanted.setdefault(row.case_type_id, set()).add(row.case_id)
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        found = {case.pk: case for case in model.objects.visible_to(user).filter(pk__in=ids)}
        for row in rows:
            if row.case_type_id == type_id:
                row.became = found.get(row.case_id)
    return rows


def register(request):
    """The register of walk-ins in the user's scope, newest first (IDs and phones masked)."""
    rows = Reception.objects.visible_to(request.user).select_related("session", "village", "repeat_of")
    if request.GET.get("overdue") == "1":
        from .figures import overdue_receptions

        rows = rows & overdue_receptions(request.user, timezone.localdate())
    if request.GET.get("no_outcome") == "1":
        from .figures import awaiting_outcome

        rows = rows & awaiting_outcome(request.user, timezone.localdate())
    rows = with_cases(rows.order_by("-received_at")[:200], request.user)
    can_ledger = can_manage_rota(request.user) and request.user.township_id is not None
    return render(request, "reception/register.html", {"object_list": rows, "can_ledger": can_ledger})


@require_POST
def walk_in_add(request, pk):
    session = get_visible_or_404(_sessions(), request.user, pk=pk)
    if not may_record(session, request.user):
        raise PermissionDenied
    data = request.POST
    id_number = data.get("id_number", "").strip().upper()
    name = data.get("visitor_name", "").strip()
    resident = None
    if id_number:
        resident = (Resident.objects.filter(township_id=session.township_id, id_number=id_number)
                    .select_related("household__grid__village").first())
    village = Village.objects.filter(township_id=session.township_id, pk=data.get("village") or None).first()
    try:
        head_count = max(1, int(data.get("head_count") or 1))
    except ValueError:
        head_count = 1
    if not (name or resident) or not data.get("request", "").strip():
        messages.error(request, _("Give the visitor's name and the request."))
        return redirect(session)
    services.reception_record(
        session=session, by=request.user, visitor_name=name, resident=resident, village=village,
        id_number=id_number, phone=data.get("phone", "").strip(), head_count=head_count,
        request=data["request"].strip(), category=data.get("category", ""),
        instruction=data.get("instruction", "").strip(),
    )
    messages.success(request, _("The walk-in is recorded."))
    return redirect(session)


@require_POST
def outcome(request, pk):
    reception = get_visible_or_404(Reception.objects.select_related("session"), request.user, pk=pk)
    if not may_record(reception.session, request.user):
        raise PermissionDenied
    data, by = request.POST, request.user
    kind = data.get("outcome", "")
    try:
        if kind == Reception.Outcome.ANSWERED:
            services.reception_answer(reception=reception, by=by, answer=data.get("answer", ""))
        elif kind == Reception.Outcome.PETITION:
            petition = services.reception_to_petition(reception=reception, by=by,
                                                      subject=data.get("subject") or Petition.Subject.OTHER)
            messages.success(request, _("Petition %(number)s is registered.") % {"number": petition.number})
            return redirect("petitions:detail", pk=petition.pk)
        elif kind == Reception.Outcome.DISPUTE:
            grid = Grid.objects.visible_to(by).filter(pk=parse_id(data.get("grid"))).first()
            dispute = services.reception_to_dispute(
                reception=reception, by=by, title=data.get("title", ""), kind=data.get("kind", ""), grid=grid,
                risk=data.get("risk") or Dispute.Risk.GENERAL)
            messages.success(request, _("Dispute %(number)s is registered.") % {"number": dispute.number})
            return redirect(dispute)
        elif kind == Reception.Outcome.DEMAND:
            services.reception_to_demand(reception=reception, by=by)
        elif kind == Reception.Outcome.REFERRED:
            deadline = dt.date.fromisoformat(data.get("deadline", ""))
            services.reception_refer(reception=reception, by=by, lead=by, unit=data.get("unit", ""),
                                     deadline=deadline)
        elif kind == Reception.Outcome.RETURN_VISIT:
            services.reception_book_return(reception=reception, by=by,
                                           on=dt.date.fromisoformat(data.get("return_on", "")))
        else:
            messages.error(request, _("Choose an outcome."))
            return redirect(reception.session)
    except ValueError:
        messages.error(request, _("Enter a valid date."))
    except (TransitionError, ValidationError) as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect(reception.session)


def cards(request):
    """The rota's cards on the dashboard (loaded with htmx): this week's sessions, missed sessions, overdue
    referrals, each linking to the list that shows the same rows. Nothing for household heads."""
    if request.user.role == User.Role.HOUSEHOLD_HEAD and not request.user.is_superuser:
        return HttpResponse("")
    from .figures import figures

    found = figures(request.user, timezone.localdate())
    labels = {"week_sessions": _("Reception sessions this week"), "missed_sessions": _("Missed reception sessions"),
              "overdue_referrals": _("Overdue walk-in referrals"),
              "awaiting_outcome": _("Walk-ins without an outcome")}
    tones = {"missed_sessions": "danger", "overdue_referrals": "danger", "awaiting_outcome": "warning"}
    cards = [{"key": key, "label": labels[key], "count": f["count"], "url": f["url"],
              "tone": tones.get(key, "") if f["count"] else ""} for key, f in found.items()]
    return render(request, "reception/cards.html", {"cards": cards})


def ledger(request):
    """领导接访台账 and the per-leader statistics of a month (?month=YYYY-MM, this month by default)."""
    if not can_manage_rota(request.user) or request.user.township_id is None:
        raise PermissionDenied
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = timezone.localdate()
    from .ledger import xlsx_response

    return xlsx_response(user=request.user, month=month)
