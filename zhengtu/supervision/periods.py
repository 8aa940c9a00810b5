"""Date periods: joining back-to-back monitoring periods (a period and its extensions) into one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

Period = tuple[dt.date, dt.date]


def merge_periods(periods: Iterable[Period]) -> list[Period]:
    """Overlapping or back-to-back periods (one ends the day before the next starts) become one."""
    merged: list[Period] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covering_period(periods: Iterable[Period], on_date: dt.date) -> Period | None:
    return next(((s, e) for s, e in merge_periods(periods) if s <= on_date <= e), None)
