"""`make test`: the real PostgreSQL and Redis on localhost."""

import os

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/lianhutong"),
}
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"  # as in production
# Each pytest-xdist worker (gw0, gw1, …) has its own test database (pytest-django) and its own Redis database, so
# that one worker's cache, broker and Celery worker never serve another's tests.
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = env.str("REDIS_URL", default=f"redis://127.0.0.1:6379/{_XDIST_WORKER}")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Sessions in PostgreSQL alone: the tests move the clock (time_machine), and Redis would expire a cached session on the
# real one, not on the pinned day (an idle session's end is tested). `make bench`'s load reads them from Redis, as
# production does (config/settings/base.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
