"""Term arithmetic: a term of N months and D days starting on day S ends the day before S+N months+D days."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def compute_term_end(start: dt.date, months: int, extra_days: int = 0) -> dt.date:
    return start + relativedelta(months=months) + dt.timedelta(days=extra_days) - dt.timedelta(days=1)
