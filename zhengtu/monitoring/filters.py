"""Position filters (each switchable by a setting): invalid fix, zero coordinates, future or
far-past time, duplicates, and implausible speed between consecutive fixes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .coords import distance_metres
from .protocols.base import Fix
from .rules import rule


@dataclass(slots=True)
class LastFix:
    time: dt.datetime
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class FilterSettings:
    invalid: bool
    zero: bool
    future_seconds: int
    past_days: int
    duplicates: bool
    max_speed_kmh: float

    @classmethod
    def from_settings(cls) -> FilterSettings:
        return cls(
            invalid=bool(rule("FILTER_INVALID")),
            zero=bool(rule("FILTER_ZERO")),
            future_seconds=int(rule("FILTER_FUTURE_SECONDS")),
            past_days=int(rule("FILTER_PAST_DAYS")),
            duplicates=bool(rule("FILTER_DUPLICATES")),
            max_speed_kmh=float(rule("FILTER_MAX_SPEED_KMH")),
        )


def rejection(fix: Fix, last: LastFix | None, now: dt.datetime, config: FilterSettings) -> str | None:
    """Why this fix must not be stored, or None to keep it."""
    if config.invalid and not fix.valid:
        return "invalid"
    if config.zero and abs(fix.latitude) < 1e-7 and abs(fix.longitude) < 1e-7:
        return "zero"
    if config.future_seconds and fix.time > now + dt.timedelta(seconds=config.future_seconds):
        return "future"
    if config.past_days and fix.time < now - dt.timedelta(days=config.past_days):
        return "past"
    if last is None:
        return None
    if config.duplicates and fix.time == last.time:
        return "duplicate"
    seconds = (fix.time - last.time).total_seconds()
    if config.max_speed_kmh and seconds > 0:
        metres = distance_metres(last.latitude, last.longitude, fix.latitude, fix.longitude)
        if metres / seconds * 3.6 > config.max_speed_kmh:
            return "speed"
    return None
