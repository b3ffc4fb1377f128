"""Delivery of notifications by email, webhook and WeCom application message (the inbox needs none: its rows are
delivered when made). The township's group robot gets its reminders as one digest per tick (``deliver_digest``).

Each attempt first claims the row with a conditional UPDATE (pending → sending), so two workers holding the same
task, a retried task and a re-enqueued one never send the same row twice; a row marked sent is never claimed
again. A failure is recorded on the row (attempts, last error) and retried with exponential backoff until
NOTIFY_MAX_ATTEMPTS, then the row stays "failed", shown to its owner on the preferences page, who may retry it.
A row whose worker died while sending is taken over after NOTIFY_CLAIM_TIMEOUT (then, and only then, a message
may go out twice: the receiver may have got it before the crash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import messengers

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"  # not claimed: sent already, or another worker has it


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    retry_in: int | None = None
    error: str = ""


class DeliveryError(Exception):
    """A failed attempt that is worth trying again."""


class Undeliverable(Exception):
    """Nothing to try again: no address, or an address we may not post to."""


def backoff(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones: 1, 2, 4, … × NOTIFY_BACKOFF, capped."""
    return min(settings.NOTIFY_BACKOFF * 2 ** max(attempts - 1, 0), settings.NOTIFY_BACKOFF_MAX)


def claim(notification_id: int, *, now: dt.datetime) -> bool:
    stale = now - dt.timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT)
    return bool(
        Notification.objects.filter(pk=notification_id)
        .exclude(channel=Notification.Channel.INBOX)
        .filter(Q(status=Notification.Status.PENDING) | Q(status=Notification.Status.SENDING, claimed_at__lt=stale))
        .update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def deliver(notification_id: int, *, now: dt.datetime | None = None) -> DeliveryResult:
    """One attempt at one notification. Harmless to call for a row that is sent, taken or gone."""
    now = now or timezone.now()
    if not claim(notification_id, now=now):
        return DeliveryResult(Outcome.SKIPPED)
    notification = (
        Notification.objects.select_related(
            "recipient", "reminder__assignment__lead", "reminder__assignment__township"
        ).get(pk=notification_id)
    )
    mine = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, claimed_at=notification.claimed_at
    )
    if notification.reminder_id is not None and not notification.reminder.is_current:
        mine.update(status=Notification.Status.CANCELLED, last_error=_("The case was closed or its deadline moved."))
        return DeliveryResult(Outcome.CANCELLED)
    try:
        address = send(notification)
    except Undeliverable as exc:
        mine.update(status=Notification.Status.CANCELLED, last_error=str(exc)[:1000])
        return DeliveryResult(Outcome.CANCELLED, error=str(exc))
    except DeliveryError as exc:
        return _record_failure(notification, mine, str(exc), now=now)
    if not mine.update(status=Notification.Status.SENT, sent_at=timezone.now(), address=address[:500], last_error=""):
        logger.warning("notification %s was taken over while it was being sent", notification.pk)
    return DeliveryResult(Outcome.SENT)


def _record_failure(notification: Notification, mine, error: str, *, now: dt.datetime) -> DeliveryResult:
    logger.info("notification %s attempt %s failed: %s", notification.pk, notification.attempts, error)
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        mine.update(status=Notification.Status.FAILED, last_error=error[:1000])
        return DeliveryResult(Outcome.FAILED, error=error)
    wait = backoff(notification.attempts)
    mine.update(
        status=Notification.Status.PENDING, last_error=error[:1000],
        next_attempt_at=now + dt.timedelta(seconds=wait),
    )
    return DeliveryResult(Outcome.RETRY, retry_in=wait, error=error)


