"""The benchmark datasets, each in its own PostgreSQL database, built once with seed_demo's bulk loading."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

DATASETS = {
    # 15,000 households (~50,000 residents), 300,000 visits, 5,000 disputes, 3,000 petitions: one township.
    "township": ["--households", "15000", "--visits", "300000", "--disputes", "5000", "--petitions", "3000"],
    # A county: 20 townships, 300,000 households, 1,000,000 visits.
    "county": ["--households", "300000", "--townships", "20", "--visits", "1000000",
               "--disputes", "40000", "--petitions", "20000"],
}


def database_url(name: str) -> str:
    return f"{SERVER}/lht_bench_{name}"


def env_for(name: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url(name), "DJANGO_SETTINGS_MODULE": "bench.settings"}


def _exists(name: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"lht_bench_{name}"]).fetchone() is not None


def _seeded(name: str) -> bool:
    try:
        with psycopg.connect(database_url(name)) as conn:
            return conn.execute("SELECT count(*) FROM households_household").fetchone()[0] > 0
    except psycopg.Error:
        return False


def ensure(name: str, *, reseed: bool = False, log=print) -> float | None:
    """Create, migrate and seed the dataset when missing; returns the seconds spent seeding (None if reused)."""
    if reseed and _exists(name):
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "lht_bench_{name}" WITH (FORCE)')
    if not _exists(name):
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "lht_bench_{name}"')
    env = env_for(name)
    manage = [sys.executable, "manage.py"]
    # A reused dataset follows the code's migrations too.
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    if _seeded(name):
        # What autovacuum would have done by now (it is off on some machines, this one among them): the import job of
        # an earlier run leaves 10,000 dead residents and households behind, and five runs slowed the township's
        # pages by a third (index scans through dead rows, index-only scans back to the heap).
        with psycopg.connect(database_url(name), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        return None
    log(f"seeding the {name} dataset ({' '.join(DATASETS[name])}) …")
    started = time.monotonic()
    subprocess.run([*manage, "seed_demo", "--seed", "2026", "--today", "2026-11-21", *DATASETS[name]],
                   cwd=ROOT, env=env, check=True)
    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.monotonic() - started
