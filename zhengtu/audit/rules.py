"""Retention of the audit log: settings, with the legal minimum of six months as the floor."""

from __future__ import annotations

from django.conf import settings

DEFAULT_RETENTION_DAYS = 730
DEFAULT_MINIMUM_RETENTION_DAYS = 183


def retention_days() -> int:
    return int(getattr(settings, "ZHENGTU_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def minimum_retention_days() -> int:
    return int(getattr(settings, "ZHENGTU_AUDIT_MINIMUM_RETENTION_DAYS", DEFAULT_MINIMUM_RETENTION_DAYS))
