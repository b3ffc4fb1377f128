"""Numbers people type: ID numbers, phones, amounts, codes. Normalised once, at the edge (forms, imports, filters).

A Chinese input method types full-width digits (１２３), a phone may paste an ideographic space (U+3000) or a
zero-width one, and some keyboards give Arabic-Indic digits (١٢٣). ``normalize_code`` folds the first two to ASCII
(Unicode NFKC) and drops every space and invisible character, so the same number typed either way is one value;
``check_ascii_digits`` then refuses digits that are still not 0-9, which NFKC does not fold (Python's ``\\d``,
``int()`` and ``Decimal()`` would silently accept them)."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_code(raw) -> str:
    """NFKC, without any whitespace (U+3000 included) or invisible format character (zero-width space, BOM)."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def normalize_search(raw) -> str:
    """A search term: NFKC and trimmed; a term that is a number (an ID number or a phone typed with spaces) loses its
    spaces too, so it matches the stored form. Names and addresses keep their inner spaces."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    compact = normalize_code(text)
    return compact if compact and all(c in "0123456789Xx+-" for c in compact) else text


def has_foreign_digits(value: str) -> bool:
    return any(c.isdigit() and not c.isascii() for c in value)


def check_ascii_digits(value: str) -> None:
    if has_foreign_digits(value):
        raise ValidationError(_("Use the digits 0-9 only."), code="digits")


class CodeField(forms.CharField):
    """A number or code typed by hand: normalised before any length or format check (to_python runs first)."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.max_length is not None and "maxlength" in attrs:
            attrs["maxlength"] = str(self.max_length + 8)  # room for the spaces the server takes out
        return attrs

    def to_python(self, value):
        value = normalize_code(super().to_python(value))
        check_ascii_digits(value)
        return value


class _NumberMixin:
    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_code(value)
            check_ascii_digits(value)
        return super().to_python(value)


class AmountField(_NumberMixin, forms.DecimalField):
    """An amount: full-width digits, point and spaces are folded; other scripts' digits are refused."""


class CountField(_NumberMixin, forms.IntegerField):
    """A head count or number of people, typed the same way."""
