"""Helpers shared by the reminder and notification tests: assignments on any case, and what the scan made."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone

from casework import services
from casework.models import Notification, Reminder, ResponsibilityAssignment
from governance.models import Township
from tests.factories import HouseholdFactory

SHANGHAI = timezone.get_fixed_timezone(8 * 60)
_case_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware moment on ``day`` in the township's time zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def make_assignment(world, *, deadline: dt.date, lead=None, team=(), village=None, case=None,
                    township: Township | None = None, label: str | None = None) -> ResponsibilityAssignment:
    """An assignment on a household (any model instance will do as the case). These tests are about reminders: the
    hand-over notice that assigning makes is removed (tests/casework/test_handover_notices.py is about those)."""
    village = village or world.village_a
    case = case or HouseholdFactory(grid=world.grid_a1 if village == world.village_a else world.grid_b1)
    assignment = services.assignment_create(
        case=case, township=township or world.township, village=village,
        lead=lead or world.users["township_cadre"], responsible_unit="镇综治中心", deadline=deadline,
        team=list(team), label=label or f"JF-2026-{next(_case_numbers):04d} 邻里纠纷", url=f"/disputes/{case.pk}/",
    )
    Notification.objects.filter(key=f"assigned:{assignment.pk}").delete()
    return assignment


def stages_of(assignment) -> list[tuple[str, dt.date]]:
    rows = Reminder.objects.filter(assignment=assignment).order_by("created_at", "id")
    return list(rows.values_list("stage", "deadline"))


def inbox_stages(user) -> list[str]:
    rows = Notification.objects.inbox_of(user).filter(reminder__isnull=False).order_by("created_at", "id")
    return list(rows.values_list("reminder__stage", flat=True))


def notify(world, user, *, village=None, stage: str = Reminder.OVERDUE, channel: str = Notification.Channel.INBOX,
           status: str | None = None, deadline: dt.date | None = None, assignment=None) -> Notification:
    """A notification for ``user`` made directly (the scan has its own tests)."""
    now = timezone.now()
    deadline = deadline or timezone.localdate() - dt.timedelta(days=1)
    assignment = assignment or make_assignment(world, deadline=deadline, village=village, lead=user)
    reminder, _ = Reminder.objects.get_or_create(
        assignment=assignment, stage=stage, deadline=assignment.deadline,
        defaults={"created_at": now, "notified_at": now},
    )
    inbox = channel == Notification.Channel.INBOX
    return Notification.objects.create(
        reminder=reminder, recipient=user, channel=channel, created_at=now, next_attempt_at=now,
        status=status or (Notification.Status.SENT if inbox else Notification.Status.PENDING),
        sent_at=now if inbox else None,
    )


class Robot:
    """A WeCom group robot on 127.0.0.1 that answers the first ``failures`` posts with an error."""

    def __init__(self, failures: int = 0, answer: dict | None = None, status: int = 500):
        self.failures, self.answer, self.status = failures, answer or {"errcode": 0, "errmsg": "ok"}, status
        self.received: list[dict] = []
        self.delivered: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                robot.received.append(body)
                if len(robot.received) <= robot.failures:
                    self.send_response(robot.status)
                    self.end_headers()
                    return
                robot.delivered.append(body)
                payload = json.dumps(robot.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
