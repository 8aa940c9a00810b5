"""Defaults of the projects app, each overridable in settings.ZHENGTU_RULES (never edit code for them)."""

from __future__ import annotations

from decimal import Decimal

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, object] = {
    # An indicator is "behind" when its count is below the share of the target expected by
    # the elapsed share of its period by more than this fraction of the target.
    "project_pace_tolerance": "0.10",
    # The largest KPI target accepted (a count of sessions, cases, people in one period); beyond
    # it a typo, not a plan, and figures computed from it would overflow.
    "project_kpi_target_max": 1_000_000,
    # Vouchers behind spending entries: accepted file types and size.
    "project_voucher_extensions": ["pdf", "jpg", "jpeg", "png", "webp", "ofd"],
    "project_voucher_max_megabytes": 10,
    # Which app's records count for an indicator that several apps can count (projects.indicators):
    # indicator code -> app label. Counts are never added across apps, so the same visit recorded
    # in the supervision file and in the service ledger counts once. The contract's service
    # ledger (台账, seed 003) stays the record for the work it has always listed; a site whose
    # staff screen in the assessment module, visit through the supervision file or install the
    # location app through monitoring switches the code to "assessment", "supervision" or
    # "monitoring" here (and stops listing that work in the ledger).
    "project_indicator_counted_by": {
        "psychological_tests": "services",
        "routine_visits": "services",
        "focus_visits": "services",
        "special_visits": "services",
        "location_installs": "services",
    },
}


rule = Rules(DEFAULTS)


def pace_tolerance() -> Decimal:
    return Decimal(str(rule("project_pace_tolerance")))


def voucher_extensions() -> list[str]:
    value = rule("project_voucher_extensions")
    assert isinstance(value, list | tuple)
    return [str(item).lower() for item in value]


def voucher_max_bytes() -> int:
    return int(str(rule("project_voucher_max_megabytes"))) * 1024 * 1024


def indicator_counted_by() -> dict[str, str]:
    """The defaults with the site's choices on top (a site names only the indicators it moves)."""
    default = DEFAULTS["project_indicator_counted_by"]
    value = rule("project_indicator_counted_by")
    assert isinstance(default, dict) and isinstance(value, dict)
    return {str(code): str(app) for code, app in {**default, **value}.items()}


def kpi_target_max() -> int:
    return int(str(rule("project_kpi_target_max")))
