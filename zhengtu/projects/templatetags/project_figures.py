"""Template filters for money and rates: {{ amount|wan }}, {{ amount|yuan }}, {{ rate|percent }}."""

from __future__ import annotations

from decimal import Decimal

from django import template

from .. import formatting
from ..progress import Pace

register = template.Library()

PACE_CLASSES = {Pace.MET: "ok", Pace.ON_TRACK: "ok", Pace.BEHIND: "bad", Pace.MISSED: "bad", Pace.NOT_STARTED: ""}


@register.filter
def wan(amount: Decimal | int | None) -> str:
    return formatting.wan(amount)


@register.filter
def yuan(amount: Decimal | int | None) -> str:
    return formatting.yuan(amount)


@register.filter
def percent(rate: Decimal | None) -> str:
    return formatting.percent(rate)


@register.filter
def figure(value: Decimal | int) -> str:
    return formatting.count(value)


@register.filter
def pace_class(pace: str) -> str:
    return PACE_CLASSES.get(pace, "")


@register.filter
def bar_width(rate: Decimal | None) -> int:
    """A rate as a 0–100 width for progress bars."""
    if rate is None:
        return 0
    return max(0, min(100, int(rate * 100)))
