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


CHECKS = {"database": check_database, "broker": check_broker, "last_scan": check_last_scan}
