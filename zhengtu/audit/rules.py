"""Retention of the audit log: settings, with the legal minimum of six months as the floor."""

from __future__ import annotations

from django.conf import settings

DEFAULT_RETENTION_DAYS = 730
DEFAULT_MINIMUM_RETENTION_DAYS = 183


def retention_days() -> int:
    return int(getattr(settings, "ZHENGTU_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def minimum_retention_days() -> int:
    return int(getattr(settings, "ZHENGTU_AUDIT_MINIMUM_RETENTION_DAYS", DEFAULT_MINIMUM_RETENTION_DAYS))


# Failures by someone the system cannot name (bogus API tokens, failed logins of unknown
# usernames, attempts on locked accounts): the first few per source and window are recorded one
# by one, the rest only counted and summarised in one entry per source and window.
DEFAULT_ANONYMOUS_LIMITS = {
    "window_minutes": 10,
    "per_source": 5,  # individual entries per source and window
    "per_window": 50,  # individual entries per kind and window, all sources together
    "sources": 100,  # distinct sources counted per kind and window; the rest share one counter
}


def anonymous_limit(name: str) -> int:
    configured = getattr(settings, "ZHENGTU_AUDIT_ANONYMOUS_LIMITS", {}) or {}
    return int(configured.get(name, DEFAULT_ANONYMOUS_LIMITS[name]))
