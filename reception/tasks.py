"""Celery tasks of the reception rota (beat)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Reception, Session


@shared_task(acks_late=True)
def flag_missed_sessions() -> int:
    """Past sessions nobody checked in to are flagged missed."""
    return Session.flag_missed(timezone.localdate())


@shared_task(acks_late=True)
def remind_reception(today: str | None = None) -> int:
    """Every morning: the leaders on duty at a session before the next working day is over are told (so a Monday's
    session, or a Saturday's market day, is announced on the Friday); a walk-in still without an outcome after the
    next working day of its session reaches whoever recorded it. Each once (the notices' key): the task may run
    again, or twice, and tells nobody twice. How many people were told."""
    from casework.models import Notification
    from casework.notices import notify
    from governance.workdays import add_working_days

    today = dt.date.fromisoformat(today) if today else timezone.localdate()
    told = 0
    with translation.override(settings.LANGUAGE_CODE):  # the notice is written once, in the site's language
        horizon = add_working_days(today, 1)
        sessions = (Session.objects.filter(status=Session.Status.SCHEDULED, date__gt=today, date__lte=horizon)
                    .prefetch_related("leaders__user"))
        for session in sessions:
            people = [leader.user for leader in session.leaders.all()]
            subject = _("Reception duty on %(date)s %(start)s, %(place)s") % {
                "date": f"{session.date:%Y-%m-%d}", "start": f"{session.start:%H:%M}", "place": session.place_zh}
            told += notify(people, kind=Notification.Kind.DUTY_COMING, key=f"reception-duty:{session.pk}",
                           subject=subject, detail=session.place_note, url=session.get_absolute_url())
        late = (Reception.objects.filter(outcome="", session__date__lt=add_working_days(today, -1))
                .select_related("session", "recorded_by"))
        for reception in late:
            subject = _("Walk-in of %(date)s still without an outcome: %(name)s") % {
                "date": f"{reception.session.date:%Y-%m-%d}", "name": reception.visitor_name}
            told += notify([reception.recorded_by], kind=Notification.Kind.NO_OUTCOME,
                           key=f"reception-no-outcome:{reception.pk}", subject=subject,
                           detail=reception.request[:300], url=reception.session.get_absolute_url())
    return told