def retry_failed(*, user, notification_id: int) -> bool:
    """The owner asks for another try of a delivery that gave up."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=user, status=Notification.Status.FAILED)
        .update(status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    )


# --- Channels -----------------------------------------------------------------------------------------------


def send(notification: Notification) -> str:
    """Send on the row's channel; returns the address it went to."""
    with translation.override(settings.LANGUAGE_CODE):
        if notification.channel == Notification.Channel.EMAIL:
            return _send_email(notification)
        if notification.channel == Notification.Channel.WEBHOOK:
            return _send_webhook(notification)
        if notification.channel == Notification.Channel.WECOM:
            return _send_wecom(notification)
    raise Undeliverable(f"nothing to send on channel {notification.channel}")


def _preference(user) -> NotificationPreference:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def _send_email(notification: Notification) -> str:
    user = notification.recipient
    if not user.is_active or not user.email or not _preference(user).email:
        raise Undeliverable(_("The recipient has no email address or switched email off."))
    message = compose(notification)
    try:
        send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP, DNS, sockets: any of them is worth another try
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    return user.email


def _send_wecom(notification: Notification) -> str:
    """A WeCom application message to the recipient's own WeCom (their member userid)."""
    user = notification.recipient
    if not messengers.wecom_configured():
        raise Undeliverable(_("WeCom is not configured (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET)."))
    if user is None or not user.is_active or not user.wecom_userid or not _preference(user).wecom:
        raise Undeliverable(_("The recipient has no WeCom user ID or switched WeCom messages off."))
    try:
        messengers.wecom_send_markdown(user.wecom_userid, compose(notification).markdown)
    except messengers.MessengerError as exc:
        raise DeliveryError(str(exc)) from exc
    return f"wecom:{user.wecom_userid}"


def webhook_host_allowed(url: str) -> bool:
    parts = urlsplit(url)
    allowed = settings.NOTIFY_WEBHOOK_HOSTS
    return parts.scheme in ("http", "https") and bool(parts.hostname) and (
        "*" in allowed or parts.hostname in allowed
    )


def _checked(url: str) -> str:
    if not url:
        raise Undeliverable(_("No webhook address."))
    if not webhook_host_allowed(url):
        raise Undeliverable(_("The webhook host is not in NOTIFY_WEBHOOK_HOSTS."))
    return url


def _webhook_target(notification: Notification) -> tuple[str, str]:
    """The address and, for a DingTalk robot with 加签, its secret."""
    user = notification.recipient
    if user is None and notification.reminder_id is not None:
        township = notification.reminder.assignment.township
        return _checked(township.webhook_url), township.webhook_secret
    if user is None:
        return _checked(""), ""
    preference = _preference(user)
    return _checked(preference.webhook_url if (user.is_active and preference.webhook) else ""), ""


def _send_webhook(notification: Notification) -> str:
    url, secret = _webhook_target(notification)
    message = compose(notification)
    try:
        messengers.robot_post(url, title=message.subject, secret=secret,
                              markdown=messengers.clip_bytes(message.markdown, messengers.robot_limit_bytes(url)))
    except messengers.MessengerError as exc:
        raise DeliveryError(str(exc)) from exc
    return url


# --- The township's group robot: one digest per tick ---------------------------------------------------------


@dataclass(frozen=True)
class DigestResult:
    messages: int = 0  # messages posted to the robot
    delivered: int = 0  # reminders they carried
    retry_in: int | None = None  # a failure: try again in so many seconds
    deferred: int = 0  # reminders left for the next minute (the robot's rate limit)
    error: str = ""


def robot_slot(url: str, *, now: dt.datetime) -> bool:
    """May one more message go to this robot now? At most NOTIFY_ROBOT_PER_MINUTE // 2 per calendar minute (in
    the shared cache), so that any 60 seconds, which span at most two calendar minutes, carry at most the limit."""
    per_window = max(settings.NOTIFY_ROBOT_PER_MINUTE // 2, 1)
    key = f"robot-rate:{hashlib.sha256(url.encode()).hexdigest()[:24]}:{int(now.timestamp()) // 60}"
    cache.add(key, 0, timeout=180)
    try:
        return cache.incr(key) <= per_window
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=180)
        return True


