"""Monthly reports (简报、月报): a small registry of reports, each made of sections.

A report (矛盾纠纷排查调处月报, 信访月报, …) is a title and a list of sections; a section is a function that takes the
``Period`` (who asks, which month, which village) and returns numbered parts: a heading, a sentence whose figures
link to the filtered list behind them, and tables. Later modules (安全隐患, 接访) add a section to a report, or a
report of their own, with ``register_section`` from a module of this app: case types never import ``reports``.

Every figure is counted with the list's own FilterSet over ``visible_to(user)``, with the very parameters of its
link, so a figure and the list it opens cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse


@dataclass(frozen=True)
class Figure:
    value: int | str
    url: str = ""

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[str, list[Figure]]]
    total: tuple[str, list[Figure]] | None = None


@dataclass(frozen=True)
class Part:
    """One numbered paragraph of the report: ``sentence`` mixes text and figures."""

    heading: str
    sentence: list[str | Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Period:
    request: object
    start: dt.date
    end: dt.date
    village: object | None = None

    @property
    def user(self):
        return self.request.user

    @property
    def before(self) -> dt.date:
        return self.start - dt.timedelta(days=1)

    def count(self, *, model, filterset_class, list_url: str, **params) -> Figure:
        """The number of rows the list ``list_url`` shows with ``params`` (and the report's village), with its link."""
        if self.village is not None:
            params["village"] = self.village.pk
        params = {k: str(v) for k, v in params.items() if v not in (None, "")}
        data = QueryDict(mutable=True)
        data.update(params)
        filterset = filterset_class(data, queryset=model.objects.visible_to(self.user), request=self.request)
        value = filterset.qs.count() if filterset.is_valid() else 0
        return Figure(value, f"{reverse(list_url)}?{urlencode(params)}")


def rate(part: Figure, whole: int) -> Figure:
    """A percentage with one decimal, or "—" when there is nothing to divide by (no list behind it)."""
    return Figure(f"{100 * int(part.value) / whole:.1f}%" if whole else "—")


@dataclass
class Report:
    key: str
    title: str  # Chinese: it is printed and exported as is
    note: str = ""  # the definitions printed under the report
    sections: list[Callable[[Period], list[Part]]] = field(default_factory=list)

    def build(self, period: Period) -> list[Part]:
        return [part for section in self.sections for part in section(period)]


REPORTS: dict[str, Report] = {}


def register_report(key: str, title: str, note: str = "") -> Report:
    return REPORTS.setdefault(key, Report(key, title, note))


def register_section(report_key: str):
    """Decorator: add a section to a report (registered before with ``register_report``)."""

    def decorate(section: Callable[[Period], list[Part]]):
        REPORTS[report_key].sections.append(section)
        return section

    return decorate
