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


CHECKS = {"database": check_database, "broker": check_broker}
