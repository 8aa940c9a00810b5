"""Resident identity numbers (居民身份证号码) per GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men, even
for women), and an ISO 7064 MOD 11-2 check character (0-9 or X).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


@dataclass(frozen=True)
class IdentityNumber:
    value: str
    division_code: str
    birth_date: dt.date
    sex: str  # "male" or "female"


def normalise(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def parse_identity_number(raw: str, *, today: dt.date | None = None) -> IdentityNumber:
    """Validate and decode an identity number, raising ValidationError with a clerk's message."""
    value = normalise(raw)
    if len(value) != 18:
        raise ValidationError(_("An identity number has 18 characters; this one has %(n)d.") % {"n": len(value)})
    if not PATTERN.match(value):
        raise ValidationError(_("An identity number is 17 digits followed by a digit or X."))
    try:
        birth_date = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as error:
        raise ValidationError(
            _("The birth date inside the identity number (%(d)s) does not exist.") % {"d": value[6:14]}
        ) from error
    if birth_date.year < 1900 or birth_date > (today or timezone.localdate()):
        raise ValidationError(
            _("The birth date inside the identity number (%(d)s) is not plausible.") % {"d": value[6:14]}
        )
    expected = check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(_("The identity number's check character is wrong: please check the digits."))
    sex = "male" if int(value[16]) % 2 == 1 else "female"
    return IdentityNumber(value=value, division_code=value[:6], birth_date=birth_date, sex=sex)


def make_identity_number(division_code: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a valid identity number (demo data and tests)."""
    sequence = sequence % 500 * 2 + (1 if sex == "male" else 0)
    first_17 = f"{division_code[:6]}{birth_date:%Y%m%d}{sequence:03d}"
    return first_17 + check_character(first_17)
