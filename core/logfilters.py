"""Log filters. A refused request (403, 404, 405, 400) is the product working as meant: Django's request logger
still writes its one-line warning, but not the traceback of the PermissionDenied or Http404 behind it, so that a log
read after a session of bad input shows tracebacks only for real errors (500)."""

from __future__ import annotations

import logging


class NoTracebackForRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
