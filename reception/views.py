from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.cases import TransitionError
from core.scoping import get_visible_or_404
from governance.models import Township, User

from .models import Leader, Session

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
    sessions = _sessions().visible_to(request.user).filter(date__range=(first, first + 4 * ONE_WEEK))
    missed = _sessions().visible_to(request.user).missed().order_by("-date")[:20]
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
