"""The one way money is written in Zhengtu's pages, exports and reports.

Amounts are kept in 元 (Decimal, two places). Pages show 元 with thousands separators and two decimals
("12,345.60"); reports that speak in 万元, as official reports do, show at most four decimals — one yuan — and
no trailing zeros ("33.998", "12", "78.8456"), never the six places a division leaves behind.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
WAN_PLACES = Decimal("0.0001")


def yuan(amount: Decimal | int | float | None) -> str:
    """12345.6 → "12,345.60"; None → ""."""
    if amount is None:
        return ""
    return f"{Decimal(str(amount)).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


def wan(amount: Decimal | int | float | None) -> str:
    """Yuan in 万元, at most four decimals, no trailing zeros: 339980 → "33.998", 788456.25 → "78.8456"."""
    if amount is None:
        return ""
    value = (Decimal(str(amount)) / TEN_THOUSAND).quantize(WAN_PLACES, ROUND_HALF_UP)
    text = f"{value:f}"
    return text if "." not in text else text.rstrip("0").rstrip(".")
