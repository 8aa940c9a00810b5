"""Defaults of the volunteers app, each overridable in settings.ZHENGTU_RULES.

The yearly training requirement of juvenile social workers is juvenile.rules.training_hours_per_year.
"""

from __future__ import annotations

from decimal import Decimal

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, object] = {
    # One entry of volunteer hours cannot exceed this (a typo guard: 80 instead of 8.0).
    "volunteer_max_hours_per_entry": 12,
    # Volunteers working with children must have had a background check within this many years.
    "volunteer_background_check_years": 3,
}


rule = Rules(DEFAULTS)


def max_hours_per_entry() -> Decimal:
    return Decimal(str(rule("volunteer_max_hours_per_entry")))


def background_check_years() -> int:
    return int(str(rule("volunteer_background_check_years")))
