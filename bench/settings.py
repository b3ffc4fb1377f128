"""Benchmark settings: production-like (DEBUG off, real PostgreSQL), our URLs plus the bare baseline list."""

from config.settings.test import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
# The dashboard's short Redis cache would turn every repetition after the first into a cache hit:
# measure the work itself.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
