"""Finding people by their numbers: a whole ID number or phone, or its last digits (the last 4 or 6 of an ID, the last
4 of a phone), typed in a list's search box.

The numbers are matched on their reverse: ``REVERSE(id_number) LIKE '4321%'`` is a prefix, which a btree index on
``REVERSE(id_number) text_pattern_ops`` serves (households/migrations/0015…, petitions/migrations/0006…), so the last 4
digits of a phone are found among a county's million residents by an index range, not a scan. The lists show the
people they find masked, as always: the search never reveals a number.
"""

from __future__ import annotations

import re

from django.db.models import Q, Value
from django.db.models.functions import Reverse
from django.db.models.lookups import StartsWith

NUMBER = re.compile(r"^[0-9]{3,17}[0-9X]$")
MIN_DIGITS = 4


def is_number(term: str) -> bool:
    """A term that is read as (the end of) an ID number or phone: 4 to 18 digits, an ID's last one may be X."""
    return bool(NUMBER.match(term.upper()))


def number_tail_q(term: str, *fields: str) -> Q | None:
    """Rows whose ``fields`` (ID number, phone) end with ``term``; None when the term is not a number."""
    if not is_number(term):
        return None
    tail = Value(term.upper()[::-1])
    q = Q()
    for field in fields:
        q |= Q(StartsWith(Reverse(field), tail))
    return q
