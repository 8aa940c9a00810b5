"""Courses and their lessons: what a person studies, and who it is meant for."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.core.models import UploadedFile
from zhengtu.orgs.models import Organisation


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake education")  # 入矫教育
    ROUTINE = "routine", _("Routine education")  # 常规教育
    PRE_RELEASE = "pre_release", _("Pre-release education")  # 解矫前教育
    SPECIAL = "special", _("Special topic")  # 专题


class Course(models.Model):
    """A course of lessons. Owned by an organisation and seen by everyone below it (a bureau shares with its offices).

    The target lists are "any" when empty: a course for probationers convicted of dangerous driving
    lists only those two; a course for everyone lists nothing.
    """

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(pgettext_lazy("course", "topic"), max_length=100)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.ROUTINE)
    description = models.TextField(pgettext_lazy("course", "description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("owned by")
    )
    sentence_types = models.JSONField(_("sentence types"), default=list, blank=True)
    # Words matched against the supervisee's crime ("驾驶" matches 危险驾驶罪).
    crimes = models.JSONField(_("crimes"), default=list, blank=True)
    supervision_levels = models.JSONField(_("supervision levels"), default=list, blank=True)
    # Need domains of the assessment module's scoring (ScoreResult.needs[].domain).
    needs = models.JSONField(_("needs found by assessment"), default=list, blank=True)
    # The month's topic (每月一题): assigned to everyone in the owner's subtree during that month.
    topic_month = models.DateField(_("topic of the month"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["stage", "title", "pk"]
        indexes = [models.Index(fields=["is_published", "stage"]), models.Index(fields=["topic_month"])]

    def __str__(self) -> str:
        return self.title

    @property
    def length_seconds(self) -> int:
        return sum(lesson.length_seconds for lesson in self.lessons.all())


class LessonKind(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    PDF = "pdf", "PDF"
    TEXT = "text", pgettext_lazy("lesson kind", "Text")


MEDIA_KINDS = frozenset({LessonKind.VIDEO, LessonKind.AUDIO})


class Lesson(UploadedFile):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="learning/lessons/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=60, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    # The real length (of the recording, or the time a reading needs): completion is a share of it.
    length_seconds = models.PositiveIntegerField(_("length (seconds)"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_media(self) -> bool:
        return self.kind in MEDIA_KINDS

    @property
    def minutes(self) -> float:
        return round(self.length_seconds / 60, 1)
