"""How far back and ahead a date may go, which ids can exist, how large a count or an amount may be: decided here,
once, for every form, filter and query parameter.

Dates. A township's records (petitions, disputes, visits, appointments, the calendar) start no earlier than
``EARLIEST_RECORD``: the ledgers this product replaces go back to the 2000s, and a year 0001 is a typing slip whose
date arithmetic (a due date, a month chart) would leave Python's calendar. Birth dates (from ID numbers) start at
``EARLIEST_BIRTH``, as ``households.idnumbers`` checks. What already happened (received, registered, visited,
mediated, replied) is no later than today; what is planned (a deadline, the end of a term) and what a period or a
filter asks for is no later than ``YEARS_AHEAD`` years from today.

Ids. A key is a PostgreSQL bigint: 1 .. 2**63-1. A query parameter that is not one (empty, a word, ``-1``, ``²``,
twenty digits) names nothing: ``parse_id`` answers None and the page shows no such thing (an ignored filter or a 404).

Numbers. Amounts (yuan) are never negative and fit the column (14 digits, 2 decimals); head counts stay under
``MAX_PEOPLE``, more than a township holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import normalise

EARLIEST_BIRTH = dt.date(1900, 1, 1)
EARLIEST_RECORD = dt.date(2000, 1, 1)
YEARS_AHEAD = 5
MAX_ID = 2**63 - 1
MAX_AMOUNT = Decimal("999999999999.99")
MAX_PEOPLE = 100_000

_ID = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also says yes to "²", which int() refuses


def today() -> dt.date:
    return timezone.localdate()


def horizon() -> dt.date:
    """The latest date a plan, a period or a filter may name: ``YEARS_AHEAD`` years from today."""
    day = today()
    try:
        return day.replace(year=day.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return day.replace(year=day.year + YEARS_AHEAD, day=28)


def parse_id(value) -> int | None:
    """The key a query parameter names, or None when it cannot name one (not ASCII digits, 0, beyond a bigint)."""
    value = str(getattr(value, "pk", value) if value is not None else "").strip()
    if not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def as_ids(values: Iterable) -> list[int]:
    """The keys among ``values``; the others are dropped."""
    return [number for number in map(parse_id, values) if number is not None]


# --- form fields ------------------------------------------------------------------------------------------


class BoundedDateField(forms.DateField):
    """A date between ``earliest`` and ``latest`` (dates or callables: "today" moves). By default a record's date
    up to the horizon; the messages can be changed per field with ``error_messages`` (keys too_early, too_late)."""

    default_error_messages = {
        "too_early": _("Enter a date on or after %(limit)s."),
        "too_late": _("Enter a date on or before %(limit)s."),
    }
    default_earliest: dt.date | Callable[[], dt.date] = EARLIEST_RECORD
    default_latest: dt.date | Callable[[], dt.date] = staticmethod(horizon)

    def __init__(self, *, earliest=None, latest=None, **kwargs):
        self.earliest = earliest or self.default_earliest
        self.latest = latest or self.default_latest
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = (limit() if callable(limit) else limit for limit in (self.earliest, self.latest))
        if value < earliest:
            raise forms.ValidationError(self.error_messages["too_early"], code="too_early",
                                        params={"limit": earliest.isoformat()})
        if value > latest:
            raise forms.ValidationError(self.error_messages["too_late"], code="too_late",
                                        params={"limit": latest.isoformat()})


class PastDateField(BoundedDateField):
    """The date of something that already happened: no later than today."""

    default_error_messages = {"too_late": _("This date is in the future.")}
    default_latest = staticmethod(today)


class BoundedDateFilter(django_filters.DateFilter):
    """A list's date filter: a date the ledgers can hold; anything else is an invalid filter with its message."""

    field_class = BoundedDateField


class AmountField(normalise.AmountField):
    """An amount in yuan, typed as people type it (normalise.py): not negative, within the column."""

    default_error_messages = {
        "min_value": _("An amount cannot be negative."),
        "max_value": _("Enter an amount of at most %(limit_value)s yuan."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(**kwargs)


class PeopleCountField(normalise.CountField):
    """A number of people, typed as people type it (normalise.py): at least ``min_value`` (1 unless told), at most ``MAX_PEOPLE``."""

    def __init__(self, **kwargs):
        kwargs["min_value"] = max(kwargs.get("min_value") or 0, 1)
        kwargs["max_value"] = min(kwargs.get("max_value") or MAX_PEOPLE, MAX_PEOPLE)
        super().__init__(**kwargs)
