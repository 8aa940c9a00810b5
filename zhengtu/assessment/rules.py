"""The assessment app's rules as settings, with the defaults of seed 000 and common practice.

Override in a settings module, never in code:
- ZHENGTU_ASSESSMENT_REPORT_WORKING_DAYS: a report is due this many working days after the
  questionnaire was received (seed 000: 3).
- ZHENGTU_ASSESSMENT_REPORT_KINDS: instrument kinds whose assessments need a written report.
- ZHENGTU_ASSESSMENT_REASSESSMENT_MONTHS: months between risk/needs assessments per supervision level.
- ZHENGTU_ASSESSMENT_OVERRIDE_APPROVER_ROLES: roles with the assess capability that supervise
  assessors and may approve a level override (users who may approve at justice-office level may too).
- ZHENGTU_ASSESSMENT_REPORT_NUMBER_PREFIX: prefix of report numbers, e.g. "矫评〔2026〕12号".
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_REASSESSMENT_MONTHS = {"strict": 3, "standard": 6, "lenient": 12}


def report_working_days() -> int:
    return int(getattr(settings, "ZHENGTU_ASSESSMENT_REPORT_WORKING_DAYS", 3))


def report_kinds() -> frozenset[str]:
    return frozenset(getattr(settings, "ZHENGTU_ASSESSMENT_REPORT_KINDS", ("risk_needs", "psychological")))


def reassessment_months() -> dict[str, int]:
    configured = getattr(settings, "ZHENGTU_ASSESSMENT_REASSESSMENT_MONTHS", {})
    return {**DEFAULT_REASSESSMENT_MONTHS, **configured}


def override_approver_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "ZHENGTU_ASSESSMENT_OVERRIDE_APPROVER_ROLES", ("agency_manager",)))


def report_number_prefix() -> str:
    return str(getattr(settings, "ZHENGTU_ASSESSMENT_REPORT_NUMBER_PREFIX", "矫评"))
