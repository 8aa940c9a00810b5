"""The supervisee's study pages inside the supervisee app (/app/learning/), sized for a phone."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import run_action
from zhengtu.selfservice.access import SuperviseeRequest, supervisee_required

from ..models import ExamAttempt, LessonProgress, Question
from ..rules import rule
from ..selectors import assignments_of, get_course_for_user, get_lesson_for_user
from ..services import exams, study
from ..services.assignment import assign_courses


def _assignments(request: SuperviseeRequest) -> dict[str, object]:
    person = request.supervisee
    assign_courses(supervisee=person)
    today = timezone.localdate()
    assignments = list(assignments_of(person))
    return {
        "person": person,
        "todo": [a for a in assignments if a.completed_at is None and not a.is_overdue(today)],
        "overdue": [a for a in assignments if a.is_overdue(today)],
        "done": [a for a in assignments if a.completed_at is not None],
    }


def home_cards(request: SuperviseeRequest) -> list[dict[str, object]]:
    """The app home's card: courses to study, overdue and done (LearningConfig.app_home_cards)."""
    return [{"template": "learning/phone/_home_card.html", **_assignments(request)}]


@supervisee_required
def home(request: SuperviseeRequest) -> HttpResponse:
    return render(request, "learning/phone/home.html", _assignments(request))


@supervisee_required
def course(request: SuperviseeRequest, pk: int) -> HttpResponse:
    person = request.supervisee
    found = get_course_for_user(request.user, pk)
    study.fold_pending(supervisee=person)  # credit still waiting on a closed page's session shows too
    progress = {p.lesson_id: p for p in LessonProgress.objects.filter(supervisee=person, lesson__course=found)}
    lessons = [(lesson, progress.get(lesson.pk)) for lesson in found.lessons.all()]
    exam = getattr(found, "exam", None)
    attempts = ExamAttempt.objects.filter(supervisee=person, exam=exam) if exam else ExamAttempt.objects.none()
    return render(
        request,
        "learning/phone/course.html",
        {"course": found, "lessons": lessons, "exam": exam, "attempts": attempts},
    )


@supervisee_required
def lesson(request: SuperviseeRequest, pk: int) -> HttpResponse:
    person = request.supervisee
    found = get_lesson_for_user(request.user, pk)
    study.fold_pending(supervisee=person, lesson=found)
    progress = LessonProgress.objects.filter(supervisee=person, lesson=found).first()
    return render(
        request,
        "learning/phone/lesson.html",
        {
            "lesson": found,
            "course": found.course,
            "progress": progress,
            "heartbeat_seconds": rule("learning_heartbeat_seconds"),
            "idle_seconds": rule("learning_idle_seconds"),
        },
    )


@supervisee_required
def exam_start(request: SuperviseeRequest, pk: int) -> HttpResponse:
    person = request.supervisee
    found = get_course_for_user(request.user, pk)
    exam = getattr(found, "exam", None)
    if exam is None or request.method != "POST":
        raise Http404
    started: list[ExamAttempt] = []
    if run_action(
        request,
        lambda: started.append(exams.start_attempt(actor=Actor.from_request(request), supervisee=person, exam=exam)),
    ):
        return redirect("learning_app:attempt", started[0].pk)
    return redirect("learning_app:course", found.pk)


def _own_attempt(request: SuperviseeRequest, pk: int) -> ExamAttempt:
    person = request.supervisee
    return get_or_404(ExamAttempt.objects.select_related("exam", "exam__course").filter(supervisee=person), pk)


@supervisee_required
def attempt(request: SuperviseeRequest, pk: int) -> HttpResponse:
    found = _own_attempt(request, pk)
    if request.method == "POST" and found.is_open:
        answers = {str(qid): request.POST.getlist(f"q{qid}") for qid in found.question_ids}
        if run_action(
            request, lambda: exams.submit_attempt(actor=Actor.from_request(request), attempt=found, answers=answers)
        ):
            return redirect("learning_app:attempt", found.pk)
        found.refresh_from_db()
    questions = Question.objects.in_bulk(found.question_ids)
    rows = []
    for qid in found.question_ids:
        question = questions.get(qid)
        if question is None:
            continue
        given = found.answers.get(str(qid), [])
        given_list = [str(g) for g in (given if isinstance(given, list) else [given])]
        rows.append(
            {
                "question": question,
                "choices": [(str(i), label, str(i) in given_list) for i, label in enumerate(question.choice_labels())],
                "right": sorted(int(g) for g in given_list if g.isdigit()) == sorted(question.answer),
            }
        )
    return render(
        request,
        "learning/phone/attempt.html",
        {
            "attempt": found,
            "rows": rows,
            "heartbeat_seconds": rule("learning_heartbeat_seconds"),
        },
    )
