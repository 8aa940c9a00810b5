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
