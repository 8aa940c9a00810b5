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


# A great-circle distance is never more than this many metres per degree of latitude plus
# longitude difference (one degree of a great circle is 111.2 km); below it no haversine is needed.
METRES_PER_DEGREE_BOUND = 111_200.0


class Screen:
    """The filters with their time bounds worked out once for a batch (`now` is the batch's time)."""

    __slots__ = ("config", "latest", "earliest", "max_metres_per_second")

    def __init__(self, config: FilterSettings, now: dt.datetime) -> None:
        self.config = config
        self.latest = now + dt.timedelta(seconds=config.future_seconds) if config.future_seconds else None
        self.earliest = now - dt.timedelta(days=config.past_days) if config.past_days else None
        self.max_metres_per_second = config.max_speed_kmh / 3.6

    def rejection(self, fix: Fix, last: LastFix | None) -> str | None:
        """Why this fix must not be stored, or None to keep it."""
        config = self.config
        if config.invalid and not fix.valid:
            return "invalid"
        if config.zero and abs(fix.latitude) < 1e-7 and abs(fix.longitude) < 1e-7:
            return "zero"
        if self.latest is not None and fix.time > self.latest:
            return "future"
        if self.earliest is not None and fix.time < self.earliest:
            return "past"
        if last is None:
            return None
        if config.duplicates and fix.time == last.time:
            return "duplicate"
        if self.max_metres_per_second:
            seconds = (fix.time - last.time).total_seconds()
            if seconds > 0:
                allowed = self.max_metres_per_second * seconds
                rough = (abs(fix.latitude - last.latitude) + abs(fix.longitude - last.longitude)) * (
                    METRES_PER_DEGREE_BOUND
                )
                if rough > allowed:
                    metres = distance_metres(last.latitude, last.longitude, fix.latitude, fix.longitude)
                    if metres > allowed:
                        return "speed"
        return None


def rejection(fix: Fix, last: LastFix | None, now: dt.datetime, config: FilterSettings) -> str | None:
    """Why this fix must not be stored, or None to keep it."""
    return Screen(config, now).rejection(fix, last)
