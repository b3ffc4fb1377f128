import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.normalise import CodeField, check_ascii_digits, normalize_code

# ASCII digits only: \d would take full-width and Arabic-Indic digits.
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")


def normalize_phone(raw: str) -> str:
    """Full-width digits folded, spaces, brackets and a +86 / 0086 prefix tolerated and removed."""
    value = re.sub(r"[()]", "", normalize_code(raw))
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    return value.lstrip("-")


def validate_phone(raw: str) -> None:
    value = normalize_phone(raw)
    check_ascii_digits(value)
    if not (MOBILE.match(value) or LANDLINE.match(value)):
        raise ValidationError(
            _("Enter a mainland mobile number (11 digits starting with 1) or a landline with its area code."),
            code="phone",
        )


class PhoneField(CodeField):
    """The form field of every phone: normalised (so the length is checked on what is stored), then validated."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_phone(value)
