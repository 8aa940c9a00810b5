"""Exams: random draws from the bank, automatic marking, attempts kept and private."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhengtu.audit.services import Actor

from ..models import CourseAssignment, ExamAttempt, LessonProgress, Question
from ..services import exams
from ..services.exams import draw_questions


def test_each_draw_comes_from_the_bank_and_attempts_differ(lw) -> None:  # type: ignore[no-untyped-def]
    exam = lw.course.exam
    bank = set(Question.objects.filter(course=lw.course, is_active=True).values_list("pk", flat=True))
    other_course_question = Question.objects.create(
        course=lw.course, kind="true_false", text="停用", answer=[0], is_active=False
    )
    draws = [draw_questions(exam) for _ in range(30)]
    assert all(len(d) == 4 and len(set(d)) == 4 and set(d) <= bank for d in draws)
    assert other_course_question.pk not in {q for d in draws for q in d}
    assert len({frozenset(d) for d in draws}) > 1
    first = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=exam)
    exams.submit_attempt(actor=lw.me(), attempt=first, answers={})
    second = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=exam)
    assert set(second.question_ids) != set(first.question_ids)


def _right_answers(attempt: ExamAttempt) -> dict[str, list[str]]:
    questions = Question.objects.in_bulk(attempt.question_ids)
    return {str(pk): [str(i) for i in questions[pk].answer] for pk in attempt.question_ids}


def test_marking_and_pass_mark(lw) -> None:  # type: ignore[no-untyped-def]
    attempt = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=lw.course.exam)
    answers = _right_answers(attempt)
    wrong = attempt.question_ids[0]
    right_choice = answers[str(wrong)][0]
    answers[str(wrong)] = ["1" if right_choice != "1" else "0"]
    marked = exams.submit_attempt(actor=lw.me(), attempt=attempt, answers=answers)
    assert marked.score == 75 and marked.passed  # 3 of 4 against a pass mark of 75 %
    with pytest.raises(ValidationError):
        exams.submit_attempt(actor=lw.me(), attempt=attempt, answers=answers)


def test_passing_the_exam_after_all_lessons_completes_the_assignment(lw) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    assignment = CourseAssignment.objects.create(
        supervisee=lw.person,
        course=lw.course,
        reason="rule",
        assigned_on=timezone.localdate(),
        due_on=timezone.localdate(),
    )
    for lesson in (lw.text_lesson, lw.video_lesson):
        LessonProgress.objects.create(supervisee=lw.person, lesson=lesson, completed_at=timezone.now())
    attempt = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=lw.course.exam)
    exams.submit_attempt(actor=lw.me(), attempt=attempt, answers=_right_answers(attempt))
    assignment.refresh_from_db()
    assert assignment.completed_at is not None


def test_nobody_else_can_take_or_hand_in_my_attempt(lw) -> None:  # type: ignore[no-untyped-def]
    attempt = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=lw.course.exam)
    with pytest.raises(PermissionDenied):
        exams.submit_attempt(actor=Actor(user=lw.neighbour_user), attempt=attempt, answers={})
    with pytest.raises(PermissionDenied):
        exams.start_attempt(actor=Actor(user=lw.neighbour_user), supervisee=lw.person, exam=lw.course.exam)


def test_a_supervisee_never_sees_another_persons_attempts(lw, client) -> None:  # type: ignore[no-untyped-def]
    attempt = exams.start_attempt(actor=lw.me(), supervisee=lw.person, exam=lw.course.exam)
    exams.submit_attempt(actor=lw.me(), attempt=attempt, answers=_right_answers(attempt))
    client.force_login(lw.neighbour_user)
    assert client.get(reverse("learning_app:attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("learning_app:attempt", args=[attempt.pk]), {}).status_code == 404
    api = client.get(reverse("api-learning-person-attempts", args=[lw.person.pk]))
    assert api.status_code == 404
    course_page = client.get(reverse("learning_app:course", args=[lw.course.pk])).content.decode()
    assert reverse("learning_app:attempt", args=[attempt.pk]) not in course_page
    own = client.get(reverse("api-learning-person-attempts", args=[lw.neighbour.pk]))
    assert own.status_code == 200 and own.json()["count"] == 0


def test_taking_the_exam_on_the_phone(lw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lw.person_user)
    response = client.post(reverse("learning_app:exam_start", args=[lw.course.pk]))
    attempt = ExamAttempt.objects.get(supervisee=lw.person)
    assert response.url == reverse("learning_app:attempt", args=[attempt.pk])
    answers = {f"q{pk}": values for pk, values in _right_answers(attempt).items()}
    page = client.post(reverse("learning_app:attempt", args=[attempt.pk]), answers, follow=True).content.decode()
    assert "100%" in page and "通过" in page
