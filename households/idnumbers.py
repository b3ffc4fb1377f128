"""Resident ID numbers (居民身份证号码, GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence
(odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.masking import mask_id_number, mask_phone  # noqa: F401 - re-exported: households.idnumbers is where callers look
from core.normalise import CodeField, check_ascii_digits, normalize_code

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII only: \d would take full-width and Arabic-Indic digits

# Province-level prefixes (the first two digits). An unknown area code warns, it does not reject.
PROVINCE_CODES = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"]
)


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: dt.date
    gender: str  # "male" | "female"

    @property
    def area_known(self) -> bool:
        return self.value[:2] in PROVINCE_CODES


def normalize(raw: str) -> str:
    """The one form of a typed or imported number: full-width digits folded to ASCII, every space dropped, X upper."""
    return normalize_code(raw).upper()


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate and decode; raises ValidationError with a message a clerk understands."""
    value = normalize(raw)
    check_ascii_digits(value)
    if len(value) == 15 and value.isascii() and value.isdigit():
        raise ValidationError(
            _("This is an old 15-digit ID number; enter the 18-digit number from the current ID card."),
            code="legacy",
        )
    if not PATTERN.match(value):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="format")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in this ID number does not exist."), code="birth_date") from None
    today = today or timezone.localdate()
    if birth > today or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number is not possible."), code="birth_date")
    if check_char(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this ID number is wrong; please check the number."), code="check")
    gender = "male" if int(value[16]) % 2 else "female"
    return IdNumber(value, birth, gender)


class IdNumberField(CodeField):
    """The form field of every ID number: normalised first (so its length is checked on the normalised value)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize(super().to_python(value))


def validate_id_number(raw: str) -> None:
    parse(raw)


def make_id_number(area: str, birth: dt.date, sequence: int, male: bool) -> str:
    """A valid number for demo data and tests: the sequence's last digit is made odd or even by gender."""
    seq = sequence % 1000
    if (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
