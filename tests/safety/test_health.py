"""/healthz: the database, the broker, a live worker (a ping on a real broker, its heartbeat on the filesystem
broker of `make run`) and the age of the last reminder scan; 503 when any is missing or the scan is older than two
of its intervals."""

import datetime as dt
import os
import signal
import time

import pytest
from django.utils import timezone

from core.models import Heartbeat


def _beat(key: str, ago: dt.timedelta) -> None:
    Heartbeat.objects.update_or_create(key=key, defaults={"at": timezone.now() - ago})


def _stop(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.mark.celery
def test_healthz_with_a_live_worker_then_a_stale_scan_then_the_worker_stopped(celery_worker_process, client):
    worker = celery_worker_process()
    _beat("reminder_scan", dt.timedelta(minutes=5))

    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["worker"]["ok"] is True and body["worker"]["detail"]["via"] == "ping"
    assert body["worker"]["detail"]["workers"] and body["worker"]["detail"]["workers"][0].startswith("test-")
    assert body["status"] == "ok"
    started = time.monotonic()
    client.get("/healthz")
    assert time.monotonic() - started < 0.95  # the first answer ends the ping; the timeout is not waited out

    _beat("reminder_scan", dt.timedelta(minutes=31))  # two 15-minute intervals and a minute
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["last_scan"]["ok"] is False and response.json()["worker"]["ok"] is True

    _beat("reminder_scan", dt.timedelta(minutes=1))
    _stop(worker)
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5
    body = response.json()
    assert response.status_code == 503, body
    assert body["worker"] == {"ok": False, "detail": {"via": "ping", "workers": [], "timeout_seconds": 1.0}}
    assert body["database"]["ok"] and body["broker"]["ok"] and body["last_scan"]["ok"]
    assert body["status"] == "fail"


def test_without_any_worker_healthz_is_503(db, client):
    _beat("reminder_scan", dt.timedelta(minutes=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False
    assert response.json()["last_scan"]["ok"] is True


def test_the_worker_check_answers_quickly_when_the_broker_is_unreachable(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    started = time.monotonic()
    body = client.get("/healthz").json()
    assert time.monotonic() - started < 8
    assert body["worker"]["ok"] is False and body["worker"]["detail"]["error"]


@pytest.fixture
def filesystem_broker(settings, tmp_path):
    """The embedded broker of `make run` (its folders exist, as scripts/run.sh makes them)."""
    for name in ("out", "processed", "control"):
        (tmp_path / name).mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_DIR = tmp_path
    return tmp_path


def test_on_the_filesystem_broker_the_worker_heartbeat_counts_up_to_two_intervals(db, client, filesystem_broker):
    _beat("reminder_scan", dt.timedelta(minutes=1))
    assert client.get("/healthz").json()["worker"]["ok"] is False  # no worker ever beat

    _beat("worker", dt.timedelta(seconds=115))
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    detail = response.json()["worker"]["detail"]
    assert (detail["via"], detail["max_age_seconds"]) == ("heartbeat", 120)
    assert 115 <= detail["age_seconds"] <= 117

    _beat("worker", dt.timedelta(seconds=125))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False


@pytest.mark.celery
def test_a_starting_worker_records_its_heartbeat(celery_worker_process):
    assert Heartbeat.last("worker") is None
    celery_worker_process()
    deadline = time.monotonic() + 10
    while Heartbeat.last("worker") is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Heartbeat.last("worker") is not None
