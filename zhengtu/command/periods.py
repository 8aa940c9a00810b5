"""Reporting periods of the periodic tables: a month ("2026-12"), a quarter ("2026-Q4") or a year ("2026")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date
    code: str  # what the URL carries

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("%(year)d Q%(quarter)d") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        return _("Year %(year)d") % {"year": self.start.year}

    def counted_on(self, today: dt.date) -> dt.date:
        """The day a stock is counted on: the period's last day, or today while the period runs."""
        return min(self.end, today)

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - dt.timedelta(days=1))


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_containing(kind: str, day: dt.date) -> Period:
    if kind == YEAR:
        return Period(YEAR, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), f"{day.year}")
    if kind == QUARTER:
        quarter = (day.month - 1) // 3 + 1
        first = dt.date(day.year, 3 * quarter - 2, 1)
        return Period(QUARTER, first, _month_end(day.year, 3 * quarter), f"{day.year}-Q{quarter}")
    return Period(MONTH, day.replace(day=1), _month_end(day.year, day.month), f"{day.year}-{day.month:02d}")


def parse_period(text: str, *, today: dt.date) -> Period | None:
    """None when the text is not a period this understands (the page then says so)."""
    text = (text or "").strip()
    if not text:
        return period_containing(MONTH, today)
    try:
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12 or year < 1990:
                return None
            return period_containing(MONTH, dt.date(year, month, 1))
        if match := _QUARTER.match(text):
            year, quarter = int(match[1]), int(match[2])
            return period_containing(QUARTER, dt.date(year, 3 * quarter - 2, 1)) if year >= 1990 else None
        if match := _YEAR.match(text):
            year = int(match[1])
            return period_containing(YEAR, dt.date(year, 1, 1)) if year >= 1990 else None
    except ValueError:
        return None
    return None


def months_back(today: dt.date, count: int) -> list[Period]:
    """The `count` months ending with the current one, oldest first (trend charts)."""
    periods = [period_containing(MONTH, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return list(reversed(periods))
