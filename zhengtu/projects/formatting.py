"""How rates and counts are written in pages and reports; money comes from `zhengtu.core.money` (one format)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from zhengtu.core.money import wan, yuan

__all__ = ["count", "percent", "wan", "yuan"]


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
