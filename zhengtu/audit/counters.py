"""Counting events per source and time window in the database (shared by every process).

Used for rate limits (the API token endpoint) and for aggregating anonymous failures in the
audit log (anonymous.py).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import EventCounter

KEY_LENGTH = 200


def window_start(now: dt.datetime, window_seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=dt.UTC)


def hit(*, scope: str, key: str, window_seconds: int, now: dt.datetime | None = None) -> int:
    """Count one event; returns how many there have been in this window, this one included."""
    start = window_start(now or timezone.now(), window_seconds)
    key = key[:KEY_LENGTH]
    counters = EventCounter.objects.filter(scope=scope, key=key, window_start=start)
    with transaction.atomic():
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    EventCounter.objects.create(scope=scope, key=key, window_start=start, count=1)
                    return 1
            except IntegrityError:  # another process created it first
                counters.update(count=F("count") + 1)
        return counters.values_list("count", flat=True).get()


def current(*, scope: str, key: str, window_seconds: int, now: dt.datetime | None = None) -> int:
    start = window_start(now or timezone.now(), window_seconds)
    return (
        EventCounter.objects.filter(scope=scope, key=key[:KEY_LENGTH], window_start=start)
        .values_list("count", flat=True)
        .first()
        or 0
    )


def sources_in_window(*, scope: str, window_seconds: int, now: dt.datetime | None = None) -> int:
    start = window_start(now or timezone.now(), window_seconds)
    return EventCounter.objects.filter(scope=scope, window_start=start).count()
