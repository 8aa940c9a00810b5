"""Defaults of the learning app, each overridable in settings.ZHENGTU_RULES (never edit code for them)."""

from __future__ import annotations

from typing import Any

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, Any] = {
    # Largest lesson file accepted (videos are not transcoded: a county's own recordings).
    "learning_upload_max_megabytes": 300,
    # A lesson is complete when this share of its real length was watched (or read) honestly.
    "learning_completion_share": 0.9,
    # The page sends a heartbeat this often; a gap longer than `learning_heartbeat_max_gap_seconds`
    # counts only this much (the page was frozen, hidden or offline in between).
    "learning_heartbeat_seconds": 15,
    "learning_heartbeat_max_gap_seconds": 30,
    # Clocks and timers are not exact: a claim or a video advance may exceed the server's wall time by this.
    "learning_heartbeat_tolerance_seconds": 2,
    # Credited time is added to the lesson's progress every this many counting heartbeats (and at once when
    # the lesson may be complete); until then it waits on the study session's row (never lost, only later).
    "learning_progress_every_beats": 4,
    # Reading a text or PDF lesson: no touch, scroll or key for this long and the person is idle.
    "learning_idle_seconds": 120,
    # Random face checks while studying or taking an exam: on average this many per hour, the first
    # one within `learning_face_check_first_within_seconds` of starting; unanswered for
    # `learning_face_check_answer_seconds` counts as refused.
    "learning_face_checks_per_hour": 2,
    "learning_face_check_first_within_seconds": 300,
    "learning_face_check_answer_seconds": 120,
    # Assignment: a course assigned by rule is due this many days later; the month's topic at month end.
    "learning_course_due_days": 30,
    # Intake education (入矫教育) during the first months of a term, pre-release education (解矫前教育)
    # during the last months.
    "learning_intake_months": 2,
    "learning_pre_release_months": 1,
    # Exams: how many questions an exam draws by default and the default pass mark (percent).
    "learning_exam_questions": 10,
    "learning_exam_pass_mark": 60,
    # Photos of a group session: at most this many per session, each at most this large before re-encoding.
    "learning_session_photos_max": 30,
    "learning_session_photo_max_megabytes": 10,
}


rule = Rules(DEFAULTS)


def upload_max_bytes() -> int:
    return int(float(rule("learning_upload_max_megabytes")) * 1024 * 1024)
