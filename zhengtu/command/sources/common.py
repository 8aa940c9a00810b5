"""Small pieces the built-in figure sources share."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.urls import reverse


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def supervisee_link(record: Any, label: str) -> tuple[str, str]:
    return label, reverse("supervisees:detail", args=[record.supervisee_id])


def file_link(record: Any, label: str) -> tuple[str, str]:
    return label, reverse("supervision:file", args=[record.supervisee_id])
