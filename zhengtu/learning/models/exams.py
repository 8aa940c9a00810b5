"""Question banks, exams and attempts: objective questions marked automatically."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee

from .content import Course


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Question(models.Model):
    """One question of a course's bank. `answer` holds the indexes of the right choices (true/false: [0] = true)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions", verbose_name=_("course"))
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list, blank=True)
    answer = models.JSONField(_("right answer"), default=list)
    explanation = models.TextField(_("explanation"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    # The order in the bank as staff arrange it (an exam still draws at random from the whole bank).
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def choice_labels(self) -> list[str]:
        if self.kind == QuestionKind.TRUE_FALSE:
            return [str(_("True")), str(_("False"))]
        return [str(choice) for choice in self.choices]


class Exam(models.Model):
    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="exam", verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=200)
    question_count = models.PositiveSmallIntegerField(_("questions per attempt"), validators=[MinValueValidator(1)])
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title


class ExamAttempt(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.PROTECT, related_name="exam_attempts")
    # The questions drawn for this attempt, in the order shown.
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["supervisee", "exam"])]

    def __str__(self) -> str:
        return f"{self.exam} · {self.supervisee}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None
