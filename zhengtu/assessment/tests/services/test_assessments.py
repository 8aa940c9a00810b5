"""Taking assessments: drafts, submission, deadlines in working days, critical alerts, cancelling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.audit.services import Actor
from zhengtu.workdays.models import CalendarDay
from zhengtu.workspace.models import Notification

from ...models import Assessment, AssessmentMode, AssessmentStatus, CriticalAlert, Instrument
from ...services.assessments import (
    AnswersIncomplete,
    acknowledge_alert,
    cancel_assessment,
    refresh_approximate_deadlines,
    report_deadline,
    save_draft,
    start_assessment,
    submit_assessment,
    take_assessment,
)
from ...tasks import tasks_for
from ..conftest import Case

PHQ_MODERATE = {
    **{f"phq{n}": v for n, v in enumerate(["1", "2", "0", "3", "1", "0", "2", "1", "1"], start=1)},
    "phq10": "1",
}
PHQ_NONE = {**{f"phq{n}": "0" for n in range(1, 10)}}


def test_national_day_2026_deadline_lands_on_the_make_up_saturday(calendar_2026: None) -> None:
    # Received Wednesday 30 September; 1–7 October are holidays; 8 Oct (1), 9 Oct (2),
    # Saturday 10 Oct is a make-up working day (3).
    deadline = report_deadline(dt.date(2026, 9, 30))
    assert deadline.due == dt.date(2026, 10, 10)
    assert not deadline.is_approximate


def test_a_year_without_calendar_data_falls_back_to_weekdays_with_a_warning(calendar_2026: None) -> None:
    deadline = report_deadline(dt.date(2027, 3, 3))  # Wednesday → Thu, Fri, Mon
    assert deadline.due == dt.date(2027, 3, 8)
    assert deadline.is_approximate and deadline.fallback_years == {2027}
    across = report_deadline(dt.date(2026, 12, 30))  # Thu 31 (2026 known), Fri 1 Jan, Mon 4 Jan (2027 unknown)
    assert across.due == dt.date(2027, 1, 4)
    assert across.is_approximate


def test_the_number_of_working_days_is_a_setting(calendar_2026: None, settings: object) -> None:
    settings.ZHENGTU_ASSESSMENT_REPORT_WORKING_DAYS = 5  # type: ignore[attr-defined]
    # 8 Oct (1), 9 Oct (2), Sat 10 Oct make-up (3), Mon 12 (4), Tue 13 (5).
    assert report_deadline(dt.date(2026, 9, 30)).due == dt.date(2026, 10, 13)


def test_start_stores_the_deadline_and_the_version(case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = start_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["intake_example"],
        received_on=dt.date(2026, 9, 30),
    )
    assert assessment.due_on == dt.date(2026, 10, 10)
    assert assessment.due_is_approximate is False
    assert assessment.instrument_version == instruments["intake_example"].current_version
    assert assessment.office == case.supervisee.responsible_office
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_deadline_counted_on_the_fallback_is_recounted_once_the_year_is_loaded(
    case: Case, instruments: dict[str, Instrument]
) -> None:
    CalendarDay.objects.filter(date__year=2026).delete()
    assessment = start_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], received_on=dt.date(2026, 9, 30)
    )
    assert assessment.due_on == dt.date(2026, 10, 5)  # Thu 1, Fri 2, Mon 5 on weekdays only
    assert assessment.due_is_approximate
    from zhengtu.workdays.calendar import load_year_from_chinesecalendar

    load_year_from_chinesecalendar(2026)
    assert refresh_approximate_deadlines() == 1
    assessment.refresh_from_db()
    assert (assessment.due_on, assessment.due_is_approximate) == (dt.date(2026, 10, 10), False)


def test_drafts_keep_valid_and_invalid_answers_until_submission(case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = start_assessment(actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"])
    evaluation = save_draft(actor=case.actor(), assessment=assessment, answers={"phq1": "2", "phq2": "9"})
    assert evaluation.errors == {"phq2": evaluation.errors["phq2"]}
    assessment.refresh_from_db()
    assert assessment.answers == {"phq1": "2", "phq2": "9"}
    with pytest.raises(AnswersIncomplete) as incomplete:
        submit_assessment(actor=case.actor(), assessment=assessment)
    assert set(incomplete.value.evaluation.errors) == {f"phq{n}" for n in range(2, 11)}
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.result == {}


def test_submission_scores_and_alerts_the_officer_and_social_worker_at_once(
    case: Case, instruments: dict[str, Instrument]
) -> None:
    assessment = start_assessment(
        actor=case.actor(case.social_worker), supervisee=case.supervisee, instrument=instruments["phq9"]
    )
    submit_assessment(actor=case.actor(case.social_worker), assessment=assessment, answers=PHQ_MODERATE)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total_score, assessment.level_label) == ("submitted", 11, "中度抑郁")
    assert assessment.has_critical_items
    alert = CriticalAlert.objects.get(assessment=assessment)
    assert alert.item == "phq9"
    notified = set(Notification.objects.filter(kind="assessment_critical").values_list("recipient_id", flat=True))
    assert notified == {case.officer.pk, case.social_worker.pk}
    for user in (case.officer, case.social_worker):
        kinds = [task.kind for task in tasks_for(user)]
        assert "assessment_critical" in kinds
    assert "assessment_critical" not in [task.kind for task in tasks_for(case.outsider)]
    assert "assessment_critical" not in [task.kind for task in tasks_for(case.colleague)]  # not responsible
    acknowledge_alert(actor=case.actor(), alert=alert, action_note="已电话联系本人及家属，安排心理咨询师面谈。")
    assert "assessment_critical" not in [task.kind for task in tasks_for(case.officer)]


def test_no_alert_without_a_critical_answer(case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = take_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], answers=PHQ_NONE
    )
    assert not assessment.has_critical_items
    assert not Notification.objects.filter(kind="assessment_critical").exists()


def test_a_submitted_assessment_cannot_change(case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = take_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], answers=PHQ_NONE
    )
    with pytest.raises(ValidationError):
        save_draft(actor=case.actor(), assessment=assessment, answers=PHQ_MODERATE)
    with pytest.raises(ValidationError):
        submit_assessment(actor=case.actor(), assessment=assessment, answers=PHQ_MODERATE)


def test_take_assessment_writes_nothing_when_answers_are_incomplete(
    case: Case, instruments: dict[str, Instrument]
) -> None:
    with pytest.raises(AnswersIncomplete):
        take_assessment(
            actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], answers={"phq1": "1"}
        )
    assert not Assessment.objects.exists()


def test_only_assessors_start_and_only_the_supervisee_fills_their_own(
    case: Case, instruments: dict[str, Instrument], supervisee_user: object, world: object
) -> None:
    with pytest.raises(PermissionDenied):
        start_assessment(actor=Actor(user=world.bureau_a), supervisee=case.supervisee, instrument=instruments["phq9"])  # type: ignore[attr-defined]
    assessment = start_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["gad7"], mode=AssessmentMode.SELF_REPORT
    )
    answers = {f"gad{n}": "0" for n in range(1, 8)}
    submit_assessment(actor=Actor(user=supervisee_user), assessment=assessment, answers=answers)  # type: ignore[arg-type]
    assessment.refresh_from_db()
    assert assessment.level_label == "无或极轻微焦虑"
    interview = start_assessment(actor=case.actor(), supervisee=case.supervisee, instrument=instruments["gad7"])
    with pytest.raises(PermissionDenied):
        submit_assessment(actor=Actor(user=supervisee_user), assessment=interview, answers=answers)  # type: ignore[arg-type]


def test_refusals(case: Case, instruments: dict[str, Instrument]) -> None:
    with pytest.raises(ValidationError):
        start_assessment(
            actor=case.actor(),
            supervisee=case.supervisee,
            instrument=instruments["phq9"],
            received_on=dt.date(2099, 1, 1),
        )
    with pytest.raises(ValidationError):  # no login account for self-report
        start_assessment(
            actor=case.actor(),
            supervisee=case.supervisee,
            instrument=instruments["phq9"],
            mode=AssessmentMode.SELF_REPORT,
        )


def test_cancel_needs_a_reason(case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = start_assessment(actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"])
    with pytest.raises(ValidationError):
        cancel_assessment(actor=case.actor(), assessment=assessment, reason=" ")
    cancel_assessment(actor=case.actor(), assessment=assessment, reason="问卷填写不完整，无效")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CANCELLED
