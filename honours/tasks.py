"""The 红黑榜's daily reminders (beat): a rule's list is due and not drafted, a black entry's 整改 is due or overdue.
Each notice once (its key), however often the task runs."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import FollowUp, ListDefinition, ListIssue

DAY = dt.timedelta(days=1)


def evaluation_date(definition: ListDefinition, period_end: dt.date) -> dt.date:
    """The day a period's list is to be evaluated by: the rule's day of the month after the period."""
    return (period_end + DAY).replace(day=definition.eval_day)


def remind_lists_due(today: dt.date) -> int:
    """A rule's list for the last period is due by tomorrow (or late) and nobody has drafted it: the township's
    staff are told, once per rule and period."""
    from casework.models import Notification
    from casework.notices import notify, township_people
    from governance.models import User

    told = 0
    for definition in ListDefinition.objects.filter(is_active=True):
        start, end = definition.period_of(today)
        if evaluation_date(definition, end) - DAY > today:
            continue
        if ListIssue.objects.filter(definition=definition, period_start=start).exists():
            continue
        subject = _("Red and black list due by %(day)s: %(rule)s (%(start)s – %(end)s)") % {
            "day": evaluation_date(definition, end).isoformat(), "rule": definition.name,
            "start": start.isoformat(), "end": end.isoformat()}
        told += notify(township_people(definition.township_id, User.Role.TOWNSHIP_STAFF),
                       kind=Notification.Kind.CASE_NEWS, key=f"honours-list-due:{definition.pk}:{start}",
                       subject=subject, url=definition.get_absolute_url())
    return told


def remind_follow_ups(today: dt.date) -> int:
    """A black entry's 整改 due tomorrow, or past its deadline and not done: its owner is told (once each)."""
    from casework.models import Notification
    from casework.notices import notify

    told = 0
    due = (FollowUp.objects.filter(done_on__isnull=True, deadline__lte=today + DAY)
           .select_related("owner", "entry__issue"))
    for follow_up in due:
        late = follow_up.deadline < today
        template = (_("Rectification overdue since %(day)s: %(entry)s") if late
                    else _("Rectification due by %(day)s: %(entry)s"))
        subject = template % {"day": follow_up.deadline.isoformat(), "entry": follow_up.entry.label}
        told += notify([follow_up.owner], kind=Notification.Kind.CASE_NEWS,
                       key=f"honours-follow-up-{'overdue' if late else 'due'}:{follow_up.pk}",
                       subject=subject, url=follow_up.entry.issue.get_absolute_url())
    return told


@shared_task(acks_late=True)
def remind_honours(today: str | None = None) -> int:
    """Every morning: how many people were told."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return remind_lists_due(day) + remind_follow_ups(day)


