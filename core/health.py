"""What /healthz checks. Each check answers (ok, detail); the view turns them into JSON and a status."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and the detail says why
        return False, str(exc)[:200]
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_DIR
        missing = [p for p in ("out", "processed", "control") if not (folder / p).is_dir()]
        return (not missing, "filesystem" if not missing else f"missing {', '.join(missing)}")
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, str(exc)[:200]
    return True, url.split("://", 1)[0]


def _worker_heartbeat() -> tuple[bool, dict]:
    from django.utils import timezone

    from .models import Heartbeat

    max_age = 2 * int(settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]["schedule"])
    try:
        last = Heartbeat.last("worker")
    except Exception as exc:  # noqa: BLE001 - the database check reports the cause
        return False, {"via": "heartbeat", "error": str(exc)[:200]}
    age = max(int((timezone.now() - last).total_seconds()), 0) if last else None
    detail = {"via": "heartbeat", "at": last.isoformat() if last else None, "age_seconds": age,
              "max_age_seconds": max_age}
    return age is not None and age <= max_age, detail


def check_worker() -> tuple[bool, dict]:
    """A live worker: one answers a ping (celery inspect ping) within HEALTH_PING_TIMEOUT, now. A worker in the
    prefork pool answers from its main process even while its children run long tasks.
    kombu's filesystem broker (`make run`) polls once a second, so a ping cannot come back that fast: there the
    worker's heartbeat counts instead (it beats when it starts and every minute from beat's schedule) and fails
    when older than two heartbeat intervals."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return _worker_heartbeat()
    from celery import current_app
    from kombu import Connection

    timeout = settings.HEALTH_PING_TIMEOUT
    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            # limit=1: answer as soon as one worker replies, instead of waiting the timeout out for all of them.
            replies = current_app.control.ping(timeout=timeout, connection=conn, limit=1)
    except Exception as exc:  # noqa: BLE001 - no broker, no worker reachable: the detail says why
        return False, {"via": "ping", "workers": [], "error": str(exc)[:200]}
    workers = sorted(name for reply in replies or [] for name in reply)
    return bool(workers), {"via": "ping", "workers": workers, "timeout_seconds": timeout}


def check_last_scan() -> tuple[bool, dict]:
    """When the deadline reminder scan last finished. Failing when it is older than two scan intervals, or when
    none has finished although one is expected: a worker has beaten (beat also starts a scan at once) or
    REMINDER_SCAN_REQUIRED says so. A fresh install with no worker yet stays healthy."""
    from django.utils import timezone

    from .models import Heartbeat

    try:
        beats = dict(Heartbeat.objects.filter(key__in=["reminder_scan", "worker"]).values_list("key", "at"))
    except Exception as exc:  # noqa: BLE001 - the database check reports the cause
        return False, {"at": None, "age_seconds": None, "error": str(exc)[:200]}
    interval = settings.REMINDER_SCAN_INTERVAL
    last = beats.get("reminder_scan")
    if last is None:
        expected = settings.REMINDER_SCAN_REQUIRED or "worker" in beats
        return not expected, {"at": None, "age_seconds": None, "interval_seconds": interval}
    age = max(int((timezone.now() - last).total_seconds()), 0)
    detail = {"at": last.isoformat(), "age_seconds": age, "interval_seconds": interval}
    return age <= 2 * interval, detail


CHECKS = {"database": check_database, "broker": check_broker, "worker": check_worker, "last_scan": check_last_scan}
