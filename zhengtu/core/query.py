"""Whole numbers from query strings and forms, without surprises.

`str.isdigit()` is true for "²" and "١٢" (int() then raises) and for a 30-digit number (the
database then overflows): both were 500s. Every id or number read from a query parameter goes
through `int_param` / `parse_int`, which answer None for anything that is not a plain decimal
number within the range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import Http404

# The largest value a 64-bit signed database integer (ids, counts) can hold.
MAX_DATABASE_INT = 2**63 - 1


def parse_int(raw: Any, *, minimum: int = 1, maximum: int = MAX_DATABASE_INT) -> int | None:
    """The number written in `raw` (ASCII digits only), or None if it is not one within [minimum, maximum]."""
    text = str(raw if raw is not None else "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def int_param(params: Mapping[str, Any], name: str, *, minimum: int = 1, maximum: int = MAX_DATABASE_INT) -> int | None:
    """`?name=` as a number (an id by default: 1 and up), None when absent or not a usable number."""
    return parse_int(params.get(name), minimum=minimum, maximum=maximum)


def int_list(values: Iterable[Any], *, minimum: int = 1, maximum: int = MAX_DATABASE_INT) -> list[int]:
    """The usable numbers among several values (e.g. `request.POST.getlist("id")`), others dropped."""
    return [number for value in values if (number := parse_int(value, minimum=minimum, maximum=maximum)) is not None]


def id_param(params: Mapping[str, Any], name: str) -> int | None:
    """`?name=` naming an object: None when absent, 404 when given but no possible id (never a 500)."""
    raw = params.get(name)
    if raw is None or str(raw).strip() == "":
        return None
    number = parse_int(raw)
    if number is None:
        raise Http404
    return number
