"""How money and rates are written in pages and reports (万元 as in seed 003, one-decimal percentages)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)


def yuan(amount: Decimal | int | None) -> str:
    """12345.6 → "12,345.60"."""
    if amount is None:
        return ""
    return f"{Decimal(amount).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


def wan(amount: Decimal | int | None) -> str:
    """Yuan in 万元 with no trailing zeros: 339980 → "33.998", 120000 → "12", 26000 → "2.6"."""
    if amount is None:
        return ""
    value = (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.000001"), ROUND_HALF_UP).normalize()
    text = f"{value:f}"
    return text if "." not in text else text.rstrip("0").rstrip(".")


def percent(rate: Decimal | None) -> str:
    """A fraction as a percentage with at most one decimal: 1.01282 → "101.3%", 1.02 → "102%"."""
    if rate is None:
        return "—"
    value = (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{value:f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def count(value: Decimal | int) -> str:
    """A count or expected count: 12 → "12", 60.5 → "60.5"."""
    text = f"{Decimal(value).normalize():f}"
    return text
