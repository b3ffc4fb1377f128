"""Celery tasks of casework. Each takes ids, is short, and calls a service (HackSoft: a task is an API)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import beat_init

from core.models import Heartbeat

from . import notifications, reminders

logger = logging.getLogger(__name__)

SCAN_HEARTBEAT = "reminder_scan"


@shared_task(acks_late=True)
def scan_reminders() -> dict:
    """The deadline reminder scan (beat, every REMINDER_SCAN_INTERVAL): reminders and notifications in one
    transaction, then every email, webhook and WeCom notification that is due goes to the delivery task, and each
    township robot with reminders due gets one digest task."""
    result = reminders.scan()
    Heartbeat.beat(SCAN_HEARTBEAT)
    due = reminders.lease_due_deliveries()
    for notification_id in due:
        deliver_notification.delay(notification_id)
    enqueue_digests()
    logger.info("reminder scan %s: %s, %s notifications, %s to deliver",
                result.today, result.by_stage, result.notifications, len(due))
    return {"reminders": result.by_stage, "notifications": result.notifications, "deliveries": len(due)}


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_notification(self, notification_id: int) -> str:
    """One email or webhook notification; retried with backoff (the row counts the attempts and gives up)."""
    result = notifications.deliver(notification_id)
    if result.outcome == notifications.Outcome.RETRY:
        raise self.retry(countdown=result.retry_in)
    return str(result.outcome)


@shared_task(acks_late=True)
def deliver_due_notifications() -> int:
    """Right after a hand-over notice is made: its email and webhook rows (and any other that is due) go out now,
    not at the next scan. Leasing makes two of these at once, or one beside the scan, send nothing twice."""
    due = reminders.lease_due_deliveries()
    for notification_id in due:
        deliver_notification.delay(notification_id)
    return len(due)


def enqueue_digests() -> int:
    townships = reminders.due_digests()
    for township_id in townships:
        deliver_digest.delay(township_id)
    return len(townships)


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_digest(self, township_id: int) -> dict:
    """The township robot's due reminders as one digest; a failure is tried again after its backoff, and what the
    robot's rate limit held back goes out in the next minute."""
    result = notifications.deliver_digest(township_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    if result.deferred:
        raise self.retry(countdown=60)
    return {"messages": result.messages, "delivered": result.delivered}


@beat_init.connect
def scan_when_beat_starts(sender=None, **kwargs) -> None:
    """Catch up at once after downtime, rather than one interval after beat starts."""
    scan_reminders.delay()
