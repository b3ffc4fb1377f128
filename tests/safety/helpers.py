"""Helpers of the data-safety tests: post a form as the browser would, and run calls at the same moment."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django import forms
from django.db import connection, connections, transaction
from django.http import QueryDict


def form_data(form) -> dict:
    """What the browser posts for ``form`` as rendered: a bound form's data, an unbound form's initial values."""
    if form.is_bound:
        return {key: form.data.getlist(key) for key in form.data}
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        formatted = widget.format_value(value) if not isinstance(value, (list, tuple)) else value
        if isinstance(formatted, (list, tuple)):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in formatted]
        else:
            data[bound.html_name] = "" if formatted is None else formatted
    return data


def as_post(data: dict) -> QueryDict:
    """``data`` as request.POST holds it (lists for repeated keys)."""
    post = QueryDict(mutable=True)
    for key, value in data.items():
        post.setlist(key, [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)])
    return post


def opened(client, url: str, form_key: str = "form") -> dict:
    """Open an edit page and return what its form would post unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response.context[form_key])


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the view is frozen for the whole transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(row, *calls: Callable[[], object], timeout: float = 20.0) -> list:
    """Start ``calls`` in threads while this thread holds ``row`` locked; once every call waits for the row, let
    them go. Each call thus read the row before any of them changed it. Returns each call's result or exception."""
    results: list = [None] * len(calls)

    def run(i: int, call: Callable) -> None:
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    with transaction.atomic():
        type(row)._base_manager.select_for_update().get(pk=row.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + timeout
        while waiting_for_locks() < len(calls):
            assert time.monotonic() < deadline, f"the calls never waited for the row: {results}"
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout)
    return results
