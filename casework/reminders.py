"""The deadline reminder scan (包案 定办结时限): which open assignments reached which stage today.

Set-based: the threshold dates for today come from the working-day calendar in Python, and two statements do
the rest, whatever the number of assignments:

1. ``INSERT INTO reminder … SELECT … FROM assignment WHERE is_open AND deadline <= horizon ON CONFLICT DO
   NOTHING``: each open assignment gets a row for the stage it is in now, once per (assignment, stage,
   deadline); the unique constraint makes a second scan, a concurrent scan or a scan after a crash harmless.
2. ``INSERT INTO notification … SELECT …`` for the reminders made in this transaction (``notified_at IS
   NULL``): one row per (reminder, recipient, channel), the lead official and the team, and for the
   escalation also the township's supervisors and, for a case of the county, the county's leaders.

Both run in one transaction: a scan killed halfway leaves nothing behind, and the next one does it all.

Catch-up policy: a scan creates only the most advanced stage an assignment is in *now*. After downtime each
assignment gets the one stage it missed most recently, once (not once per lost tick, and not the whole
history: a case found already overdue is told "overdue", not also "due in 3 days"). In normal running (a scan
every 15 minutes) every stage is reached on its day, so each is created in turn.

Stages, for a deadline D and today T (working days from ``WorkCalendar``):
    due_N       at most N working days left: D ≤ the last day before the (N+1)-th working day after T
    due_today   D = T
    overdue     D < T
    escalated   overdue for at least REMINDER_ESCALATE_AFTER working days (counted after D, up to T)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from core import messengers
from governance.models import Township, User
from governance.workdays import WorkCalendar

from .models import Notification, NotificationPreference, Reminder, ResponsibilityAssignment

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Thresholds:
    """For one day: the latest deadline of each stage, most advanced first."""

    today: dt.date
    escalate_by: dt.date | None
    due_soon: tuple[tuple[str, dt.date], ...]  # (stage, latest deadline), nearest first

    @property
    def horizon(self) -> dt.date:
        return max([self.today, *(day for _, day in self.due_soon)])

    def stage_for(self, deadline: dt.date) -> str | None:
        """The stage of one deadline, in Python (for pages and tests; the scan does the same in SQL)."""
        if self.escalate_by is not None and deadline <= self.escalate_by:
            return Reminder.ESCALATED
        if deadline < self.today:
            return Reminder.OVERDUE
        if deadline == self.today:
            return Reminder.DUE_TODAY
        for stage, latest in self.due_soon:
            if deadline <= latest:
                return stage
        return None


def last_day_within(calendar: WorkCalendar, today: dt.date, working_days: int) -> dt.date:
    """The latest deadline that leaves at most ``working_days`` working days after ``today``."""
    return calendar.add_working_days(today, working_days + 1) - ONE_DAY


def last_day_overdue_for(calendar: WorkCalendar, today: dt.date, working_days: int) -> dt.date:
    """The latest deadline that ``today`` is at least ``working_days`` working days past."""
    day, counted = today, 0
    while True:
        counted += calendar.is_workday(day)
        if counted >= working_days:
            return day - ONE_DAY
        day -= ONE_DAY


def thresholds_for(today: dt.date, calendar: WorkCalendar | None = None) -> Thresholds:
    calendar = calendar or WorkCalendar.load()
    escalate_after = settings.REMINDER_ESCALATE_AFTER
    due_soon = sorted({int(n) for n in settings.REMINDER_DUE_SOON if int(n) > 0})
    return Thresholds(
        today=today,
        escalate_by=last_day_overdue_for(calendar, today, escalate_after) if escalate_after > 0 else None,
        due_soon=tuple((Reminder.due_stage(n), last_day_within(calendar, today, n)) for n in due_soon),
    )


@dataclass
class ScanResult:
    today: dt.date
    by_stage: dict[str, int] = field(default_factory=dict)
    notifications: int = 0

    @property
    def reminders(self) -> int:
        return sum(self.by_stage.values())


def _tables() -> dict[str, str]:
    qn = connection.ops.quote_name
    team = ResponsibilityAssignment.team.through._meta
    return {
        "reminder": qn(Reminder._meta.db_table),
        "notification": qn(Notification._meta.db_table),
        "assignment": qn(ResponsibilityAssignment._meta.db_table),
        "team": qn(team.db_table),
        "team_assignment": qn(team.get_field("responsibilityassignment").column),
        "team_user": qn(team.get_field("user").column),
        "user": qn(User._meta.db_table),
        "pref": qn(NotificationPreference._meta.db_table),
        "township": qn(Township._meta.db_table),
    }


def _stage_case(limits: Thresholds, params: dict) -> str:
    """The CASE expression that names an assignment's stage, most advanced first."""
    branches = []
    if limits.escalate_by is not None:
        params["escalate_by"] = connection.ops.adapt_datefield_value(limits.escalate_by)
        branches.append(f"WHEN a.deadline <= %(escalate_by)s THEN '{Reminder.ESCALATED}'")
    branches.append(f"WHEN a.deadline < %(today)s THEN '{Reminder.OVERDUE}'")
    branches.append(f"WHEN a.deadline = %(today)s THEN '{Reminder.DUE_TODAY}'")
    for i, (stage, latest) in enumerate(limits.due_soon):
        params[f"due_{i}"] = connection.ops.adapt_datefield_value(latest)
        branches.append(f"WHEN a.deadline <= %(due_{i})s THEN '{stage}'")
    return "CASE " + " ".join(branches) + " END"


