"""Hand-over notices: whoever is handed something is told at once, once, with a link.

``notify`` writes one inbox row per recipient (delivered when made) and, by each recipient's preferences, an email
and a webhook row that the delivery task sends after the commit (the same rows, claims and retries as the deadline
reminders, casework/notifications.py). Every notice has a ``key`` (what happened, to which thing, at which moment):
the unique constraint on (key, recipient, channel) makes a repeated call, a double click or a retried request land
nothing twice. The person who did it is not told of their own act.

Where each notice comes from: casework/services.py (assigned, supervised), casework/rectification.py and the case
types' close-out services (a 销号 to approve, approved, sent back), disputes (escalated, handed down), households
(a demand raised in a village). The 待我审批 list is ``approvals_for`` over what the case types register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import messengers
from governance.models import User

from .models import Notification, NotificationPreference


def notify(recipients: Iterable[User | None], *, kind: str, key: str, subject: str, url: str = "",
           detail: str = "", actor: User | None = None) -> int:
    """Tell ``recipients`` (users; None and inactive users are skipped, as is ``actor``). Returns how many inbox rows
    were new. Call it inside the transaction that made the change: the notice exists exactly when the change does."""
    people = {u.pk: u for u in recipients if u is not None and u.is_active and u.pk != getattr(actor, "pk", None)}
    if not people:
        return 0
    now = timezone.now()
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=people)}
    fields = {"kind": kind, "key": key[:120], "subject": subject[:200], "detail": detail[:300], "url": url[:300],
              "created_at": now, "next_attempt_at": now}
    rows, outward = [], False
    wecom_on = messengers.wecom_configured()
    for user in people.values():
        rows.append(Notification(recipient=user, channel=Notification.Channel.INBOX,
                                 status=Notification.Status.SENT, sent_at=now, **fields))
        preference = preferences.get(user.pk) or NotificationPreference(user=user)
        if preference.email and user.email:
            rows.append(Notification(recipient=user, channel=Notification.Channel.EMAIL, **fields))
            outward = True
        if preference.webhook and preference.webhook_url:
            rows.append(Notification(recipient=user, channel=Notification.Channel.WEBHOOK, **fields))
            outward = True
        if wecom_on and preference.wecom and user.wecom_userid:
            rows.append(Notification(recipient=user, channel=Notification.Channel.WECOM, **fields))
            outward = True
    before = Notification.objects.filter(key=fields["key"], channel=Notification.Channel.INBOX).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if outward:
        transaction.on_commit(_send_outward, robust=True)  # a broker down loses nothing: the scan leases them later
    return Notification.objects.filter(key=fields["key"], channel=Notification.Channel.INBOX).count() - before


def _send_outward() -> None:
    from .tasks import deliver_due_notifications

    deliver_due_notifications.delay()


# --- The hand-overs ---------------------------------------------------------------------------------------------
# The words are written once, in the site's language (settings.LANGUAGE_CODE), as the email and webhook are.


def _words(text_fn: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject, detail = text_fn()
        return str(subject), str(detail)


def assignment_assigned(*, assignment, people: Iterable[User], actor: User | None) -> int:
    """包案: the lead official and the team are told the case is theirs (each once per assignment)."""
    subject, detail = _words(lambda: (assignment.case_label, _(
        "Lead official %(lead)s · responsible unit %(unit)s · deadline %(deadline)s") % {
        "lead": assignment.lead, "unit": assignment.responsible_unit,
        "deadline": date_format(assignment.deadline, "DATE_FORMAT")}))
    return notify(people, kind=Notification.Kind.ASSIGNED, key=f"assigned:{assignment.pk}", subject=subject,
                  detail=detail, url=assignment.case_url, actor=actor)


def assignment_supervised(*, assignment, actor: User | None) -> int:
    """挂牌督办 (红牌/黄牌): the lead official and the team, once per supervision."""
    subject, detail = _words(lambda: (
        assignment.case_label, f"{assignment.get_supervision_level_display()} · {assignment.supervision_comment}"))
    stamp = assignment.supervised_at.isoformat() if assignment.supervised_at else assignment.supervision_level
    return notify([assignment.lead, *assignment.team.all()], kind=Notification.Kind.SUPERVISED,
                  key=f"supervised:{assignment.pk}:{stamp}", subject=subject, detail=detail,
                  url=assignment.case_url, actor=actor)


def case_level_changed(*, case, change_pk: int, escalated: bool, people: Iterable[User], reason: str,
                       actor: User | None) -> int:
    """A case escalated (村 → 镇 → 县) or handed down: the people at the level that now handles it."""
    kind = Notification.Kind.ESCALATED if escalated else Notification.Kind.HANDED_DOWN
    subject, detail = _words(lambda: (str(case), _("Reason: %(reason)s") % {"reason": reason}))
    return notify(people, kind=kind, key=f"level:{case._meta.label_lower}:{change_pk}", subject=subject,
                  detail=detail, url=case.get_absolute_url(), actor=actor)


def closeout_requested(*, case, closeout, approvers: Iterable[User]) -> int:
    """A 销号 waits for approval: everyone who may approve it, never the one who asked."""
    subject, detail = _words(lambda: (str(case), _("Asked for by %(who)s") % {"who": closeout.requested_by}))
    return notify(approvers, kind=Notification.Kind.CLOSEOUT_REQUESTED,
                  key=f"closeout:{closeout._meta.label_lower}:{closeout.pk}", subject=subject, detail=detail,
                  url=case.get_absolute_url(), actor=closeout.requested_by)


def closeout_decided(*, case, closeout, approved: bool, comment: str = "") -> int:
    """The decision reaches the one who asked."""
    kind = Notification.Kind.CLOSEOUT_APPROVED if approved else Notification.Kind.CLOSEOUT_REFUSED
    subject, detail = _words(lambda: (str(case), _("Decided by %(who)s. %(comment)s") % {
        "who": closeout.decided_by, "comment": comment}))
    return notify([closeout.requested_by], kind=kind,
                  key=f"closeout-decided:{closeout._meta.label_lower}:{closeout.pk}", subject=subject,
                  detail=detail.strip(), url=case.get_absolute_url(), actor=closeout.decided_by)


def case_news(*, case, people: Iterable[User], key: str, detail: str, actor: User | None) -> int:
    """News on a case its people answer for (e.g. a visit found new risks in a monitored household): once per
    ``key``."""
    subject, detail = _words(lambda: (str(case), detail))
    return notify(people, kind=Notification.Kind.CASE_NEWS, key=f"news:{case._meta.label_lower}:{case.pk}:{key}",
                  subject=subject, detail=detail, url=case.get_absolute_url(), actor=actor)


# --- Who is told ------------------------------------------------------------------------------------------------


def township_people(township_id: int, *roles: str):
    return User.objects.filter(township_id=township_id, role__in=roles, is_active=True)


def county_people(county_id: int, *roles: str):
    return User.objects.filter(county_id=county_id, role__in=roles, is_active=True)


def village_cadres(village_id: int):
    return User.objects.filter(role=User.Role.VILLAGE_CADRE, villages=village_id, is_active=True)


# --- 待我审批: what awaits my approval, from every case type -------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    label: str  # the case: its number and title
    kind: str  # what is to be approved (销号…)
    url: str
    requested_by: str
    requested_at: object  # datetime


#: name → a function (user) → list[Approval]. Each case type registers its own in its AppConfig.ready().
APPROVAL_SOURCES: dict[str, Callable[[User], list[Approval]]] = {}


def register_approvals(name: str, source: Callable[[User], list[Approval]]) -> None:
    APPROVAL_SOURCES[name] = source


def approvals_for(user: User) -> list[Approval]:
    """Everything that waits for ``user``'s approval, oldest request first (never one they asked for)."""
    items = [item for source in APPROVAL_SOURCES.values() for item in source(user)]
    return sorted(items, key=lambda a: a.requested_at)
