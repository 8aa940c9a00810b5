"""Question banks and exams: each attempt draws its own questions at random; objective questions are marked here."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.supervisees.models import Supervisee

from ..models import Course, Exam, ExamAttempt, Question, QuestionKind
from .content import _check_owner, _manager, move_in_order

_random = random.SystemRandom()
# Redraws tried so that an attempt does not repeat the previous attempt's questions exactly.
REDRAWS = 8


def _clean_answer(kind: str, choices: Sequence[str], answer: Sequence[int]) -> list[int]:
    indexes = sorted({int(i) for i in answer})
    count = 2 if kind == QuestionKind.TRUE_FALSE else len(choices)
    if kind != QuestionKind.TRUE_FALSE and len(choices) < 2:
        raise ValidationError({"choices": _("A choice question needs at least two choices.")})
    if not indexes or any(i < 0 or i >= count for i in indexes):
        raise ValidationError({"answer": _("Mark the right answer among the choices.")})
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(indexes) != 1:
        raise ValidationError({"answer": _("This kind of question has exactly one right answer.")})
    return indexes


@transaction.atomic
def add_question(
    *,
    actor: Actor,
    course: Course,
    kind: str,
    text: str,
    choices: Sequence[str] = (),
    answer: Sequence[int],
    explanation: str = "",
) -> Question:
    user = _manager(actor)
    _check_owner(user, course.organisation)
    clean_choices = [] if kind == QuestionKind.TRUE_FALSE else [c.strip() for c in choices if c.strip()]
    question = Question(
        course=course,
        kind=kind,
        text=text.strip(),
        choices=clean_choices,
        answer=_clean_answer(kind, clean_choices, answer),
        explanation=explanation.strip(),
        position=course.questions.count() + 1,
    )
    question.full_clean()
    question.save()
    record_event(actor, action=Action.CREATE, target=question, detail={"course": course.pk})
    return question


@transaction.atomic
def update_question(
    *,
    actor: Actor,
    question: Question,
    kind: str,
    text: str,
    choices: Sequence[str] = (),
    answer: Sequence[int],
    explanation: str = "",
) -> Question:
    """A question of the bank corrected. Attempts already marked keep their score (it was stored when marked)."""
    user = _manager(actor)
    _check_owner(user, question.course.organisation)
    question = Question.objects.select_for_update().get(pk=question.pk)
    clean_choices = [] if kind == QuestionKind.TRUE_FALSE else [c.strip() for c in choices if c.strip()]
    question.kind = kind
    question.text = text.strip()
    question.choices = clean_choices
    question.answer = _clean_answer(kind, clean_choices, answer)
    question.explanation = explanation.strip()
    question.full_clean()
    question.save()
    record_event(actor, action=Action.UPDATE, target=question, detail={"course": question.course_id})
    return question


@transaction.atomic
def move_question(*, actor: Actor, question: Question, direction: str) -> None:
    user = _manager(actor)
    _check_owner(user, question.course.organisation)
    bank = Question.objects.select_for_update().filter(course_id=question.course_id).order_by("position", "pk")
    move_in_order(bank, question, direction)
    record_event(actor, action=Action.UPDATE, target=question, detail={"moved": direction})


@transaction.atomic
def set_exam(
    *, actor: Actor, course: Course, title: str, question_count: int, pass_mark: int, max_attempts: int | None = None
) -> Exam:
    user = _manager(actor)
    _check_owner(user, course.organisation)
    bank = course.questions.filter(is_active=True).count()
    if question_count > bank:
        raise ValidationError({"question_count": _("The bank has only %(bank)s questions in use.") % {"bank": bank}})
    exam, _created = Exam.objects.update_or_create(
        course=course,
        defaults={
            "title": title.strip(),
            "question_count": question_count,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
        },
    )
    exam.full_clean()
    record_event(actor, action=Action.UPDATE, target=exam, detail={"questions": question_count, "pass_mark": pass_mark})
    return exam


def draw_questions(exam: Exam, previous: Sequence[int] = ()) -> list[int]:
    """N questions of the bank in use, at random; not the same set as `previous` when the bank allows another."""
    bank = list(exam.course.questions.filter(is_active=True).values_list("pk", flat=True))
    if len(bank) < exam.question_count:
        raise ValidationError(_("This exam's question bank has too few questions; ask your officer."))
    drawn = _random.sample(bank, exam.question_count)
    for _attempt in range(REDRAWS):
        if len(bank) == exam.question_count or set(drawn) != set(previous):
            break
        drawn = _random.sample(bank, exam.question_count)
    return drawn


@transaction.atomic
def start_attempt(*, actor: Actor, supervisee: Supervisee, exam: Exam) -> ExamAttempt:
    """The person's open attempt, or a new one with freshly drawn questions."""
    if actor.user is None or supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    Supervisee.objects.select_for_update().filter(pk=supervisee.pk).first()
    attempts = ExamAttempt.objects.filter(exam=exam, supervisee=supervisee)
    open_attempt = attempts.filter(submitted_at__isnull=True).first()
    if open_attempt is not None:
        return open_attempt
    if exam.max_attempts is not None and attempts.count() >= exam.max_attempts:
        raise ValidationError(_("You have used all %(count)s attempts of this exam.") % {"count": exam.max_attempts})
    last = attempts.order_by("-started_at", "-pk").first()
    attempt = ExamAttempt.objects.create(
        exam=exam, supervisee=supervisee, question_ids=draw_questions(exam, last.question_ids if last else ())
    )
    record_event(actor, action=Action.CREATE, target=attempt, detail={"questions": attempt.question_ids})
    return attempt


def _is_right(question: Question, given: Any) -> bool:
    chosen = given if isinstance(given, list) else [given]
    try:
        indexes = sorted({int(i) for i in chosen if str(i) != ""})
    except (TypeError, ValueError):
        return False
    return indexes == sorted(int(i) for i in question.answer)


@transaction.atomic
def submit_attempt(*, actor: Actor, attempt: ExamAttempt, answers: Mapping[str, Any]) -> ExamAttempt:
    """Mark the attempt: the share of drawn questions answered right, against the exam's pass mark."""
    attempt = (
        ExamAttempt.objects.select_for_update(of=("self",)).select_related("exam", "supervisee").get(pk=attempt.pk)
    )
    if actor.user is None or attempt.supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    if not attempt.is_open:
        raise ValidationError(_("This attempt was already handed in."))
    questions = Question.objects.in_bulk(attempt.question_ids)
    kept = {str(pk): answers.get(str(pk), "") for pk in attempt.question_ids}
    right = sum(1 for pk in attempt.question_ids if pk in questions and _is_right(questions[pk], kept[str(pk)]))
    attempt.answers = kept
    attempt.score = round(100 * right / max(len(attempt.question_ids), 1))
    attempt.passed = attempt.score >= attempt.exam.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["answers", "score", "passed", "submitted_at"])
    record_event(actor, action=Action.UPDATE, target=attempt, detail={"score": attempt.score, "passed": attempt.passed})
    if attempt.passed:
        from .assignment import refresh_completion

        refresh_completion(supervisee=attempt.supervisee, course=attempt.exam.course)
    return attempt
