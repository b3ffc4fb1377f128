"""GB/T 31000-2015 data sets from our records: 实有人口 (residents), 特殊人群和重点人员 (residents' tags that have a
code in the standard's 人员类别 table) and 矛盾纠纷排查化解 (disputes), one township and period at a time, each row
with the standard's element names as headers and its code values, and the validation report of what is missing.

Everything starts from ``visible_to(user)``. ID numbers are masked (first 6 and last 4) unless the caller asks for
full ones (the view logs that with a reason); phones are always masked; focus-person tags only reach users who may
see them (``households.permissions.visible_tags``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.masking import mask_id_number, mask_phone
from disputes.models import Dispute, Party
from governance.models import Township
from households.idnumbers import validate_id_number
from households.models import Resident
from households.permissions import visible_tags

from .loader import GBT31000
from .models import CodeValue, DataElement

DATASETS = {
    "population": gettext_lazy("Actual population (实有人口)"),
    "special": gettext_lazy("Special groups and focus persons (特殊人群和重点人员)"),
    "disputes": gettext_lazy("Dispute screening and resolution (矛盾纠纷排查化解)"),
}


@dataclass(frozen=True)
class Selection:
    user: Any
    township: Township
    dataset: str
    start: dt.date
    end: dt.date
    full_ids: bool = False


@dataclass(frozen=True)
class Problem:
    record: str
    element: str
    text: str


@dataclass
class Report:
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(element, problem, how many records), the most frequent first."""
        counts = Counter((p.element, p.text) for p in self.problems)
        return [(element, text, n) for (element, text), n in counts.most_common()]

    @property
    def records_with_problems(self) -> int:
        return len({p.record for p in self.problems})


# --- Where each element's value comes from ---------------------------------------------------------------------


def _attr(obj, name: str):
    return getattr(obj, name, "") if obj is not None else ""


SOURCES: dict[str, Callable[[dict], Any]] = {
    "township.code": lambda c: c["township"].code,
    "grid.name": lambda c: c["grid"].name,
    "village.name": lambda c: c["village"].name,
    "tag.code": lambda c: c["tag"].code,
    "dispute.place": lambda c: f"{c['dispute'].village.name}{c['dispute'].grid.name}",
    "dispute.handler": lambda c: str(c["dispute"].handler or c["dispute"].handler_name or ""),
}


def value_of(source: str, context: dict) -> Any:
    if source in SOURCES:
        return SOURCES[source](context)
    holder, _dot, name = source.partition(".")
    return _attr(context.get(holder), name)


# --- The records of each data set ------------------------------------------------------------------------------


def _residents(selection: Selection):
    end = dt.datetime.combine(selection.end, dt.time.max, tzinfo=dt.UTC)
    return (Resident.objects.visible_to(selection.user)
            .filter(township=selection.township, created_at__lte=end)
            .exclude(status__in=[Resident.Status.DECEASED, Resident.Status.MOVED_OUT])
            .select_related("household__grid__village").order_by("household__grid__village__name", "pk"))


def _resident_context(resident: Resident, township: Township) -> dict:
    household = resident.household
    return {"resident": resident, "household": household, "grid": household.grid, "village": household.grid.village,
            "township": township}


def _resident_label(resident: Resident) -> str:
    return f"{resident.name}（{mask_id_number(resident.id_number)}）"


def records(selection: Selection) -> Iterator[tuple[str, dict]]:
    """(the record's label in the report, the values the elements read) for each record of the data set."""
    township = selection.township
    if selection.dataset == "population":
        for resident in _residents(selection).iterator(chunk_size=2000):
            yield _resident_label(resident), _resident_context(resident, township)
    elif selection.dataset == "special":
        tags = Prefetch("tags", queryset=visible_tags(selection.user), to_attr="shown_tags")
        residents = _residents(selection).filter(tags__in=visible_tags(selection.user)).distinct()
        for resident in residents.prefetch_related(tags).iterator(chunk_size=2000):
            for tag in resident.shown_tags:
                yield f"{_resident_label(resident)} · {tag.name}", {**_resident_context(resident, township),
                                                                    "tag": tag}
    elif selection.dataset == "disputes":
        parties = Prefetch("parties", queryset=Party.objects.order_by("pk"), to_attr="party_list")
        disputes = (Dispute.objects.visible_to(selection.user)
                    .filter(village__township=township, registered_on__range=(selection.start, selection.end))
                    .select_related("village", "grid", "handler").prefetch_related(parties)
                    .order_by("registered_on", "pk"))
        for dispute in disputes.iterator(chunk_size=500):
            yield dispute.number, {"dispute": dispute, "party": (dispute.party_list or [None])[0],
                                   "township": township}


# --- Rows and the report -----------------------------------------------------------------------------------------


def elements(dataset: str) -> list[DataElement]:
    return list(DataElement.objects.filter(standard=GBT31000, dataset=dataset).order_by("position"))


def code_tables() -> dict[str, dict[str, CodeValue]]:
    tables: dict[str, dict[str, CodeValue]] = {}
    for value in CodeValue.objects.filter(standard=GBT31000):
        tables.setdefault(value.table, {})[value.our_value] = value
    return tables


class Mapper:
    """Turns one record into the standard's cells, noting every problem on the way."""

    def __init__(self, selection: Selection):
        self.selection = selection
        self.elements = elements(selection.dataset)
        self.tables = code_tables()
        self.report = Report()

    @property
    def headers(self) -> list[str]:
        return [element.name for element in self.elements]

    def row(self, label: str, context: dict) -> list[Any]:
        self.report.records += 1
        return [self._cell(label, element, value_of(element.source, context)) for element in self.elements]

    def _cell(self, label: str, element: DataElement, raw: Any) -> Any:
        if raw in ("", None):
            if element.required:
                self._problem(label, element, _("value missing"))
            return ""
        if element.code_table:
            mapped = self.tables.get(element.code_table, {}).get(str(raw))
            if mapped is None:
                self._problem(label, element, _("“%(value)s” has no code in the table %(table)s") % {
                    "value": raw, "table": element.code_table})
                return ""
            return mapped.code
        if element.sensitive == "id_number":
            return self._id_number(label, element, str(raw))
        if element.sensitive == "phone":
            return mask_phone(str(raw))
        return raw

    def _id_number(self, label: str, element: DataElement, value: str) -> str:
        try:
            validate_id_number(value)
        except ValidationError:
            self._problem(label, element, _("not a valid ID number"))
        return value if self.selection.full_ids else mask_id_number(value)

    def _problem(self, label: str, element: DataElement, text: str) -> None:
        self.report.problems.append(Problem(label, element.name, str(text)))

    def rows(self) -> Iterator[list[Any]]:
        for label, context in records(self.selection):
            row = self.row(label, context)
            if self.selection.dataset == "special" and row_is_unmapped_tag(self, row):
                continue  # a tag the standard has no category for: in the report, not in the data set
            yield row


def row_is_unmapped_tag(mapper: Mapper, row: list[Any]) -> bool:
    index = next((i for i, e in enumerate(mapper.elements) if e.source == "tag.code"), None)
    return index is not None and row[index] == ""


def validate(selection: Selection) -> Report:
    mapper = Mapper(selection)
    for _row in mapper.rows():
        pass
    return mapper.report
