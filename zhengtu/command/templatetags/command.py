"""Template helpers of the statistics pages: a cell's value, a number, the link behind a figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from ..statistics import drill_url
from ..tables import FigureTable

register = template.Library()


@register.filter
def number(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return str(value)


@register.filter
def cell(cells: dict[str, Any], key: str) -> str:
    return number(cells.get(key, 0))


@register.simple_tag
def drill(table: FigureTable, organisation_id: int | None, value: str | None) -> str:
    return drill_url(
        table.figure, table.period, organisation_id=organisation_id, value=value if table.figure.breakdown else None
    )
