"""The assessment's daily reminders (beat): a period has closed, a publicity has ended, an appeal is due."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import MANAGERS, Appeal, Run, Scheme, period_bounds, period_label

DAY = dt.timedelta(days=1)


def _notify(township_id: int, *, key: str, subject: str, url: str, detail: str = "") -> int:
    from casework.models import Notification
    from casework.notices import notify, township_people

    return notify(township_people(township_id, *MANAGERS), kind=Notification.Kind.CASE_NEWS, key=key,
                  subject=subject, detail=detail, url=url)


def remind_period_closed(today: dt.date) -> int:
    """The period before today's has closed and its assessments are not all made and submitted: the township's staff
    and supervisors are told, once per scheme and period."""
    told = 0
    for scheme in Scheme.objects.filter(approved_by__isnull=False):
        start, _end = period_bounds(scheme.period, period_bounds(scheme.period, today)[0] - DAY)
        if not scheme.in_force_on(start):
            continue
        runs = Run.objects.filter(scheme=scheme, period_start=start)
        if runs.exists() and not runs.filter(status__in=[Run.Status.DRAFT, Run.Status.SELF]).exists():
            continue
        subject = _("%(period)s is over: make and submit the assessments of %(scheme)s") % {
            "period": period_label(scheme.period, start), "scheme": scheme.name}
        told += _notify(scheme.township_id, key=f"assessment-period:{scheme.pk}:{start}", subject=subject,
                        url=reverse("assessment:run-list") + f"?scheme={scheme.pk}")
    return told


def remind_publicity_ended(today: dt.date) -> int:
    told = 0
    ended = Run.objects.filter(status=Run.Status.PUBLICITY, publicity_to__lt=today).select_related("scheme")
    for run in ended:
        subject = _("Publicity ended: grade %(run)s") % {"run": run}
        told += _notify(run.township_id, key=f"assessment-publicity-end:{run.pk}", subject=subject,
                        url=run.get_absolute_url())
    return told


def remind_appeals_due(today: dt.date) -> int:
    told = 0
    for appeal in Appeal.objects.filter(answered_on__isnull=True).select_related("run__scheme"):
        due = appeal.answer_due
        if due - DAY > today:
            continue
        subject = _("Appeal to answer by %(day)s: %(run)s") % {"day": due.isoformat(), "run": appeal.run}
        stage = "overdue" if due < today else "due"
        told += _notify(appeal.run.township_id, key=f"assessment-appeal-{stage}:{appeal.pk}", subject=subject,
                        url=appeal.run.get_absolute_url(), detail=appeal.text[:300])
    return told


@shared_task(acks_late=True)
def remind_assessment(today: str | None = None) -> int:
    """Every morning; each notice once (its key), however often it runs. How many people were told."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return remind_period_closed(day) + remind_publicity_ended(day) + remind_appeals_due(day)
