"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers: normalising what people type,
validating, masking for display."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u00a0\u3000()（）]")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def _fold(value) -> str:
    """Full-width digits and letters to ASCII (NFKC), as typed on Chinese keyboards or pasted from Excel."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def normalize_id_number(value) -> str:
    text = _SEPARATORS.sub("", _fold(value)).upper()
    return text


def id_birth_date(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def validate_id_number(value, *, today: dt.date | None = None) -> str:
    """Return the normalised 18-character number or raise ValidationError with a Chinese reason."""
    number = normalize_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X"), code="format")
    try:
        born = id_birth_date(number)
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期不存在"), code="birth_date") from None
    today = today or dt.date.today()
    if born > today:
        raise ValidationError(_("身份证号码中的出生日期晚于今天"), code="future")
    if born.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期早于1900年"), code="birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确"), code="checksum")
    return number


def normalize_mobile(value) -> str:
    text = _SEPARATORS.sub("", _fold(value))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def validate_mobile(value) -> str:
    number = normalize_mobile(value)
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(_("手机号码应为11位，以1开头"), code="mobile")
    return number


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_mobile(number: str) -> str:
    if not number:
        return ""
    if len(number) < 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_text(text: str) -> str:
    return "••••••" if text else ""


def age_on(birth_date: dt.date | None, on: dt.date | None = None) -> int | None:
    if birth_date is None:
        return None
    on = on or dt.date.today()
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
