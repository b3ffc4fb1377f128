"""The home page's 待办 (what a person must do), filled by each module.

The home page belongs to governance, which may import no case type; each module registers the lines it knows of
(``register``, in its AppConfig.ready()), and the page asks them all. A line is a count and the link to the list
that shows exactly those rows: the list and the count start from the same queryset, so they agree (a test per role
follows every link). A source returns the lines that apply to the user, with a count of 0 left out by the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoLine:
    key: str
    label: str
    count: int
    url: str
    tone: str = ""  # "danger", "warning" or ""
    order: int = 50  # lower first: overdue before due, due before new


#: name → function(user, today) → list[TodoLine]
SOURCES: dict[str, Callable[[object, dt.date], list[TodoLine]]] = {}


def register(name: str, source: Callable[[object, dt.date], list[TodoLine]]) -> None:
    SOURCES[name] = source


def todo_for(user, today: dt.date) -> list[TodoLine]:
    """Every line for ``user``, those with something to do first, most urgent first."""
    if not getattr(user, "is_authenticated", False):
        return []
    lines = [line for source in SOURCES.values() for line in source(user, today)]
    return sorted(lines, key=lambda line: (line.count == 0, line.order, line.key))
