"""API settings with their defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULT_TOKEN_DAYS = 7
# last_used_at is written at most this often per token, not on every request.
DEFAULT_LAST_USED_RESOLUTION_SECONDS = 60


def token_days() -> int:
    return int(getattr(settings, "ZHENGTU_API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS))


def last_used_resolution_seconds() -> int:
    return int(
        getattr(settings, "ZHENGTU_API_TOKEN_LAST_USED_RESOLUTION_SECONDS", DEFAULT_LAST_USED_RESOLUTION_SECONDS)
    )


# Requests to POST /api/v1/auth/token/ per window, per client address and per username tried
# (settings.ZHENGTU_API_TOKEN_RATE); beyond them the endpoint answers 429 without checking anything.
DEFAULT_TOKEN_RATE = {"window_minutes": 10, "per_address": 30, "per_account": 10}


def token_rate(name: str) -> int:
    configured = getattr(settings, "ZHENGTU_API_TOKEN_RATE", {}) or {}
    return int(configured.get(name, DEFAULT_TOKEN_RATE[name]))
