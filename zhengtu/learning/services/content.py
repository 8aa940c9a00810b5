"""Courses and lessons: created by staff of the owning organisation, files checked before they are kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation

from ..formats import check_lesson_file
from ..models import Course, Lesson, LessonKind
from ..rules import upload_max_bytes

COURSE_FIELDS = (
    "title",
    "topic",
    "stage",
    "description",
    "sentence_types",
    "crimes",
    "supervision_levels",
    "needs",
    "topic_month",
)


def _manager(actor: Actor) -> User:
    user = actor.user
    if user is None or not can(user, Capability.MANAGE_LEARNING):
        raise PermissionDenied
    return user


def _check_owner(user: User, organisation: Organisation) -> None:
    if user.is_superuser:
        return
    if user.organisation is None or not organisation.is_within(user.organisation):
        raise ValidationError(
            {"organisation": _("You can only publish courses for your own organisation or below it.")}
        )


@transaction.atomic
def create_course(*, actor: Actor, organisation: Organisation, **fields: Any) -> Course:
    user = _manager(actor)
    _check_owner(user, organisation)
    data = {key: fields[key] for key in COURSE_FIELDS if key in fields}
    if data.get("topic_month"):
        data["topic_month"] = data["topic_month"].replace(day=1)
    course = Course(organisation=organisation, created_by=user, **data)
    course.full_clean()
    course.save()
    record_event(actor, action=Action.CREATE, target=course, detail={"organisation": organisation.pk})
    return course


@transaction.atomic
def update_course(*, actor: Actor, course: Course, **fields: Any) -> Course:
    user = _manager(actor)
    _check_owner(user, course.organisation)
    for key in COURSE_FIELDS:
        if key in fields:
            setattr(course, key, fields[key])
    if course.topic_month:
        course.topic_month = course.topic_month.replace(day=1)
    course.full_clean()
    course.save()
    record_event(actor, action=Action.UPDATE, target=course)
    return course


@transaction.atomic
def set_published(*, actor: Actor, course: Course, published: bool) -> Course:
    user = _manager(actor)
    _check_owner(user, course.organisation)
    if published and not course.lessons.exists():
        raise ValidationError(_("A course without lessons cannot be published."))
    course.is_published = published
    course.save(update_fields=["is_published", "updated_at"])
    record_event(actor, action=Action.STATUS, target=course, detail={"published": published})
    return course


def _check_upload(upload: UploadedFile | None, kind: str) -> tuple[str, int]:
    if kind == LessonKind.TEXT:
        return "", 0
    if upload is None:
        raise ValidationError({"file": _("A %(kind)s lesson needs a file.") % {"kind": LessonKind(kind).label}})
    limit = upload_max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than the %(megabytes)s MB allowed.") % {"megabytes": limit // (1024 * 1024)}}
        )
    try:
        found = check_lesson_file(upload, kind=kind)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return found.content_type, upload.size


@transaction.atomic
def add_lesson(
    *,
    actor: Actor,
    course: Course,
    title: str,
    kind: str,
    length_seconds: int,
    body: str = "",
    upload: UploadedFile | None = None,
    position: int | None = None,
) -> Lesson:
    user = _manager(actor)
    _check_owner(user, course.organisation)
    if kind == LessonKind.TEXT and not body.strip():
        raise ValidationError({"body": _("A text lesson needs its text.")})
    content_type, size = _check_upload(upload, kind)
    if position is None:
        position = course.lessons.count() + 1
    lesson = Lesson(
        course=course,
        title=title.strip(),
        kind=kind,
        body=body.strip(),
        length_seconds=length_seconds,
        position=position,
        content_type=content_type,
        size=size,
        uploaded_by=user,
        original_name=(upload.name or "")[:200] if upload else "",
    )
    lesson.full_clean(exclude=["file"])
    if upload is not None and kind != LessonKind.TEXT:
        upload.seek(0)
        lesson.file.save(f"lesson{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}", upload, save=False)
    lesson.save()
    record_event(
        actor,
        action=Action.CREATE,
        target=lesson,
        detail={"course": course.pk, "kind": kind, "size": size, "content_type": content_type},
    )
    return lesson


@transaction.atomic
def delete_lesson(*, actor: Actor, lesson: Lesson) -> None:
    user = _manager(actor)
    _check_owner(user, lesson.course.organisation)
    if lesson.progress.exists():
        raise ValidationError(_("People have studied this lesson; it is kept for their record."))
    record_event(actor, action=Action.DELETE, target=lesson)
    stored = lesson.file.name
    lesson.delete()
    if stored:
        transaction.on_commit(lambda: lesson.file.storage.delete(stored))


@transaction.atomic
def update_lesson(
    *,
    actor: Actor,
    lesson: Lesson,
    title: str,
    length_seconds: int,
    body: str = "",
    upload: UploadedFile | None = None,
) -> Lesson:
    """Title, length, (text lessons) text and (other lessons) a new file of the same kind; the kind stays.

    A new file is checked as on adding (format of the lesson's kind, size): a bad one is refused and nothing changes.
    The old file leaves storage only once the new one is saved and the change committed."""
    user = _manager(actor)
    _check_owner(user, lesson.course.organisation)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if lesson.kind == LessonKind.TEXT and not body.strip():
        raise ValidationError({"body": _("A text lesson needs its text.")})
    changed = {"title": title.strip(), "length_seconds": length_seconds}
    if lesson.kind == LessonKind.TEXT:
        changed["body"] = body.strip()
    fields = sorted(name for name, value in changed.items() if getattr(lesson, name) != value)
    for name, value in changed.items():
        setattr(lesson, name, value)
    lesson.full_clean(exclude=["file"])
    detail: dict[str, Any] = {"fields": fields}
    replace = upload is not None and lesson.kind != LessonKind.TEXT
    old_name = lesson.file.name
    if replace:
        assert upload is not None
        content_type, size = _check_upload(upload, lesson.kind)
        upload.seek(0)
        lesson.file.save(f"lesson{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}", upload, save=False)
        lesson.content_type, lesson.size, lesson.uploaded_by = content_type, size, user
        lesson.original_name = (upload.name or "")[:200]
        fields.append("file")
        detail.update({"size": size, "content_type": content_type, "replaced": old_name or ""})
    try:
        lesson.save()
    except Exception:
        if replace:
            lesson.file.storage.delete(lesson.file.name)  # the new file: nothing half-written stays
        raise
    if replace and old_name and old_name != lesson.file.name:
        storage = lesson.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    record_event(actor, action=Action.UPDATE, target=lesson, detail=detail)
    return lesson


UP, DOWN = "up", "down"


def move_in_order(items: Iterable[Any], item: Any, direction: str) -> list[Any]:
    """The items renumbered 1..n in their current order with `item` swapped with its neighbour; saved positions.

    Renumbering first mends gaps and ties (lessons added with the same position, or deleted ones)."""
    ordered = list(items)
    index = next(i for i, found in enumerate(ordered) if found.pk == item.pk)
    other = index - 1 if direction == UP else index + 1
    if direction not in (UP, DOWN):
        raise ValidationError(_("Unknown direction."))
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, found in enumerate(ordered, start=1):
        if found.position != position:
            found.position = position
            found.save(update_fields=["position"])
    return ordered


@transaction.atomic
def move_lesson(*, actor: Actor, lesson: Lesson, direction: str) -> None:
    user = _manager(actor)
    _check_owner(user, lesson.course.organisation)
    lessons = Lesson.objects.select_for_update().filter(course_id=lesson.course_id).order_by("position", "pk")
    move_in_order(lessons, lesson, direction)
    record_event(actor, action=Action.UPDATE, target=lesson, detail={"moved": direction})
