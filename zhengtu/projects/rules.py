"""Defaults of the projects app, each overridable in settings.ZHENGTU_RULES (never edit code for them)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

DEFAULTS: dict[str, object] = {
    # An indicator is "behind" when its count is below the share of the target expected by
    # the elapsed share of its period by more than this fraction of the target.
    "project_pace_tolerance": "0.10",
    # Vouchers behind spending entries: accepted file types and size.
    "project_voucher_extensions": ["pdf", "jpg", "jpeg", "png", "webp", "ofd"],
    "project_voucher_max_megabytes": 10,
}


def rule(key: str) -> object:
    rules: dict[str, object] = getattr(settings, "ZHENGTU_RULES", {})
    return rules.get(key, DEFAULTS[key])


def pace_tolerance() -> Decimal:
    return Decimal(str(rule("project_pace_tolerance")))


def voucher_extensions() -> list[str]:
    value = rule("project_voucher_extensions")
    assert isinstance(value, list | tuple)
    return [str(item).lower() for item in value]


def voucher_max_bytes() -> int:
    return int(str(rule("project_voucher_max_megabytes"))) * 1024 * 1024
