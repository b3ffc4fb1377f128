"""Delivery of notifications by email and webhook (the inbox needs none: its rows are delivered when made).

Each attempt first claims the row with a conditional UPDATE (pending → sending), so two workers holding the same
task, a retried task and a re-enqueued one never send the same row twice; a row marked sent is never claimed
again. A failure is recorded on the row (attempts, last error) and retried with exponential backoff until
NOTIFY_MAX_ATTEMPTS, then the row stays "failed", shown to its owner on the preferences page, who may retry it.
A row whose worker died while sending is taken over after NOTIFY_CLAIM_TIMEOUT (then, and only then, a message
may go out twice: the receiver may have got it before the crash).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


def webhook_host_allowed(url: str) -> bool:
    parts = urlsplit(url)
    allowed = settings.NOTIFY_WEBHOOK_HOSTS
    return parts.scheme in ("http", "https") and bool(parts.hostname) and (
        "*" in allowed or parts.hostname in allowed
    )


def _webhook_url(notification: Notification) -> str:
    user = notification.recipient
    if user is None and notification.reminder_id is not None:
        url = notification.reminder.assignment.township.webhook_url
    elif user is None:
        url = ""
    else:
        preference = _preference(user)
        url = preference.webhook_url if (user.is_active and preference.webhook) else ""
    if not url:
        raise Undeliverable(_("No webhook address."))
    if not webhook_host_allowed(url):
        raise Undeliverable(_("The webhook host is not in NOTIFY_WEBHOOK_HOSTS."))
    return url


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: the host was checked against NOTIFY_WEBHOOK_HOSTS, the address it points to was not."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


_WEBHOOK_OPENER = urllib.request.build_opener(_NoRedirects)


def _send_webhook(notification: Notification) -> str:
    url = _webhook_url(notification)
    body = json.dumps(wecom_payload(compose(notification)), ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme and host were checked above
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _WEBHOOK_OPENER.open(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    _check_wecom_answer(answer)
    return url


def _check_wecom_answer(answer: bytes) -> None:
    """A WeCom robot answers HTTP 200 with {"errcode": 0} on success and a non-zero errcode otherwise."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return
    if isinstance(data, dict) and data.get("errcode", 0) not in (0, "0"):
        raise DeliveryError(f"errcode {data.get('errcode')}: {data.get('errmsg', '')}"[:300])


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