def reminder_sql(limits: Thresholds, now: dt.datetime) -> tuple[str, dict]:
    """Statement 1: one reminder per open assignment in a stage, unless that (stage, deadline) exists."""
    params = {
        "today": connection.ops.adapt_datefield_value(limits.today),
        "horizon": connection.ops.adapt_datefield_value(limits.horizon),
        "now": connection.ops.adapt_datetimefield_value(now),
        "true": True,
    }
    case = _stage_case(limits, params)
    sql = f"""
        INSERT INTO {{reminder}} (assignment_id, stage, deadline, created_at)
        SELECT s.id, s.stage, s.deadline, %(now)s FROM (
            SELECT a.id, a.deadline, {case} AS stage
            FROM {{assignment}} a
            WHERE a.is_open = %(true)s AND a.deadline <= %(horizon)s
        ) s
        WHERE s.stage IS NOT NULL
        ON CONFLICT DO NOTHING
    """
    return sql.format(**_tables()), params


def notification_sql(now: dt.datetime) -> tuple[str, dict]:
    """Statement 2: the notifications of the reminders made in this transaction (``notified_at IS NULL``).

    Recipients: the lead official and the team; for the escalation also the township's active supervisors and,
    for a case of the county (``at_county``, or a lead official who is a county user: 难事不出县), the active
    county leaders of the township's county.
    Channels: the inbox always (delivered at once), email unless switched off and when the user has an
    address, the user's webhook when switched on, a WeCom application message when WeCom is configured, the user
    has a WeCom user ID and did not switch it off, and the township's group robot when it has one (sent as one
    digest per township and tick, ``notifications.deliver_digest``).
    """
    params = {
        "now": connection.ops.adapt_datetimefield_value(now),
        "true": True,
        "false": False,
        "escalated": Reminder.ESCALATED,
        "supervisor": User.Role.SUPERVISOR,
        "county_leader": User.Role.COUNTY_LEADER,
        "county_staff": User.Role.COUNTY_STAFF,
        "inbox": Notification.Channel.INBOX,
        "email": Notification.Channel.EMAIL,
        "webhook": Notification.Channel.WEBHOOK,
        "wecom": Notification.Channel.WECOM,
        "wecom_on": messengers.wecom_configured(),
        "sent": Notification.Status.SENT,
        "pending": Notification.Status.PENDING,
    }
    sql = """
        WITH fresh AS (
            SELECT r.id AS reminder_id, r.stage, a.id AS assignment_id, a.lead_id, a.township_id,
                   (a.at_county OR l.role IN (%(county_staff)s, %(county_leader)s)) AS at_county
            FROM {reminder} r JOIN {assignment} a ON a.id = r.assignment_id JOIN {user} l ON l.id = a.lead_id
            WHERE r.notified_at IS NULL
        ),
        people AS (
            SELECT reminder_id, lead_id AS user_id FROM fresh
            UNION
            SELECT f.reminder_id, t.{team_user} FROM fresh f JOIN {team} t ON t.{team_assignment} = f.assignment_id
            UNION
            SELECT f.reminder_id, u.id FROM fresh f JOIN {user} u ON u.township_id = f.township_id
            WHERE f.stage = %(escalated)s AND u.role = %(supervisor)s
            UNION
            SELECT f.reminder_id, u.id FROM fresh f JOIN {township} tw ON tw.id = f.township_id
            JOIN {user} u ON u.county_id = tw.county_id
            WHERE f.stage = %(escalated)s AND f.at_county = %(true)s AND u.role = %(county_leader)s
        ),
        targets AS (
            SELECT p.reminder_id, p.user_id, u.email AS user_email,
                   COALESCE(pr.email, %(true)s) AS by_email,
                   COALESCE(pr.webhook, %(false)s) AS by_webhook,
                   COALESCE(pr.webhook_url, '') AS webhook_url,
                   COALESCE(pr.wecom, %(true)s) AS by_wecom, u.wecom_userid
            FROM people p
            JOIN {user} u ON u.id = p.user_id AND u.is_active = %(true)s
            LEFT JOIN {pref} pr ON pr.user_id = p.user_id
        )
        INSERT INTO {notification}
            (reminder_id, recipient_id, channel, status, attempts, last_error, address,
             created_at, next_attempt_at, sent_at)
        SELECT x.reminder_id, x.user_id, x.channel, x.status, 0, '', '', %(now)s, %(now)s, x.sent_at FROM (
            SELECT reminder_id, user_id, %(inbox)s AS channel, %(sent)s AS status, %(now)s AS sent_at
            FROM targets
            UNION ALL
            SELECT reminder_id, user_id, %(email)s, %(pending)s, NULL FROM targets
            WHERE by_email = %(true)s AND user_email <> ''
            UNION ALL
            SELECT reminder_id, user_id, %(webhook)s, %(pending)s, NULL FROM targets
            WHERE by_webhook = %(true)s AND webhook_url <> ''
            UNION ALL
            SELECT reminder_id, user_id, %(wecom)s, %(pending)s, NULL FROM targets
            WHERE %(wecom_on)s AND by_wecom = %(true)s AND wecom_userid <> ''
            UNION ALL
            SELECT f.reminder_id, NULL, %(webhook)s, %(pending)s, NULL
            FROM fresh f JOIN {township} tw ON tw.id = f.township_id
            WHERE tw.webhook_url <> ''
        ) x
        WHERE x.reminder_id IS NOT NULL
        ON CONFLICT DO NOTHING
    """
    return sql.format(**_tables()), params


