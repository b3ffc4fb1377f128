"""Private files (visit photos, uploaded rosters) live outside MEDIA_ROOT, so no static or media route can ever
serve them: a photo is sent only by a view that checks the visit is in the user's scope."""

from __future__ import annotations

import os

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
