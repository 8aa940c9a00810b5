"""Defaults of juvenile judicial social work, each overridable in settings.ZHENGTU_RULES.

- Conditional non-prosecution (附条件不起诉, CPL art. 283): the test period is 6 to 12 months from the decision.
- GB/T 42380-2023: case files (一人一档) are kept at least 5 years after closure; juvenile social workers take at
  least 32 hours of continuing education a year (15.3.4).
"""

from __future__ import annotations

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, object] = {
    "non_prosecution_test_min_months": 6,
    "non_prosecution_test_max_months": 12,
    "juvenile_retention_years": 5,
    "juvenile_worker_training_hours_per_year": 32,
    # A read of a sealed case approved for someone not on it stays open this many days.
    "sealed_read_approval_days": 30,
}


rule = Rules(DEFAULTS)


def test_period_limits() -> tuple[int, int]:
    return int(str(rule("non_prosecution_test_min_months"))), int(str(rule("non_prosecution_test_max_months")))


def retention_years() -> int:
    return int(str(rule("juvenile_retention_years")))


def training_hours_per_year() -> int:
    return int(str(rule("juvenile_worker_training_hours_per_year")))


def sealed_read_days() -> int:
    return int(str(rule("sealed_read_approval_days")))
