"""The 包案 assignment, reminders, notifications (to casework) and the heartbeat (to core) moved out of governance:
`migrate` on a database from before the move changes no row of any table; only Django's idea of which app owns
them moves, with their content types (so permissions, admin log entries and history keep pointing at them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casework.models import Notification, Reminder, ResponsibilityAssignment
from casework.services import assignment_create, assignment_supervise
from core.models import Heartbeat
from governance.models import User
from tests.factories import GridFactory, HouseholdFactory, TownshipFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("governance", "0009_calendaryear"), ("casework", None), ("core", None)]
MOVED = {"casework": ["responsibilityassignment", "reminder", "notification", "notificationpreference"],
         "core": ["heartbeat"]}
MOVED_TABLES = ["governance_responsibilityassignment", "governance_responsibilityassignment_team",
                "governance_historicalresponsibilityassignment", "governance_historicalresponsibilityassignment_team",
                "governance_reminder", "governance_notification", "governance_notificationpreference",
                "governance_heartbeat"]


REFERENCE_TABLES = {"monitoring_monitoringtype", "monitoring_riskkind", "monitoring_measurecategory",
                    "monitoring_monitoringline", "households_demandcategory", "outreach_policy"}
# Counts of the rows already there, which their migrations make once (households/tally.py): derived, not new data.
DERIVED_TABLES = {"households_gridtally", "households_gridtagtally", "households_gridchartally",
                  "households_townshipnametally"}


def _every_row(columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table but Django's own bookkeeping (which migrations ran, which app owns a model); with
    ``columns``, only those of those columns still there (a later migration may add a column — the county of a
    township — or drop one its own data migration has carried over: a demand's old ``updated_at``)."""
    skip = {"django_migrations", "django_content_type"}
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - skip):
            present = _columns(cursor, table)
            names = [name for name in (columns or {}).get(table, present) if name in present] or present
            listed = ", ".join(f'"{name}"' for name in names)
            cursor.execute(f'SELECT {listed} FROM "{table}" ORDER BY 1')  # noqa: S608 - names from the database
            rows[table] = cursor.fetchall()
    return rows


def _columns(cursor, table: str) -> list[str]:
    return [column.name for column in connection.introspection.get_table_description(cursor, table)]


def _every_column() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return {table: _columns(cursor, table) for table in connection.introspection.table_names()}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_migrate_from_before_the_move_changes_no_row_and_moves_the_content_types():
    township = TownshipFactory(name="青石镇")
    village = VillageFactory(township=township, name="桃源村")
    grid = GridFactory(village=village, name="第一网格")
    lead = UserFactory(username="lead", role=User.Role.TOWNSHIP_STAFF, township=township)
    supervisor = UserFactory(username="boss", role=User.Role.SUPERVISOR, township=township)
    case = HouseholdFactory(grid=grid)
    assignment = assignment_create(case=case, township=township, village=village, grid=grid, lead=lead,
                                   responsible_unit="镇综治中心", deadline=dt.date(2026, 12, 1), team=[supervisor],
                                   label="JF-2026-0001 邻里纠纷")
    assignment_supervise(assignment=assignment, by=supervisor, level="red", comment="限期办结")
    now = timezone.now()
    reminder = Reminder.objects.create(assignment=assignment, stage=Reminder.OVERDUE, deadline=assignment.deadline,
                                       created_at=now, notified_at=now)
    Notification.objects.create(reminder=reminder, recipient=lead, channel=Notification.Channel.INBOX,
                                status=Notification.Status.SENT, created_at=now, next_attempt_at=now, sent_at=now)
    Heartbeat.beat("worker")
    moved_ids = {(app, model): ContentType.objects.get(app_label=app, model=model).pk
                 for app, models in MOVED.items() for model in models}
    latest = _latest()

    # A database as it was before the move: the same tables, the content types still governance's.
    _migrate(BEFORE_THE_MOVE)
    ContentType.objects.filter(pk__in=moved_ids.values()).update(app_label="governance")
    before = _every_row()
    columns_before = _every_column()
    assert all(before[table] for table in MOVED_TABLES if "notificationpreference" not in table)

    _migrate(latest)

    after = _every_row(columns_before)
    # A table a later migration drops once its rows live elsewhere (a petition's own 四包 rows) was empty here.
    dropped = set(before) - set(after)
    assert dropped <= {"petitions_responsibilitycheck", "petitions_historicalresponsibilitycheck"}
    assert not any(before[table] for table in dropped)
    assert {table: after[table] for table in before if table in after} == {
        table: rows for table, rows in before.items() if table in after}
    # Tables of later migrations (casework's 排查 rounds, …) are made empty, but for the reference data their own data
    # migrations seed (catalogues of fields, types, risk kinds, the monitoring lines).
    assert sorted(t for t in set(after) - set(before)
                  if after[t] and t not in REFERENCE_TABLES | DERIVED_TABLES) == []
    for (app, _model), pk in moved_ids.items():
        assert ContentType.objects.get(pk=pk).app_label == app
    moved = ResponsibilityAssignment.objects.get()
    assert (moved.case, moved.lead, moved.supervision_level) == (case, lead, "red")
    assert list(moved.team.all()) == [supervisor]
    assert moved.history.count() == len(before["governance_historicalresponsibilityassignment"])
    assert Notification.objects.inbox_of(lead).get().reminder.assignment == moved
    assert Heartbeat.last("worker") is not None

