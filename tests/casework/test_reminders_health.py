"""/healthz reports the last reminder scan; the beat schedule carries the scan."""

import datetime as dt

import time_machine
from django.conf import settings
from django.utils import timezone

from core.models import Heartbeat


def _beat(key: str, ago: dt.timedelta) -> None:
    Heartbeat.objects.update_or_create(key=key, defaults={"at": timezone.now() - ago})


def test_the_beat_schedule_runs_the_scan_every_interval_and_keeps_the_heartbeat():
    assert settings.CELERY_BEAT_SCHEDULE["reminder-scan"] == {
        "task": "casework.tasks.scan_reminders", "schedule": float(settings.REMINDER_SCAN_INTERVAL),
    }
    assert settings.REMINDER_SCAN_INTERVAL == 900
    assert "worker-heartbeat" in settings.CELERY_BEAT_SCHEDULE


def test_the_scan_check_is_healthy_before_any_worker_or_scan_has_run(db, client):
    response = client.get("/healthz")
    assert response.json()["last_scan"] == {
        "ok": True, "detail": {"at": None, "age_seconds": None, "interval_seconds": 900},
    }
    # /healthz as a whole fails: no worker answers (tests/safety/test_health.py).
    assert response.status_code == 503 and response.json()["worker"]["ok"] is False


def test_healthz_reports_when_the_last_scan_finished_and_its_age(db, client):
    _beat("reminder_scan", dt.timedelta(minutes=5))
    last = client.get("/healthz").json()["last_scan"]
    assert last["ok"] is True
    assert 299 <= last["detail"]["age_seconds"] <= 302
    assert last["detail"]["at"] == Heartbeat.last("reminder_scan").isoformat()


def test_healthz_fails_when_the_last_scan_is_older_than_two_intervals(db, client):
    _beat("reminder_scan", dt.timedelta(minutes=29))
    assert client.get("/healthz").json()["last_scan"]["ok"] is True  # (no worker here: the status is 503 anyway)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["last_scan"]["ok"] is False


def test_healthz_fails_when_a_worker_runs_but_no_scan_ever_finished(db, client):
    _beat("worker", dt.timedelta(seconds=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["last_scan"]["ok"] is False


def test_healthz_fails_without_a_scan_when_the_setting_requires_one(db, client, settings):
    settings.REMINDER_SCAN_REQUIRED = True
    assert client.get("/healthz").status_code == 503
