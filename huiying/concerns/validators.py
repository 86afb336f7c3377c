"""Checks of personal data typed by clerks: ID card numbers (GB 11643-1999) and phones."""
import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
# Mainland mobile numbers, or a landline with area code (0771-1234567).
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def clean_id_number(value: str, field: str = "id_number") -> str:
    """The 18-character resident ID number, upper-cased, or "" — else ServiceError."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    if not _ID_RE.match(value):
        raise ServiceError(field, _("An ID card number has 17 digits and a final digit or X."))
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ServiceError(field, _("The ID card number holds an impossible birth date.")) from None
    if id_check_digit(value[:17]) != value[17]:
        raise ServiceError(field, _("The ID card number's check digit is wrong; please check it for a typo."))
    return value


def clean_phone(value: str, field: str = "phone") -> str:
    value = re.sub(r"[\s()（）]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    if not value:
        return ""
    if not _PHONE_RE.match(value):
        raise ServiceError(field, _("A phone number is an 11-digit mobile number or a landline with its area code."))
    return value
