"""Staff pages: courses, lessons, question banks and exams."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability, require_rule
from zhengtu.core.pages import run_action, save_form
from zhengtu.core.private_files import serve_private_file

from ..forms import CourseForm, ExamForm, LessonEditForm, LessonForm, QuestionForm
from ..models import CourseAssignment, LessonKind
from ..selectors import (
    courses_managed_by,
    courses_visible_to,
    get_course_for_user,
    get_lesson_for_user,
    get_managed_course,
    get_managed_lesson,
    get_managed_question,
)
from ..services import content, exams
from .common import is_learning_staff


@login_required
def course_list(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    courses = courses_visible_to(request.user).select_related("organisation").order_by("stage", "title", "pk")
    managed = set(courses_managed_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "learning/course_list.html",
        {"courses": courses, "managed": managed, "can_manage": can(request.user, Capability.MANAGE_LEARNING)},
    )


@login_required
def course_new(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_LEARNING)
    form = CourseForm(request.POST or None, user=request.user)
    saved = save_form(
        request,
        form,
        lambda data: content.create_course(actor=Actor.from_request(request), **form.service_data()),
    )
    if saved:
        return redirect("learning:course", saved.result.pk)
    return render(request, "learning/course_form.html", {"form": form})


@login_required
def course_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_managed_course(request.user, pk)
    form = CourseForm(request.POST or None, user=request.user, initial=CourseForm.initial_of(course))

    def save(data: dict[str, Any]) -> object:
        fields = form.service_data()
        fields.pop("organisation", None)
        return content.update_course(actor=Actor.from_request(request), course=course, **fields)

    if save_form(request, form, save):
        return redirect("learning:course", course.pk)
    return render(request, "learning/course_form.html", {"form": form, "course": course})


@login_required
def course_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    course = get_course_for_user(request.user, pk)
    manages = courses_managed_by(request.user).filter(pk=course.pk).exists()
    assignments = CourseAssignment.objects.filter(course=course)
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "lessons": course.lessons.all(),
            "questions": course.questions.all(),
            "exam": getattr(course, "exam", None),
            "manages": manages,
            "assigned": assignments.count(),
            "completed": assignments.filter(completed_at__isnull=False).count(),
        },
    )


@login_required
@require_POST
def course_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_managed_course(request.user, pk)
    published = request.POST.get("published") == "1"
    run_action(
        request,
        lambda: content.set_published(actor=Actor.from_request(request), course=course, published=published),
        done=_("Published.") if published else _("Withdrawn."),
    )
    return redirect("learning:course", course.pk)


@login_required
def lesson_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_managed_course(request.user, pk)
    form = LessonForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> object:
        return content.add_lesson(
            actor=Actor.from_request(request),
            course=course,
            title=data["title"],
            kind=data["kind"],
            length_seconds=int(Decimal(data["minutes"]) * 60),
            body=data.get("body") or "",
            upload=data.get("file"),
        )

    if save_form(request, form, save):
        messages.success(request, _("Lesson added."))
        return redirect("learning:course", course.pk)
    return render(request, "learning/lesson_form.html", {"form": form, "course": course})


@login_required
def lesson_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, is_learning_staff)
    lesson = get_lesson_for_user(request.user, pk)
    return render(request, "learning/lesson_preview.html", {"lesson": lesson, "course": lesson.course})


@login_required
def lesson_media(request: AuthenticatedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """The lesson's file with range requests, for staff and for the supervisees it is published to."""
    lesson = get_lesson_for_user(request.user, pk)
    if lesson.kind == LessonKind.TEXT or not lesson.file:
        return HttpResponse(status=404)
    return serve_private_file(request, lesson.file, content_type=lesson.content_type, filename=lesson.original_name)


@login_required
def question_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_managed_course(request.user, pk)
    form = QuestionForm(request.POST or None)

    def save(data: dict[str, Any]) -> object:
        return exams.add_question(
            actor=Actor.from_request(request),
            course=course,
            kind=data["kind"],
            text=data["text"],
            choices=form.choice_list(),
            answer=data["answer"],
            explanation=data.get("explanation") or "",
        )

    if save_form(request, form, save):
        messages.success(request, _("Question added to the bank."))
        return redirect("learning:course", course.pk)
    return render(request, "learning/question_form.html", {"form": form, "course": course})


@login_required
def exam_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = get_managed_course(request.user, pk)
    exam = getattr(course, "exam", None)
    initial = (
        {
            "title": exam.title,
            "question_count": exam.question_count,
            "pass_mark": exam.pass_mark,
            "max_attempts": exam.max_attempts,
        }
        if exam
        else {"title": course.title, "question_count": 10, "pass_mark": 60}
    )
    form = ExamForm(request.POST or None, initial=initial)
    if save_form(request, form, lambda data: exams.set_exam(actor=Actor.from_request(request), course=course, **data)):
        messages.success(request, _("Exam saved."))
        return redirect("learning:course", course.pk)
    return render(request, "learning/exam_form.html", {"form": form, "course": course})


@login_required
def lesson_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    lesson = get_managed_lesson(request.user, pk)
    initial = {"title": lesson.title, "minutes": Decimal(lesson.length_seconds) / 60, "body": lesson.body}
    form = LessonEditForm(request.POST or None, request.FILES or None, initial=initial)
    if lesson.kind != LessonKind.TEXT:
        del form.fields["body"]
    else:
        del form.fields["file"]

    def save(data: dict[str, Any]) -> object:
        return content.update_lesson(
            actor=Actor.from_request(request),
            lesson=lesson,
            title=data["title"],
            length_seconds=int(Decimal(data["minutes"]) * 60),
            body=data.get("body") or "",
            upload=data.get("file"),
        )

    if save_form(request, form, save):
        messages.success(request, _("Lesson saved."))
        return redirect("learning:course", lesson.course_id)
    return render(request, "learning/lesson_form.html", {"form": form, "course": lesson.course, "lesson": lesson})


@login_required
@require_POST
def lesson_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    lesson = get_managed_lesson(request.user, pk)
    direction = request.POST.get("direction", "")
    run_action(
        request, lambda: content.move_lesson(actor=Actor.from_request(request), lesson=lesson, direction=direction)
    )
    return redirect(f"{reverse('learning:course', args=[lesson.course_id])}#lessons")


@login_required
def question_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = get_managed_question(request.user, pk)
    initial = {
        "kind": question.kind,
        "text": question.text,
        "choices": "\n".join(question.choices),
        "answer": ",".join(str(index + 1) for index in question.answer),
        "explanation": question.explanation,
    }
    form = QuestionForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> object:
        return exams.update_question(
            actor=Actor.from_request(request),
            question=question,
            kind=data["kind"],
            text=data["text"],
            choices=form.choice_list(),
            answer=data["answer"],
            explanation=data.get("explanation") or "",
        )

    if save_form(request, form, save):
        messages.success(request, _("Question saved."))
        return redirect("learning:course", question.course_id)
    return render(
        request, "learning/question_form.html", {"form": form, "course": question.course, "question": question}
    )


@login_required
@require_POST
def question_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = get_managed_question(request.user, pk)
    direction = request.POST.get("direction", "")
    run_action(
        request,
        lambda: exams.move_question(actor=Actor.from_request(request), question=question, direction=direction),
    )
    return redirect(f"{reverse('learning:course', args=[question.course_id])}#questions")
