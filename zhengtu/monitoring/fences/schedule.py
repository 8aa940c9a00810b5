"""Fence schedules such as a curfew (must be inside home 22:00–06:00), in local time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Schedule:
    starts: dt.time
    ends: dt.time  # before `starts`: the window wraps past midnight
    weekdays: frozenset[int]  # ISO weekdays (1 = Monday) on which a window *starts*

    def active_at(self, when: dt.datetime) -> bool:
        local = when.astimezone(LOCAL_ZONE)
        moment = local.timetz().replace(tzinfo=None)
        if self.starts <= self.ends:
            return self.starts <= moment < self.ends and local.isoweekday() in self.weekdays
        if moment >= self.starts:  # evening part: the window started today
            return local.isoweekday() in self.weekdays
        if moment < self.ends:  # morning part: the window started yesterday
            return (local - dt.timedelta(days=1)).isoweekday() in self.weekdays
        return False

    @classmethod
    def parse_weekdays(cls, text: str) -> frozenset[int]:
        return frozenset(int(c) for c in text if c in "1234567")
