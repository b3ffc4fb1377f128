"""A session of refused requests leaves one line each in the server log, no traceback; a 500 keeps its traceback."""

import logging

from django.core.exceptions import PermissionDenied

from core.logfilters import NoTracebackForRefusals


def _formatted(status_code: int) -> str:
    try:
        raise PermissionDenied if status_code < 500 else RuntimeError("boom")
    except Exception as exc:  # noqa: BLE001 - the record carries whatever was raised
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: /x/", None,
                                   (type(exc), exc, exc.__traceback__))
    record.status_code = status_code
    NoTracebackForRefusals().filter(record)
    return logging.Formatter("%(levelname)s %(message)s").format(record)


def test_a_refusal_is_logged_in_one_line_and_a_server_error_with_its_traceback():
    assert _formatted(403) == "WARNING Forbidden: /x/"
    assert "Traceback" in _formatted(500)


def test_the_console_handler_of_the_settings_filters_refusals():
    filters = [f for h in logging.getLogger().handlers for f in getattr(h, "filters", [])]
    assert any(isinstance(f, NoTracebackForRefusals) for f in filters)
