"""Benchmark: the deadline reminder scan over 100,000 open assignments on PostgreSQL, next to the bare SQL.

    .venv/bin/python bench/scan.py [--assignments 100000] [--repeat 3] [--keep]

Makes a throwaway database (``lht_bench_scan_<pid>`` on the server of $DATABASE_URL, default
postgres://postgres@127.0.0.1:5432), migrates it, seeds it with COPY (one township, 20 villages, 500 users,
open assignments with deadlines from 40 days ago to 120 days ahead, two team members each, 10% closed ones on
top), then times, each run on emptied reminder and notification tables so that all do the same work:

  scan (first)   casework.reminders.scan(): calendar, thresholds, both INSERT … SELECT, count, mark
  scan (again)   the same a second time: nothing new (the steady state of a 15-minute tick)
  scan (next day) the scan of the following day: the stages reached overnight (a normal day's work)
  bare SQL       the same two statements (and the UPDATE) sent by psycopg alone, no Django
  bare: reminder INSERT   of which the reminder statement
  bare again     the reminder statement alone, second time (all conflicts)

Not a test: numbers depend on the machine. It drops its database at the end unless --keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def psycopg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def create_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(psycopg_dsn(with_db(url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(psycopg_dsn(with_db(url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(dsn: str, assignments: int, today: dt.date) -> dict:
    """COPY the township, users and assignments; returns counts."""
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType

    from governance.models import Township

    rng = random.Random(2026)
    now = dt.datetime.now(dt.UTC)
    case_type = ContentType.objects.get_for_model(Township).pk
    password = make_password("bench-not-a-login")
    closed = assignments // 10
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO governance_township (name, code, webhook_url, webhook_secret, created_at, updated_at) "
            "VALUES ('青石镇', '510723105000', '', '', %s, %s) RETURNING id", [now, now]
        )
        township = cur.fetchone()[0]
        copy_rows(cur, "governance_village", ["township_id", "name", "code", "kind", "created_at", "updated_at"],
                  ((township, f"村{i:02d}", "", "village", now, now) for i in range(20)))
        cur.execute("SELECT id FROM governance_village ORDER BY id")
        villages = [r[0] for r in cur.fetchall()]
        user_cols = ["password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
                     "is_active", "date_joined", "role", "display_name", "phone", "township_id", "scope_version",
                     "must_change_password", "dingtalk_unionid", "wecom_userid"]
        copy_rows(cur, "governance_user", user_cols, (
            (password, False, f"u{i}", "", "", f"u{i}@example.cn" if i % 2 else "", False, True, now,
             "supervisor" if i < 5 else "township_cadre", f"干部{i}", "", township, 1, False, "", "")
            for i in range(500)
        ))
        cur.execute("SELECT id FROM governance_user ORDER BY id")
        users = [r[0] for r in cur.fetchall()]
        cadres = users[5:]
        cols = ["township_id", "village_id", "case_type_id", "case_id", "case_label", "case_url", "lead_id",
                "responsible_unit", "deadline", "is_open", "closed_at", "supervision_level", "supervision_comment",
                "created_at", "updated_at", "version", "at_county"]
        total = assignments + closed
        copy_rows(cur, "governance_responsibilityassignment", cols, (
            (township, rng.choice(villages), case_type, n, f"JF-2026-{n:06d}", f"/disputes/{n}/",
             rng.choice(cadres), "镇综治中心", today + dt.timedelta(days=rng.randint(-40, 120)),
             n <= assignments, None if n <= assignments else now, "", "", now, now, 1, False)
            for n in range(1, total + 1)
        ))
        cur.execute("SELECT id, lead_id FROM governance_responsibilityassignment ORDER BY id")
        rows = cur.fetchall()
        copy_rows(cur, "governance_responsibilityassignment_team", ["responsibilityassignment_id", "user_id"], (
            (aid, member) for aid, lead in rows for member in {rng.choice(cadres), rng.choice(cadres)} - {lead}
        ))
        conn.commit()
        cur.execute("ANALYZE")
    return {"open": assignments, "closed": closed, "users": len(users)}


def reset(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("TRUNCATE governance_notification, governance_reminder")


def timed(fn, *args, **kwargs):
    """(seconds, what ``fn`` returned)."""
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def bare_statements(today: dt.date, now: dt.datetime):
    """The scan's statements with the thresholds as literals, to send without Django."""
    from django.db import connection

    from casework import reminders

    limits = reminders.thresholds_for(today)
    compose = connection.ops.compose_sql
    return [
        compose(*reminders.reminder_sql(limits, now)),
        compose(*reminders.notification_sql(now)),
        compose("UPDATE governance_reminder SET notified_at = %s WHERE notified_at IS NULL", [now]),
    ]


def run_bare(dsn: str, statements: list[str], split: dict | None = None) -> tuple[int, int]:
    """The statements in one transaction; ``split`` collects the time of the reminder statement alone."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        start = time.perf_counter()
        made = conn.execute(statements[0]).rowcount
        if split is not None:
            split.setdefault("bare: reminder INSERT", []).append(time.perf_counter() - start)
        notified = conn.execute(statements[1]).rowcount
        conn.execute(statements[2])
        conn.commit()
    return made, notified


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for make bench)")
    args = parser.parse_args()
    if args.json:
        sys.stdout = sys.stderr  # the human lines go to stderr; stdout carries the JSON only

    url = server_url()
    name = f"lht_bench_scan_{os.getpid()}"
    create_database(url, name)
    os.environ["DATABASE_URL"] = with_db(url, name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    dsn = psycopg_dsn(with_db(url, name))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from casework import reminders

        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        t0 = time.perf_counter()
        counts = seed(dsn, args.assignments, today)
        print(f"seeded {counts} in {time.perf_counter() - t0:.1f} s (COPY)")

        results: dict[str, list[float]] = {"scan (first)": [], "scan (again)": [], "scan (next day)": [],
                                           "bare SQL": [], "bare: reminder INSERT": [], "bare again (reminders)": []}
        tomorrow = today + dt.timedelta(days=1)
        tomorrow_at = timezone.now() + dt.timedelta(days=1)
        for _ in range(args.repeat):
            reset(dsn)
            seconds, first = timed(reminders.scan)
            results["scan (first)"].append(seconds)
            results["scan (again)"].append(timed(reminders.scan)[0])
            results["scan (next day)"].append(timed(reminders.scan, today=tomorrow, now=tomorrow_at)[0])
        made, notified = first.reminders, first.notifications
        statements = bare_statements(today, timezone.now())
        for _ in range(args.repeat):
            reset(dsn)
            seconds, bare = timed(run_bare, dsn, statements, results)
            results["bare SQL"].append(seconds)
            results["bare again (reminders)"].append(timed(run_bare, dsn, statements[:1] + ["SELECT 1"] * 2)[0])
            assert bare == (made, notified), (bare, made, notified)

        if args.json:
            summary = {label: {"median": round(statistics.median(t), 3), "min": round(min(t), 3)}
                       for label, t in results.items()}
            sys.__stdout__.write(json.dumps({"assignments": args.assignments, "reminders": made,
                                             "notifications": notified, "times": summary}))
        print(f"{args.assignments:,} open assignments; one scan makes {made:,} reminders, {notified:,} notifications")
        print(f"{'':24} {'median':>8} {'min':>8}   (seconds, {args.repeat} runs)")
        for label, times in results.items():
            print(f"{label:24} {statistics.median(times):8.3f} {min(times):8.3f}")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept database {name}")
        else:
            drop_database(url, name)


if __name__ == "__main__":
    main()
