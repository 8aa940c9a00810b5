"""Who must study what, and the honest record of studying: sessions, progress, face checks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee

from .content import Course, Lesson
from .exams import ExamAttempt


class AssignmentReason(models.TextChoices):
    RULE = "rule", _("Needed by the person's group")
    TOPIC = "topic", _("Topic of the month")
    OFFICER = "officer", _("Assigned by the officer")


class CourseAssignment(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="course_assignments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("course"))
    reason = models.CharField(_("why"), max_length=10, choices=AssignmentReason.choices)
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        ordering = ["completed_at", "due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["supervisee", "course"], name="one_assignment_per_course")]
        indexes = [models.Index(fields=["due_on", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.supervisee} · {self.course}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.completed_at is None and self.due_on < today


class LessonProgress(models.Model):
    """What the server credited to one person on one lesson, over all their sessions."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    counted_seconds = models.FloatField(default=0)
    # Merged [start, end] second ranges of the recording watched at normal speed (media lessons).
    watched = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress records")
        constraints = [models.UniqueConstraint(fields=["supervisee", "lesson"], name="one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.supervisee} · {self.lesson}"

    @property
    def counted_minutes(self) -> float:
        return round(self.counted_seconds / 60, 1)


class SessionState(models.TextChoices):
    COUNTING = "counting", _("Counting")
    FACE_CHECK_DUE = "face_check_due", _("Waiting for a face check")
    PAUSED = "paused", _("Paused after a failed face check")


class StudySession(models.Model):
    """One opening of a lesson or exam page. Heartbeats name it; the server keeps its own clock on it."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="study_sessions")
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")
    attempt = models.ForeignKey(ExamAttempt, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")
    started_at = models.DateTimeField()
    # Local date of the start: monthly hours are one index range over it.
    studied_on = models.DateField()
    last_beat_at = models.DateTimeField()
    last_position = models.FloatField(default=0)
    counted_seconds = models.FloatField(default=0)
    refused_beats = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=SessionState.choices, default=SessionState.COUNTING)
    next_face_check_at = models.DateTimeField(null=True, blank=True)
    face_check_requested_at = models.DateTimeField(null=True, blank=True)
    # Credit not yet folded into the lesson's LessonProgress (services/study.py: every few heartbeats, at
    # completion, when the lesson is opened again or a page reads the progress): kept here, so nothing is lost.
    pending_seconds = models.FloatField(default=0)
    pending_watched = models.JSONField(default=list, blank=True)
    pending_beats = models.PositiveIntegerField(default=0)
    # The lesson's progress (all sessions) as of the last fold: what a heartbeat answers without reading it.
    lesson_base_seconds = models.FloatField(default=0)
    lesson_base_covered = models.FloatField(default=0)
    lesson_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        indexes = [models.Index(fields=["supervisee", "studied_on"]), models.Index(fields=["studied_on"])]

    def __str__(self) -> str:
        return f"{self.supervisee} · {self.started_at:%Y-%m-%d %H:%M}"


class FaceCheckOutcome(models.TextChoices):
    PASSED = "passed", _("Same person")
    FAILED = "failed", _("Not the same person")
    NO_FACE = "no_face", _("No face in the photo")
    REFUSED = "refused", _("Camera refused or no answer")


class StudyFaceCheck(models.Model):
    """A random face check during a lesson or an exam: the photo, the outcome, and whether an officer looked at it."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="face_checks")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="study_face_checks")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=FaceCheckOutcome.choices)
    # The shared matcher's record (zhengtu.faces): the photo (private storage), the similarity, the engine.
    # None when the camera was refused or the check was not answered.
    face_check = models.ForeignKey(
        "faces.FaceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("study face check")
        verbose_name_plural = _("study face checks")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["supervisee", "requested_at"]), models.Index(fields=["outcome", "reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.supervisee} · {self.requested_at:%Y-%m-%d %H:%M} · {self.outcome}"

    @property
    def is_flagged(self) -> bool:
        return self.outcome != FaceCheckOutcome.PASSED
