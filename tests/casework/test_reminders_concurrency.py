"""The scan against real concurrency and real crashes: separate processes on the test database, held at a chosen
point by a table lock taken from a third connection."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from casework import reminders
from casework.models import Notification, Reminder
from tests.casework.reminder_fixtures import make_assignment

ROOT = Path(__file__).resolve().parents[2]
# The scans run as separate processes, on the machine's clock: so do these tests (tests/conftest.py).
pytestmark = [pytest.mark.real_clock]


def _dsn() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_scan() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": _dsn().replace("postgresql://", "postgres://")}
    return subprocess.Popen([sys.executable, "manage.py", "send_reminders", "--no-deliver"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@contextmanager
def notifications_locked():
    """Hold writes to the notification table: a scan stops after its reminder INSERT, inside its transaction."""
    with psycopg.connect(_dsn()) as conn:
        conn.execute("BEGIN")
        conn.execute(f"LOCK TABLE {Notification._meta.db_table} IN SHARE MODE")
        yield conn
        conn.rollback()


def _wait_for_blocked(count: int, *processes: subprocess.Popen, timeout: float = 30.0) -> None:
    """Until ``count`` sessions wait for a lock (asked on a fresh connection: statistics are per transaction)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(_dsn(), autocommit=True) as probe:
        while time.monotonic() < deadline:
            waiting = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting >= count:
                return
            assert all(p.poll() is None for p in processes), [p.communicate()[0] for p in processes]
            time.sleep(0.1)
    raise AssertionError(f"{count} scans did not reach the lock in time")


def _duplicates() -> int:
    dupes = Reminder.objects.values("assignment", "stage", "deadline").annotate(n=Count("id")).filter(n__gt=1)
    return dupes.count()


def _open_cases(world, n: int = 40):
    today = timezone.localdate()
    return [make_assignment(world, deadline=today, team=[world.users["grid_worker"]]) for _ in range(n)]


def test_two_scans_at_the_same_moment_create_each_reminder_and_notification_once(transactional_db, world):
    cases = _open_cases(world)
    with notifications_locked():
        first, second = _start_scan(), _start_scan()
        # One scan holds its new reminders and waits for the notification table; the other waits for those rows.
        _wait_for_blocked(2, first, second)
    outputs = [p.communicate(timeout=60)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert sorted("Created 40 reminders" in out for out in outputs) == [False, True], outputs
    assert Reminder.objects.count() == len(cases) and _duplicates() == 0
    assert Notification.objects.filter(reminder__isnull=False).count() == 2 * len(cases)  # lead and team member, inbox
    assert not Reminder.objects.filter(notified_at__isnull=True).exists()


def test_a_scan_killed_halfway_leaves_nothing_and_the_next_scan_does_it_all(transactional_db, world):
    cases = _open_cases(world)
    with notifications_locked():
        victim = _start_scan()
        _wait_for_blocked(1, victim)
        os.kill(victim.pid, signal.SIGKILL)  # its reminders are inserted, its notifications are not
        victim.wait(timeout=10)
    # The orphaned server process rolls back when it finds its client gone; the next scan waits for that.
    result = reminders.scan()
    assert result.reminders == len(cases)
    assert Reminder.objects.count() == len(cases) and _duplicates() == 0
    assert Notification.objects.filter(reminder__isnull=False).count() == 2 * len(cases)
    assert reminders.scan().reminders == 0