@transaction.atomic
def scan(*, today: dt.date | None = None, now: dt.datetime | None = None) -> ScanResult:
    """One scan: the reminders due today and their notifications, in one transaction. Safe to repeat."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    limits = thresholds_for(today)
    result = ScanResult(today=today)
    with connection.cursor() as cursor:
        cursor.execute(*reminder_sql(limits, now))
        fresh = Reminder.objects.filter(notified_at__isnull=True)
        result.by_stage = dict(fresh.order_by().values_list("stage").annotate(n=Count("id")))
        if result.by_stage:
            cursor.execute(*notification_sql(now))
            result.notifications = cursor.rowcount
            if result.notifications < 0:  # SQLite does not count the rows of an INSERT … SELECT with a WITH
                result.notifications = Notification.objects.filter(reminder__notified_at__isnull=True).count()
            fresh.update(notified_at=now)
    return result


def lease_due_deliveries(*, now: dt.datetime | None = None) -> list[int]:
    """The email and webhook notifications to hand to the delivery task now: those never tried, those whose
    backoff is over, and those whose worker died while sending (claimed longer ago than the claim timeout).
    Leasing moves ``next_attempt_at`` forward by the claim timeout, so a lost task message is sent again by a
    later scan, and a scan that overlaps a running delivery does not enqueue it twice."""
    now = now or timezone.now()
    timeout = dt.timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT)
    table = connection.ops.quote_name(Notification._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET next_attempt_at = %s "
            "WHERE ((status = %s AND next_attempt_at <= %s) OR (status = %s AND claimed_at < %s)) "
            "AND NOT (recipient_id IS NULL AND channel = %s) RETURNING id",
            [adapt(now + timeout), Notification.Status.PENDING, adapt(now), Notification.Status.SENDING,
             adapt(now - timeout), Notification.Channel.WEBHOOK],
        )
        return sorted(row[0] for row in cursor.fetchall())


def due_digests(*, now: dt.datetime | None = None) -> list[int]:
    """The townships whose group robot has reminders to send now (``notifications.deliver_digest``, one digest per
    township). Nothing is leased: the digest claims its rows with a conditional UPDATE, so a second task for the
    same township finds nothing, and a lost task is made good by the next tick."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT)
    return sorted(set(
        Notification.objects.robot_rows().due(now=now, stale=stale)
        .values_list("reminder__assignment__township_id", flat=True)
    ))


def deadline_state(deadline: dt.date | None, *, is_open: bool = True, today: dt.date | None = None) -> str:
    """"overdue" (逾期预警), "due_today" or "" for pages and lists: calendar days, no query."""
    if deadline is None or not is_open:
        return ""
    today = today or timezone.localdate()
    if deadline < today:
        return "overdue"
    if deadline == today:
        return "due_today"
    return ""


def deadline_row_class(record) -> str:
    """For django-tables2 ``row_attrs={"class": deadline_row_class}``: "overdue" (a red row) for an open case
    past its deadline. ``record`` is an assignment, or a case with an ``assignment`` or ``deadline``."""
    target = getattr(record, "assignment", None) or record
    state = deadline_state(getattr(target, "deadline", None), is_open=getattr(target, "is_open", True))
    return "overdue" if state == "overdue" else ""
