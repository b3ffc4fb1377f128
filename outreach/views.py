"""宣传 and 培训 pages. Seeing is scoping (404 outside); recording is by role (403 inside)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.bounds import parse_id
from core.lists import ScopedListView
from core.scoping import get_visible_or_404, scoped_object
from governance.models import User, Village
from governance.permissions import CASE_WORKERS, require_role
from households.photos import clean_photo

from . import figures
from .filters import PublicityEventFilter, TrainingSessionFilter
from .forms import AttendanceForm, PublicityEventForm, TrainingSessionForm
from .models import EventPhoto, Policy, PublicityEvent, TrainingSession
from .tables import PublicityEventTable, TrainingSessionTable

R = User.Role
#: Record publicity events: those who go out to the villages.
EVENT_RECORDERS = CASE_WORKERS
#: Record training sessions and tick who came: the township's staff and the cadres of the villages.
TRAINING_KEEPERS = (R.TOWNSHIP_STAFF, R.TOWNSHIP_CADRE, R.VILLAGE_CADRE)
MAX_PHOTOS = 9


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    for name in ("start", "end"):
        try:
            value = dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            continue
        if dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31):
            start, end = (value, end) if name == "start" else (start, value)
    return start, end


@require_GET
def reach(request: HttpRequest) -> HttpResponse:
    """The reach of 宣传: distinct households per policy and village in the period, each number linking to its list."""
    start, end = _period(request)
    data = figures.reach_by_village(request.user, start=start, end=end)

    def url(policy, village=None):
        query = {"policy": policy.pk, "start": start.isoformat(), "end": end.isoformat()}
        if village is not None:
            query["village"] = village.pk
        return reverse("outreach:reach-households") + "?" + urlencode(query)

    rows = [{"policy": p, "total": data["totals"].get(p.pk, 0), "total_url": url(p),
             "cells": [{"count": data["counts"].get((p.pk, v.pk), 0), "url": url(p, v),
                        "households": data["households"].get(v.pk, 0)} for v in data["villages"]]}
            for p in data["policies"]]
    return render(request, "outreach/reach.html", {"rows": rows, "villages": data["villages"], "start": start,
                                                   "end": end, "may_record": request.user.has_role(*EVENT_RECORDERS)})


@require_GET
def reach_households(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    policy = Policy.objects.filter(pk=parse_id(request.GET.get("policy"))).first()
    village = None
    if request.GET.get("village"):
        village = get_visible_or_404(Village.objects.all(), request.user, pk=parse_id(request.GET["village"]))
    households = figures.reached_households(request.user, start=start, end=end, policy=policy.pk if policy else None,
                                            village=village.pk if village else None)
    households = households.select_related("grid__village").order_by("grid__village__name", "grid__name", "pk")
    return render(request, "outreach/reach_households.html", {
        "object_list": households, "policy": policy, "village": village, "start": start, "end": end,
    })


class EventListView(ScopedListView):
    model = PublicityEvent
    table_class = PublicityEventTable
    filterset_class = PublicityEventFilter
    title = gettext_lazy("Publicity events")
    create_url_name = "outreach:event-create"

    def base_queryset(self):
        return (PublicityEvent.objects.select_related("village").prefetch_related("policies")
                .annotate(reached=Count("households", distinct=True)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.user.has_role(*EVENT_RECORDERS):
            context["create_url_name"] = None
        return context


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *EVENT_RECORDERS)
    form = PublicityEventForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        uploads = request.FILES.getlist("photos")
        try:
            if len(uploads) > MAX_PHOTOS:
                raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
            cleaned = [clean_photo(upload)[0] for upload in uploads]
        except ValidationError as exc:
            form.add_error("photos", exc)
        else:
            with transaction.atomic():
                event = form.save(commit=False)
                event.recorded_by = request.user
                event.save()
                form.save_m2m()
                for content in cleaned:
                    EventPhoto.objects.create(event=event, image=content)
            messages.success(request, _("Publicity event recorded."))
            return redirect(event)
    return render(request, "outreach/event_form.html", {"form": form})


EVENTS = PublicityEvent.objects.select_related("village", "recorded_by").prefetch_related("policies", "photos")


@scoped_object(EVENTS)
def event_detail(request: HttpRequest, event: PublicityEvent) -> HttpResponse:
    from households.models import Household

    reached = Household.objects.visible_to(request.user).filter(publicity_events=event).select_related("grid")
    return render(request, "outreach/event_detail.html", {
        "event": event, "reached": reached, "reached_total": event.households.count(),
    })


@scoped_object(PublicityEvent.objects.all(), kwarg="pk")
def event_photo(request: HttpRequest, event: PublicityEvent, photo_pk: int) -> FileResponse:
    photo = event.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


class TrainingListView(ScopedListView):
    model = TrainingSession
    table_class = TrainingSessionTable
    filterset_class = TrainingSessionFilter
    title = gettext_lazy("Training sessions")
    create_url_name = "outreach:training-create"

    def base_queryset(self):
        return TrainingSession.objects.select_related("village").annotate(
            came=Count("heads_attended", distinct=True) + Count("users_attended", distinct=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.user.has_role(*TRAINING_KEEPERS):
            context["create_url_name"] = None
        return context


@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *TRAINING_KEEPERS)
    form = TrainingSessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.township_id = (session.village.township_id if session.village_id else request.user.township_id)
        if session.township_id is None:
            form.add_error("village", _("Choose the village: you belong to no township."))
        else:
            session.recorded_by = request.user
            session.save()
            messages.success(request, _("Training session recorded: tick who came."))
            return redirect(session)
    return render(request, "outreach/training_form.html", {"form": form})


def _may_keep(session: TrainingSession, user) -> bool:
    if not user.has_role(*TRAINING_KEEPERS):
        return False
    # A village's cadre keeps their village's sessions; the township's own sessions are the township staff's.
    return user.is_township_wide or session.village_id is not None


@scoped_object(TrainingSession.objects.select_related("village", "recorded_by"))
def training_detail(request: HttpRequest, session: TrainingSession) -> HttpResponse:
    may_keep = _may_keep(session, request.user)
    return render(request, "outreach/training_detail.html", {
        "session": session, "may_keep": may_keep,
        "form": AttendanceForm(session=session) if may_keep else None,
        "heads": session.heads_attended.select_related("grid").order_by("name"),
        "users": session.users_attended.order_by("username"),
    })


@scoped_object(TrainingSession.objects.all(), methods=("POST",), permission=_may_keep)
def training_attendance(request: HttpRequest, session: TrainingSession) -> HttpResponse:
    form = AttendanceForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Tick people of the session's village only."))
        return redirect(session)
    with transaction.atomic():
        session.heads_attended.set(form.cleaned_data["heads"])
        session.users_attended.set(form.cleaned_data["users"])
    messages.success(request, _("Attendance saved: %(n)s came.") % {
        "n": len(form.cleaned_data["heads"]) + len(form.cleaned_data["users"])})
    return redirect(session)
