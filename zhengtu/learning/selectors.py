"""Reads of the learning app. Scope is decided here: default deny, 404 outside.

Courses are shared down the tree: a course owned by a bureau is seen by every office below it,
and a bureau sees the courses its offices made. Everything about a person's studying (progress,
attempts, face checks) is seen through `supervisees_visible_to`: a supervisee sees only their own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can, is_supervisee
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import (
    Course,
    CourseAssignment,
    ExamAttempt,
    GroupSession,
    Lecturer,
    Lesson,
    Question,
    StudyFaceCheck,
    StudySession,
)


def _ancestor_ids(organisation: Organisation) -> list[int]:
    return [int(part) for part in organisation.path.strip("/").split("/") if part]


def own_supervisee(user: User) -> Supervisee | None:
    """The supervisee record of a supervisee's account (None for staff)."""
    if not user.is_authenticated or not user.is_active or not is_supervisee(user):
        return None
    return Supervisee.objects.select_related("responsible_office").filter(user=user).first()


def courses_for_office(office: Organisation) -> QuerySet[Course]:
    """Published courses a person supervised by `office` may study: owned by the office or above it."""
    return Course.objects.filter(organisation_id__in=_ancestor_ids(office), is_published=True)


def courses_visible_to(user: User) -> QuerySet[Course]:
    if not user.is_authenticated or not user.is_active:
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.all()
    if is_supervisee(user):
        person = own_supervisee(user)
        return courses_for_office(person.responsible_office) if person else Course.objects.none()
    if user.organisation is None or not can(user, Capability.VIEW_SUPERVISEES):
        return Course.objects.none()
    org = user.organisation
    return Course.objects.filter(Q(organisation_id__in=_ancestor_ids(org)) | Q(organisation__path__startswith=org.path))


def courses_managed_by(user: User) -> QuerySet[Course]:
    """Courses the user may edit: owned by their organisation or below it."""
    if not can(user, Capability.MANAGE_LEARNING):
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.all()
    if user.organisation is None:
        return Course.objects.none()
    return Course.objects.filter(organisation__path__startswith=user.organisation.path)


def get_course_for_user(user: User, pk: object) -> Course:
    return get_or_404(courses_visible_to(user).select_related("organisation"), pk)


def get_managed_course(user: User, pk: object) -> Course:
    return get_or_404(courses_managed_by(user).select_related("organisation"), pk)


def get_managed_lesson(user: User, pk: object) -> Lesson:
    return get_or_404(
        Lesson.objects.select_related("course__organisation").filter(course__in=courses_managed_by(user)), pk
    )


def get_managed_question(user: User, pk: object) -> Question:
    return get_or_404(
        Question.objects.select_related("course__organisation").filter(course__in=courses_managed_by(user)), pk
    )


def get_lesson_for_user(user: User, pk: object) -> Lesson:
    return get_or_404(Lesson.objects.select_related("course").filter(course__in=courses_visible_to(user)), pk)


def attempts_visible_to(user: User) -> QuerySet[ExamAttempt]:
    return ExamAttempt.objects.filter(supervisee__in=supervisees_visible_to(user))


def get_attempt_for_user(user: User, pk: object) -> ExamAttempt:
    return get_or_404(attempts_visible_to(user).select_related("exam", "exam__course", "supervisee"), pk)


def get_own_session(user: User, pk: object) -> StudySession:
    """A heartbeat names a session: only its own supervisee may beat on it."""
    person = own_supervisee(user)
    if person is None:
        raise Http404
    return get_or_404(StudySession.objects.select_related("lesson", "attempt").filter(supervisee=person), pk)


def face_checks_visible_to(user: User) -> QuerySet[StudyFaceCheck]:
    if is_supervisee(user):
        return StudyFaceCheck.objects.none()
    return StudyFaceCheck.objects.filter(supervisee__in=supervisees_visible_to(user)).select_related(
        "supervisee", "session__lesson", "session__attempt__exam", "face_check"
    )


def get_face_check_for_user(user: User, pk: object) -> StudyFaceCheck:
    return get_or_404(face_checks_visible_to(user), pk)


def assignments_of(person: Supervisee) -> QuerySet[CourseAssignment]:
    return CourseAssignment.objects.filter(supervisee=person).select_related("course")


def _shared_down(user: User) -> Q | None:
    """Owned by the user's organisation, above it or below it (the pool and sessions are shared down the tree)."""
    if is_supervisee(user) or not can(user, Capability.VIEW_SUPERVISEES) or user.organisation is None:
        return None
    org = user.organisation
    return Q(organisation_id__in=_ancestor_ids(org)) | Q(organisation__path__startswith=org.path)


def lecturers_visible_to(user: User) -> QuerySet[Lecturer]:
    if user.is_superuser:
        return Lecturer.objects.all()
    scope = _shared_down(user)
    return Lecturer.objects.filter(scope) if scope is not None else Lecturer.objects.none()


def group_sessions_visible_to(user: User) -> QuerySet[GroupSession]:
    if user.is_superuser:
        return GroupSession.objects.all()
    scope = _shared_down(user)
    return GroupSession.objects.filter(scope) if scope is not None else GroupSession.objects.none()


def get_group_session_for_user(user: User, pk: object) -> GroupSession:
    return get_or_404(group_sessions_visible_to(user).select_related("lecturer", "organisation"), pk)
