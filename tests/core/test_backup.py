"""A backup is only as good as its restore: dump a seeded database, restore it fresh, compare every table."""

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from psycopg import sql

from core.backup import table_counts


@pytest.fixture
def restore_target():
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore"
    yield name
    with psycopg.connect(dbname="postgres", user=db["USER"] or None, host=db["HOST"] or None,
                         port=str(db["PORT"] or "") or None, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_in_every_table(
    transactional_db, tmp_path, restore_target, capsys
):
    call_command("seed_demo", "--households", "200", "--seed", "5", verbosity=0)
    db = settings.DATABASES["default"]
    source = table_counts(db)
    assert source["households_resident"] > 200

    call_command("backup_db", "--dir", str(tmp_path), "--keep", "3")
    dumps = list(tmp_path.glob("*.dump"))
    assert len(dumps) == 1

    call_command("restore_db", str(dumps[0]), "--into", restore_target)
    assert table_counts(db, restore_target) == source
    printed = capsys.readouterr().out
    assert "households_resident" in printed and "≠" not in printed


def test_restore_refuses_a_database_that_has_tables_unless_forced(transactional_db, tmp_path, restore_target):
    call_command("seed_demo", "--households", "20", verbosity=0)
    call_command("backup_db", "--dir", str(tmp_path))
    dump = next(tmp_path.glob("*.dump"))
    call_command("restore_db", str(dump), "--into", restore_target)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_db", str(dump), "--into", restore_target)
    call_command("restore_db", str(dump), "--into", restore_target, "--force")
    assert table_counts(settings.DATABASES["default"], restore_target)["governance_village"] == 20


def test_backups_keep_only_the_newest_n(transactional_db, tmp_path):
    for stamp in ("20260101-020000", "20260102-020000", "20260103-020000"):
        (tmp_path / f"{settings.DATABASES['default']['NAME']}-{stamp}.dump").write_bytes(b"old")
    call_command("backup_db", "--dir", str(tmp_path), "--keep", "2")
    kept = sorted(p.name for p in tmp_path.glob("*.dump"))
    assert len(kept) == 2
    assert "20260103-020000" in kept[0]
