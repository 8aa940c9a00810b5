"""Defaults of the services app, each overridable in settings.ZHENGTU_RULES (never edit code for them).

Monthly hours by supervision level. The strict level follows one province's rule quoted in
PRODUCT.md (at least 12 h study and 12 h community service a month). The standard level takes
the national baseline of the 2012 Implementing Measures for Community Corrections (at least
8 h of education and 8 h of community service a month); the lenient level halves it. Provinces
differ: override "monthly_service_hours" in settings.
"""

from __future__ import annotations

from decimal import Decimal

from zhengtu.core.rules import Rules

STUDY = "study"
COMMUNITY_SERVICE = "community_service"

DEFAULTS: dict[str, object] = {
    "monthly_service_hours": {
        "strict": {STUDY: 12, COMMUNITY_SERVICE: 12},
        "standard": {STUDY: 8, COMMUNITY_SERVICE: 8},
        "lenient": {STUDY: 4, COMMUNITY_SERVICE: 4},
    },
    # Which kinds of ledger record count towards which hours.
    "service_hour_kinds": {STUDY: ["education"], COMMUNITY_SERVICE: ["community_service"]},
    # "My tasks" lists this month's shortfalls during its last N days (and last month's for N days).
    "service_hours_reminder_days": 10,
    # One record cannot credit more hours than this (a typo guard: 80 instead of 8.0).
    "service_record_max_hours": 12,
    "service_photo_extensions": ["jpg", "jpeg", "png", "webp", "pdf", "docx", "pptx"],
    "service_photo_max_megabytes": 10,
    # Excel import: at most this many rows per file, and extra words accepted in the "form" column.
    "service_import_max_rows": 5000,
    "service_import_aliases": {"团体": "group", "集中": "group", "个案": "individual", "个别": "individual"},
    "service_import_kind_aliases": {
        "走访": "visit",
        "公益活动": "community_service",
        "公益劳动": "community_service",
        "集中教育": "education",
        "个案辅导": "counselling",
        "团体辅导": "counselling",
    },
}


rule = Rules(DEFAULTS)


def monthly_requirements() -> dict[str, dict[str, Decimal]]:
    """{level: {category: hours}} — categories are STUDY and COMMUNITY_SERVICE."""
    value = rule("monthly_service_hours")
    assert isinstance(value, dict)
    return {
        str(level): {str(category): Decimal(str(hours)) for category, hours in needs.items()}
        for level, needs in value.items()
    }


def hour_kinds() -> dict[str, list[str]]:
    value = rule("service_hour_kinds")
    assert isinstance(value, dict)
    return {str(category): [str(kind) for kind in kinds] for category, kinds in value.items()}


def reminder_days() -> int:
    return int(str(rule("service_hours_reminder_days")))


def max_record_hours() -> Decimal:
    return Decimal(str(rule("service_record_max_hours")))


def attachment_extensions() -> list[str]:
    value = rule("service_photo_extensions")
    assert isinstance(value, list | tuple)
    return [str(item).lower() for item in value]


def attachment_max_bytes() -> int:
    return int(str(rule("service_photo_max_megabytes"))) * 1024 * 1024


def import_max_rows() -> int:
    return int(str(rule("service_import_max_rows")))


def import_kind_aliases() -> dict[str, str]:
    value = rule("service_import_kind_aliases")
    assert isinstance(value, dict)
    return {str(word): str(code) for word, code in value.items()}


def import_aliases() -> dict[str, str]:
    value = rule("service_import_aliases")
    assert isinstance(value, dict)
    return {str(word): str(code) for word, code in value.items()}
