"""Assignment by rule: each person gets the courses their group needs and the month's topic.

Run for everyone under supervision by `manage.py assign_courses` (daily) and for one person when
their app home opens. Idempotent: a course is assigned to a person once.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhengtu.supervisees.models import Status, Supervisee

from ..models import AssignmentReason, Course, CourseAssignment, ExamAttempt, LessonProgress, Stage
from ..rules import rule
from ..selectors import courses_for_office


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def stage_of(person: Supervisee, today: dt.date) -> str:
    """入矫 during the first months of the term, 解矫前 during the last, 常规 in between."""
    if today < _add_months(person.term_start, int(rule("learning_intake_months"))):
        return Stage.INTAKE
    if today >= _add_months(person.term_end, -int(rule("learning_pre_release_months"))):
        return Stage.PRE_RELEASE
    return Stage.ROUTINE


def needs_of(person: Supervisee) -> set[str]:
    """Need domains of the person's latest scored assessment."""
    from zhengtu.assessment.models import Assessment, AssessmentStatus

    latest = (
        Assessment.objects.filter(supervisee=person, status=AssessmentStatus.SUBMITTED)
        .exclude(result={})
        .order_by("-submitted_at", "-pk")
        .only("result")
        .first()
    )
    if latest is None:
        return set()
    return {str(need.get("domain")) for need in (latest.result.get("score") or {}).get("needs", [])}


def course_fits(course: Course, person: Supervisee, *, stage: str, needs: set[str]) -> bool:
    if course.stage not in (stage, Stage.SPECIAL):
        return False
    if course.sentence_types and person.sentence_type not in course.sentence_types:
        return False
    if course.supervision_levels and person.supervision_level not in course.supervision_levels:
        return False
    if course.crimes and not any(word and word in person.crime for word in course.crimes):
        return False
    return not (course.needs and not needs.intersection(course.needs))


@transaction.atomic
def assign_courses(*, supervisee: Supervisee, today: dt.date | None = None) -> list[CourseAssignment]:
    """Assign what the person's group needs now and this month's topic; returns the new assignments."""
    today = today or timezone.localdate()
    if supervisee.status != Status.UNDER_SUPERVISION:
        return []
    stage, needs = stage_of(supervisee, today), needs_of(supervisee)
    month = today.replace(day=1)
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    already = set(CourseAssignment.objects.filter(supervisee=supervisee).values_list("course_id", flat=True))
    created = []
    due_days = int(rule("learning_course_due_days"))
    for course in courses_for_office(supervisee.responsible_office).exclude(pk__in=already):
        if course.topic_month is not None:
            if course.topic_month != month:
                continue
            reason, due = AssignmentReason.TOPIC, month_end
        elif course_fits(course, supervisee, stage=stage, needs=needs):
            reason, due = AssignmentReason.RULE, min(today + dt.timedelta(days=due_days), supervisee.term_end)
        else:
            continue
        created.append(
            CourseAssignment.objects.create(
                supervisee=supervisee, course=course, reason=reason, assigned_on=today, due_on=due
            )
        )
    return created


def assign_everyone(people: QuerySet[Supervisee], today: dt.date | None = None) -> int:
    count = 0
    for person in people.filter(status=Status.UNDER_SUPERVISION).select_related("responsible_office").iterator():
        count += len(assign_courses(supervisee=person, today=today))
    return count


def course_is_done(*, supervisee: Supervisee, course: Course) -> bool:
    lessons = set(course.lessons.values_list("pk", flat=True))
    done = set(
        LessonProgress.objects.filter(
            supervisee=supervisee, lesson_id__in=lessons, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    if lessons - done:
        return False
    exam = getattr(course, "exam", None)
    return exam is None or ExamAttempt.objects.filter(exam=exam, supervisee=supervisee, passed=True).exists()


def refresh_completion(*, supervisee: Supervisee, course: Course) -> bool:
    """Mark the person's assignment of the course done when every lesson is complete and the exam passed."""
    if not course_is_done(supervisee=supervisee, course=course):
        return False
    CourseAssignment.objects.filter(supervisee=supervisee, course=course, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    return True
