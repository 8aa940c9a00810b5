"""Defaults of the reintegration app, each overridable in settings.ZHENGTU_RULES."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from zhengtu.workdays.calendar import WorkingDayCalendar

DEFAULTS: dict[str, object] = {
    # An open need with no referral after this many working days (zhengtu.workdays: weekends and public
    # holidays do not count) appears in the officer's "my tasks" and in the list's "not referred" filter.
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
    """Working days (the setting keeps its name)."""
    return int(str(rule("reintegration_referral_days")))


def referral_due(found_on: dt.date, calendar: WorkingDayCalendar | None = None) -> dt.date:
    """The day a need found on `found_on` should have been referred by: `referral_days()` working days later."""
    return (calendar or WorkingDayCalendar.load()).add_working_days(found_on, referral_days()).due


def referral_overdue_found_by(today: dt.date, calendar: WorkingDayCalendar | None = None) -> dt.date:
    """The latest day a need may have been found on and be overdue for a referral today (due on or before today)."""
    calendar = calendar or WorkingDayCalendar.load()
    found_by = today
    # Walks back at most the rule's working days plus the weekends and holidays between (a few weeks at most).
    while referral_due(found_by, calendar) > today:
        found_by -= dt.timedelta(days=1)
    return found_by


def assessment_domain_kinds() -> dict[str, str]:
    value = rule("reintegration_assessment_domains")
    return dict(value) if isinstance(value, dict) else {}