def _next_minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def deliver_digest(township_id: int, *, now: dt.datetime | None = None) -> DigestResult:
    """The township robot's due reminders as one digest (split by the robot's size limit into as few messages as
    fit), instead of one message per reminder. Rows are claimed as ``deliver`` claims one; each message's rows are
    marked sent when the robot took it; a failure sends the rest back with backoff (and gives up after
    NOTIFY_MAX_ATTEMPTS, as for any row); the rate limit leaves the rest for the next minute."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT)
    candidates = list(Notification.objects.robot_rows(township_id).due(now=now, stale=stale)
                      .values_list("pk", flat=True))
    Notification.objects.filter(pk__in=candidates).due(now=now, stale=stale).update(
        status=Notification.Status.SENDING, claimed_at=now)
    mine = Notification.objects.filter(pk__in=candidates, status=Notification.Status.SENDING, claimed_at=now)
    rows = list(mine.select_related("reminder__assignment__lead", "reminder__assignment__township")
                .order_by("reminder__deadline", "pk"))
    if not rows:
        return DigestResult()
    outdated = [row.pk for row in rows if not row.reminder.is_current]
    mine.filter(pk__in=outdated).update(status=Notification.Status.CANCELLED,
                                        last_error=_("The case was closed or its deadline moved."))
    rows = [row for row in rows if row.pk not in outdated]
    if not rows:
        return DigestResult()
    township = rows[0].reminder.assignment.township
    try:
        url = _checked(township.webhook_url)
    except Undeliverable as exc:
        mine.update(status=Notification.Status.CANCELLED, last_error=str(exc)[:1000])
        return DigestResult(error=str(exc))
    with translation.override(settings.LANGUAGE_CODE):
        parts = digest_parts(rows, limit=messengers.robot_limit_bytes(url))
    return _post_parts(parts, mine, url=url, secret=township.webhook_secret, now=now)


def _post_parts(parts: list[DigestPart], mine, *, url: str, secret: str, now: dt.datetime) -> DigestResult:
    messages = delivered = 0
    for index, part in enumerate(parts):
        rest = [pk for later in parts[index:] for pk in later.ids]
        if not robot_slot(url, now=now):
            mine.filter(pk__in=rest).update(status=Notification.Status.PENDING, next_attempt_at=_next_minute(now))
            return DigestResult(messages, delivered, deferred=len(rest))
        mine.filter(pk__in=part.ids).update(attempts=F("attempts") + 1)
        try:
            messengers.robot_post(url, title=part.title, markdown=part.markdown, secret=secret)
        except messengers.MessengerError as exc:
            wait = _digest_failure(mine.filter(pk__in=part.ids), str(exc), now=now)
            later = [pk for pk in rest if pk not in part.ids]  # not tried: they wait as long, their count unchanged
            mine.filter(pk__in=later).update(status=Notification.Status.PENDING,
                                             next_attempt_at=now + dt.timedelta(seconds=wait or 0))
            return DigestResult(messages, delivered, retry_in=wait, error=str(exc))
        mine.filter(pk__in=part.ids).update(status=Notification.Status.SENT, sent_at=timezone.now(),
                                            address=url[:500], last_error="")
        messages, delivered = messages + 1, delivered + len(part.ids)
    return DigestResult(messages, delivered)


def _digest_failure(rows, error: str, *, now: dt.datetime) -> int | None:
    """Each row waits by its own count of attempts, or gives up; the soonest retry is returned."""
    logger.info("robot digest of %s reminders failed: %s", rows.count(), error)
    rows.filter(attempts__gte=settings.NOTIFY_MAX_ATTEMPTS).update(status=Notification.Status.FAILED,
                                                                   last_error=error[:1000])
    waits = []
    for attempts in sorted(set(rows.exclude(status=Notification.Status.FAILED).values_list("attempts", flat=True))):
        wait = backoff(attempts)
        waits.append(wait)
        rows.filter(attempts=attempts).exclude(status=Notification.Status.FAILED).update(
            status=Notification.Status.PENDING, last_error=error[:1000],
            next_attempt_at=now + dt.timedelta(seconds=wait))
    return min(waits) if waits else None


@dataclass(frozen=True)
class DigestPart:
    title: str
    markdown: str
    ids: tuple[int, ...]


def digest_entry(notification: Notification) -> str:
    reminder = notification.reminder
    assignment = reminder.assignment
    link = absolute_url(assignment.case_url or reverse("inbox:list"))
    return "\n".join([
        f"**【{reminder.get_level_display()}】{reminder.get_stage_display()}** [{assignment.case_label}]({link})",
        "> " + _("Deadline %(deadline)s · lead official %(lead)s") % {
            "deadline": date_format(reminder.deadline, "DATE_FORMAT"), "lead": assignment.lead},
    ])


def digest_parts(rows: list[Notification], *, limit: int) -> list[DigestPart]:
    """The reminders packed in order into messages of at most ``limit`` bytes, each with a header line."""
    header_room = 200
    packs: list[tuple[list[str], list[int]]] = []
    size = limit
    for row in rows:
        entry = messengers.clip_bytes(digest_entry(row), limit - header_room)
        if size + len(entry.encode()) + 2 > limit - header_room:
            packs.append(([], []))
            size = 0
        packs[-1][0].append(entry)
        packs[-1][1].append(row.pk)
        size += len(entry.encode()) + 2
    title = _("Lianhutong deadline reminders")
    parts = []
    for number, (entries, ids) in enumerate(packs, start=1):
        header = _("%(title)s: %(count)d cases") % {"title": title, "count": len(entries)}
        if len(packs) > 1:
            header += f"（{number}/{len(packs)}）"
        parts.append(DigestPart(title=str(title), markdown="\n\n".join([f"### {header}", *entries]),
                                ids=tuple(ids)))
    return parts


# --- The message ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    markdown: str


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def compose(notification: Notification) -> Message:
    """The words of a notification, in the active language (the site's for email and webhook)."""
    if notification.is_notice:
        return compose_notice(notification)
    reminder = notification.reminder
    assignment = reminder.assignment
    level = reminder.get_level_display()
    stage = reminder.get_stage_display()
    deadline = date_format(reminder.deadline, "DATE_FORMAT")
    link = absolute_url(assignment.case_url or reverse("inbox:list"))
    subject = f"【{level}】{assignment.case_label} · {stage}"
    lines = [
        _("Case: %(case)s") % {"case": assignment.case_label},
        _("Stage: %(stage)s") % {"stage": stage},
        _("Deadline: %(deadline)s") % {"deadline": deadline},
        _("Lead official: %(lead)s") % {"lead": assignment.lead},
        _("Responsible unit: %(unit)s") % {"unit": assignment.responsible_unit},
    ]
    text = "\n".join([subject, "", *lines, "", link])
    colour = "warning" if reminder.level == "red" else "comment"
    open_case = _("Open the case")
    markdown = "\n".join(
        [f'**<font color="{colour}">{level}</font>** {stage}', *(f"> {line}" for line in lines), f"[{open_case}]({link})"]
    )
    return Message(subject=subject, text=text, markdown=markdown)


def compose_notice(notification: Notification) -> Message:
    """A hand-over notice: what happened (its kind), the case, the detail, the link."""
    kind = notification.get_kind_display()
    link = absolute_url(notification.url or reverse("inbox:list"))
    subject = f"【{kind}】{notification.subject}"
    lines = [line for line in (notification.subject, notification.detail) if line]
    text = "\n".join([subject, "", *lines, "", link])
    open_it = _("Open the case")
    markdown = "\n".join([f"**{kind}**", *(f"> {line}" for line in lines), f"[{open_it}]({link})"])
    return Message(subject=subject, text=text, markdown=markdown)


def wecom_payload(message: Message) -> dict:
    """The JSON of a WeCom (企业微信) group robot: a markdown message (at most 4096 bytes)."""
    content = message.markdown.encode()[:4000].decode(errors="ignore")
    return {"msgtype": "markdown", "markdown": {"content": content}}
