"""Benchmark settings: production-like (DEBUG off, real PostgreSQL), our URLs plus the bare baseline list."""

from config.settings.test import *  # noqa: F403
from config.settings.test import env

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
# Page timings: the dashboard's short Redis cache would turn every repetition after the first into a cache hit, so
# they measure the work itself. The load run (bench/load.py) keeps the cache, as production does.
if not env.bool("BENCH_KEEP_CACHE", default=False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    # The load: sessions read from Redis, as production keeps them (config/settings/base.py).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Persistent database connections, as production has them (config/settings/production.py): without them every
# request of the load opened a PostgreSQL connection (a backend process forked per page).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# BENCH_PARALLEL=0: no parallel query workers, so that a page's database CPU time is all in the backend that serves it
# (bench/pages.py reads it there).
if not env.bool("BENCH_PARALLEL", default=True):
    DATABASES["default"]["OPTIONS"]["options"] += " -c max_parallel_workers_per_gather=0"  # noqa: F405
