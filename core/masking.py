"""Masking of sensitive personal information, the one rule every page, list and export uses."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """First 6 and last 4 shown, the rest hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """First 3 and last 4 shown."""
    digits = value or ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
