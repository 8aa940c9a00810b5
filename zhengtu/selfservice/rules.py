"""Defaults of the supervisee's app, each overridable in settings.ZHENGTU_RULES (never edit code for them)."""

from __future__ import annotations

import datetime as dt

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, object] = {
    # The capture must reach the server within this many seconds of the challenge, else the check-in is flagged
    # "stale" (a phone that lost the network sends it later from its outbox: stored, flagged, never dropped).
    "app_checkin_challenge_seconds": 180,
    # A position older than this when the check-in arrives is stale too.
    "app_checkin_position_max_age_seconds": 300,
    # A position less precise than this (the browser's `accuracy`, metres) is flagged.
    "app_checkin_max_accuracy_metres": 200,
    # Spot checks (点名): minutes the person has to answer, and how many scheduled ones per week by level.
    "app_spot_check_minutes": 30,
    "app_spot_checks_per_week": {"strict": 3, "standard": 1, "lenient": 0},
    # Scheduled spot checks are asked between these local hours only.
    "app_spot_check_hours": [9, 20],
    # A voice note may be at most this long / large, a report photo this large.
    "app_voice_max_seconds": 300,
    "app_upload_max_megabytes": 10,
    "app_report_max_photos": 6,
    # The staff count "app active": people who used the app within this many days.
    "app_active_days": 30,
    # Approval kinds only staff start: not offered in the app.
    "app_request_excluded_kinds": ["monitoring", "sanction"],
    # Community-service activities: hours credited at most per sign-up.
    "app_activity_max_hours": 8,
}


rule = Rules(DEFAULTS)


def challenge_window() -> dt.timedelta:
    return dt.timedelta(seconds=int(str(rule("app_checkin_challenge_seconds"))))


def position_max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(str(rule("app_checkin_position_max_age_seconds"))))


def max_accuracy_metres() -> float:
    return float(str(rule("app_checkin_max_accuracy_metres")))


def spot_check_minutes() -> int:
    return int(str(rule("app_spot_check_minutes")))


def spot_checks_per_week(level: str) -> int:
    value = rule("app_spot_checks_per_week")
    assert isinstance(value, dict)
    return int(value.get(level, 0))


def spot_check_hours() -> tuple[int, int]:
    value = rule("app_spot_check_hours")
    assert isinstance(value, list | tuple)
    return int(value[0]), int(value[1])


def voice_max_seconds() -> int:
    return int(str(rule("app_voice_max_seconds")))


def upload_max_bytes() -> int:
    return int(float(str(rule("app_upload_max_megabytes"))) * 1024 * 1024)


def report_max_photos() -> int:
    return int(str(rule("app_report_max_photos")))


def active_days() -> int:
    return int(str(rule("app_active_days")))


def activity_max_hours() -> float:
    return float(str(rule("app_activity_max_hours")))
