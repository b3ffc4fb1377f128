"""Private files (visit photos, uploaded rosters): kept under PRIVATE_MEDIA_ROOT with random names and no URL; a
photo is sent only by a view that checks its visit is in the user's scope. (Production serves no media route; the
DEBUG-only media route of config/urls.py would need the random name.)"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage


def _random_path(folder: str, filename: str) -> str:
    """Only the extension is kept: a stored file's name says nothing about whose it is and cannot be guessed."""
    return f"{folder}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()[:8]}"


def upload_to_imports(instance, filename: str) -> str:
    return _random_path("imports", filename)


def upload_to_visits(instance, filename: str) -> str:
    return _random_path("visits", filename)
