"""Backup and restore of the PostgreSQL database with pg_dump -Fc / pg_restore, and per-table row counts to
compare a restore with its source. A township's ledgers are evidence: the restore drill is in README.md."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql


class BackupError(Exception):
    pass


def _conninfo(db: dict, name: str | None = None) -> dict:
    return {
        "dbname": name or db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": str(db.get("PORT") or "") or None,
    }


def _env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _client_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return args


def backup(db: dict, folder: Path, *, keep: int, now: dt.datetime) -> Path:
    """Write ``<name>-YYYYmmdd-HHMMSS.dump`` (compressed custom format) and keep the newest ``keep`` dumps."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db['NAME']}-{now:%Y%m%d-%H%M%S}.dump"
    partial = target.with_suffix(".dump.partial")
    cmd = ["pg_dump", "-Fc", "-Z", "6", *_client_args(db), "-f", str(partial), db["NAME"]]
    result = subprocess.run(cmd, env=_env(db), capture_output=True, text=True)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(result.stderr.strip() or "pg_dump failed")
    partial.rename(target)  # a dump is only ever seen whole
    dumps = sorted(folder.glob(f"{db['NAME']}-*.dump"))
    for old in dumps[: max(0, len(dumps) - keep)]:
        old.unlink()
    return target


def table_counts(db: dict, name: str | None = None) -> dict[str, int]:
    """Exact row counts of every table in the public schema."""
    with psycopg.connect(**_conninfo(db, name)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]
        return {
            t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
            for t in tables
        }


def _database_exists(db: dict, name: str) -> bool:
    with psycopg.connect(**_conninfo(db, "postgres"), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def restore(db: dict, dump: Path, *, into: str, force: bool = False) -> dict[str, int]:
    """Restore ``dump`` into database ``into`` (created when missing). A database that has tables is refused
    unless ``force``, which drops and recreates it. Returns the restored row counts."""
    if not dump.is_file():
        raise BackupError(f"no such file: {dump}")
    if _database_exists(db, into):
        if table_counts(db, into) and not force:
            raise BackupError(f"database {into} is not empty; use --force to replace it")
        with psycopg.connect(**_conninfo(db, "postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(into)))
    with psycopg.connect(**_conninfo(db, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(into)))
    cmd = ["pg_restore", "--no-owner", "--exit-on-error", *_client_args(db), "-d", into, str(dump)]
    result = subprocess.run(cmd, env=_env(db), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or "pg_restore failed")
    return table_counts(db, into)
