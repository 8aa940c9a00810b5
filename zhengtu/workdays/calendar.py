"""Counting Chinese working days.

`add_working_days(start, n)` is the one deadline rule every domain uses (assessment reports
in 3 working days, approvals, ...). Known years come from the CalendarDay table (loaded from
chinesecalendar by `manage.py load_workdays`, extendable by administrators); unknown years
fall back to Monday–Friday and the result says so, so pages can warn instead of crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from .models import CalendarDay


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    # Years counted on the Monday–Friday fallback because the calendar has no data for them.
    fallback_years: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_approximate(self) -> bool:
        return bool(self.fallback_years)


class WorkingDayCalendar:
    """A snapshot of the calendar table; cheap to query many times (bulk report runs)."""

    def __init__(self, days: dict[dt.date, bool]) -> None:
        self._days = days
        self._known_years = frozenset(d.year for d in days)

    @classmethod
    def load(cls) -> WorkingDayCalendar:
        return cls(dict(CalendarDay.objects.values_list("date", "is_working_day")))

    def knows_year(self, year: int) -> bool:
        return year in self._known_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._days:
            return self._days[day]
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, count: int) -> Deadline:
        """The date `count` working days after `start` (the start day itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        fallback: set[int] = set()
        if not self.knows_year(day.year):
            fallback.add(day.year)
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            if not self.knows_year(day.year):
                fallback.add(day.year)
            if self.is_working_day(day):
                remaining -= 1
        return Deadline(due=day, fallback_years=frozenset(fallback))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        days = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days += 1
        return days


def add_working_days(start: dt.date, count: int) -> Deadline:
    return WorkingDayCalendar.load().add_working_days(start, count)


@lru_cache(maxsize=1)
def _chinesecalendar_years() -> tuple[int, ...]:
    import chinese_calendar

    years = []
    for year in range(2004, timezone.localdate().year + 3):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return tuple(years)


@transaction.atomic
def load_year_from_chinesecalendar(year: int) -> int:
    """Fill one year from the chinesecalendar package. Returns the number of days written.

    Raises LookupError when the package has no data for that year.
    """
    import chinese_calendar

    if year not in _chinesecalendar_years():
        raise LookupError(year)
    day = dt.date(year, 1, 1)
    rows = []
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        holiday, name = chinese_calendar.get_holiday_detail(day)
        note = ""
        if name and not working:
            note = str(name)
        elif working and day.weekday() >= 5:
            note = "make-up working day"
        rows.append(CalendarDay(date=day, is_working_day=working, note=note))
        day += dt.timedelta(days=1)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(rows)
    return len(rows)


def load_known_years() -> list[int]:
    """Load every year chinesecalendar knows that the table does not have yet."""
    have = {day.year for day in CalendarDay.objects.dates("date", "year")}
    loaded = []
    for year in _chinesecalendar_years():
        if year not in have:
            load_year_from_chinesecalendar(year)
            loaded.append(year)
    return loaded
