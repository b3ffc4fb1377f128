"""bench/pageweight.py: the benchmark's settings with production's static files (hashed names, gzip beside each file,
WhiteNoise's far-future caching of hashed names) collected into var/pageweight-static."""

from bench.settings import *  # noqa: F403
from bench.settings import BASE_DIR

STATIC_ROOT = BASE_DIR / "var" / "pageweight-static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
