import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalize_phone(raw: str) -> str:
    """Spaces and a +86 / 0086 prefix are tolerated and removed."""
    value = re.sub(r"[\s()]", "", raw or "")
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    return value.lstrip("-")


def validate_phone(raw: str) -> None:
    value = normalize_phone(raw)
    if not (MOBILE.match(value) or LANDLINE.match(value)):
        raise ValidationError(
            _("Enter a mainland mobile number (11 digits starting with 1) or a landline with its area code."),
            code="phone",
        )
