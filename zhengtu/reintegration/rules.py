"""Defaults of the reintegration app, each overridable in settings.ZHENGTU_RULES."""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, object] = {
    # An open need with no referral after this many days appears in the officer's "my tasks".
    "reintegration_referral_days": 10,
    # Need domains of the assessment module (assessment result "needs") offered as needs of these kinds.
    "reintegration_assessment_domains": {
        "education_work": "employment_guidance",
        "finances": "social_assistance",
        "family": "other",
    },
}


def rule(key: str) -> object:
    rules: dict[str, object] = getattr(settings, "ZHENGTU_RULES", {})
    return rules.get(key, DEFAULTS[key])


def referral_days() -> int:
    return int(str(rule("reintegration_referral_days")))


def assessment_domain_kinds() -> dict[str, str]:
    value = rule("reintegration_assessment_domains")
    return dict(value) if isinstance(value, dict) else {}
