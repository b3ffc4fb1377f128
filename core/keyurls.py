"""The URL of an object by its key, as a list links every row (measured with `make bench`).

Django's ``reverse`` finds the pattern, converts and checks every argument with a regular expression, then quotes the
result: ~30 µs a call, a tenth of a list page's rows. The URL of an object differs from another's only by its key, so
the pattern's URL is reversed once with a marker in place of the key and the key is put in its place afterwards.
Only non-negative integer keys take that way (what ``<int:pk>`` converts with ``str()``); anything else, and any
pattern the marker does not reverse through, is reversed by Django every time.
"""

from __future__ import annotations

import functools

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARKER = 7306994861


def url_by_key(viewname: str, pk) -> str:
    """``reverse(viewname, args=[pk])``."""
    if type(pk) is not int or pk < 0:
        return reverse(viewname, args=[pk])
    template = _template(viewname, get_script_prefix(), get_urlconf(), get_language())
    if template is None:
        return reverse(viewname, args=[pk])
    return f"{template[0]}{pk}{template[1]}"


@functools.lru_cache(maxsize=512)
def _template(viewname: str, prefix: str, urlconf, language) -> tuple[str, str] | None:
    # The arguments besides the name are what reverse() depends on: the cache holds one entry for each.
    try:
        url = reverse(viewname, args=[_MARKER])
    except NoReverseMatch:
        return None
    parts = url.split(str(_MARKER))
    return (parts[0], parts[1]) if len(parts) == 2 else None


def url_of(viewname: str) -> str:
    """``reverse(viewname)`` of a pattern without arguments, reversed once per script prefix, URLconf and language
    (the dashboard links a county's 1,800 grids to their lists: 3,600 reversals a view)."""
    return _plain(viewname, get_script_prefix(), get_urlconf(), get_language())


@functools.lru_cache(maxsize=256)
def _plain(viewname: str, prefix: str, urlconf, language) -> str:
    return reverse(viewname)
