"""Bounded audit records for failures nobody can be held to account for.

A bogus bearer token or a failed login of an unknown username used to write one audit entry
each, kept for at least six months: an anonymous sender could grow the log without bound. Now
each such failure is counted per source address and time window (EventCounter); only the first
few per source and window (and per window in all) become entries of their own, and a scheduled
job writes one summary entry per source and closed window with the number of attempts.
Storage per window is therefore bounded whatever the sender does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from .counters import hit, sources_in_window, window_start
from .models import Action, AuditEntry, EventCounter, Outcome
from .rules import anonymous_limit
from .services import Actor, normalised_ip, record_event

SCOPE_PREFIX = "anonymous:"
TOTAL_KEY = "(all sources)"
OVERFLOW_SOURCE = "(other sources)"
UNKNOWN_SOURCE = "(no address)"
COUNTER_KEEP_DAYS = 2


def _window_seconds() -> int:
    return anonymous_limit("window_minutes") * 60


def record_unidentified_failure(
    actor: Actor,
    *,
    kind: str,
    detail: dict[str, Any],
    action: str = Action.LOGIN_FAILED,
    outcome: str = Outcome.FAILURE,
    target: models.Model | None = None,
) -> AuditEntry | None:
    """Record the failure itself if this source's (and the window's) allowance is not used up; count it always."""
    seconds = _window_seconds()
    now = timezone.now()
    scope = SCOPE_PREFIX + kind
    source = actor.ip_address or UNKNOWN_SOURCE
    fresh_source = not EventCounter.objects.filter(
        scope=scope, key=source, window_start=window_start(now, seconds)
    ).exists()
    if fresh_source and sources_in_window(scope=scope, window_seconds=seconds, now=now) >= anonymous_limit("sources"):
        source = OVERFLOW_SOURCE
    if hit(scope=scope, key=source, window_seconds=seconds, now=now) > anonymous_limit("per_source"):
        return None
    # Counts only what this source may still record, so the total says how many were due one by one.
    if hit(scope=SCOPE_PREFIX + "total", key=kind, window_seconds=seconds, now=now) > anonymous_limit("per_window"):
        return None
    return record_event(actor, action=action, target=target, outcome=outcome, detail=detail)


def summarise_closed_windows(*, now: dt.datetime | None = None) -> int:
    """One entry per source and closed window in which attempts went unrecorded; old counters go."""
    now = now or timezone.now()
    seconds = _window_seconds()
    open_window = window_start(now, seconds)
    closed = EventCounter.objects.filter(scope__startswith=SCOPE_PREFIX, window_start__lt=open_window, summarised=False)
    crowded_windows = {
        (row["key"], row["window_start"])
        for row in closed.filter(scope=SCOPE_PREFIX + "total", count__gt=anonymous_limit("per_window")).values(
            "key", "window_start"
        )
    }
    written = 0
    for counter in closed.exclude(scope=SCOPE_PREFIX + "total").order_by("window_start", "scope", "key"):
        kind = counter.scope.removeprefix(SCOPE_PREFIX)
        over = counter.count > anonymous_limit("per_source") or counter.key == OVERFLOW_SOURCE
        if over or (kind, counter.window_start) in crowded_windows:
            record_event(
                Actor(ip_address=normalised_ip(counter.key), username=""),
                action=Action.LOGIN_FAILED,
                outcome=Outcome.FAILURE,
                object_type="audit.eventcounter",
                object_label=f"{kind} × {counter.count}",
                detail={
                    "summary": kind,
                    "source": counter.key,
                    "window_start": counter.window_start.isoformat(),
                    "window_minutes": seconds // 60,
                    "attempts": counter.count,
                    "recorded_one_by_one_at_most": anonymous_limit("per_source"),
                },
            )
            written += 1
    closed.update(summarised=True)
    EventCounter.objects.filter(window_start__lt=now - dt.timedelta(days=COUNTER_KEEP_DAYS)).delete()
    return written
