"""The monthly or quarterly appraisal (考核) of one person, and the reviews of the correction plan (个别化矫正).

An appraisal's grade follows SF/T 0015 9.24 (矫正期间表现, five grades); a run of good or poor
appraisals suggests a new supervision level (分类管理), which the officer applies as a periodic review,
and a plan review records what the team found and how the plan changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee, SupervisionLevel


class AppraisalPeriod(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Good")  # 01 好
    GOOD = "good", _("Fairly good")  # 02 较好
    FAIR = "fair", _("Average")  # 03 一般
    POOR = "poor", _("Fairly poor")  # 04 较差
    BAD = "bad", _("Poor")  # 05 差


class Appraisal(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="appraisals")
    period = models.CharField(_("period"), max_length=10, choices=AppraisalPeriod.choices)
    period_start = models.DateField(_("first day of the period"))
    score = models.PositiveSmallIntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=10, choices=AppraisalGrade.choices)
    notes = models.TextField(_("notes"), blank=True)
    suggested_level = models.CharField(
        _("suggested supervision level"), max_length=20, choices=SupervisionLevel.choices, blank=True
    )
    level_applied = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["supervisee", "period", "period_start"], name="one_appraisal_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_period_display()} {self.period_start:%Y-%m} {self.get_grade_display()}"


class PlanReview(models.Model):
    """A review of the individual correction plan by the correction team."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="plan_reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    findings = models.TextField(_("what the team found"))
    plan_changes = models.TextField(_("changes to the plan"), blank=True)
    appraisal = models.ForeignKey(Appraisal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("correction plan review")
        verbose_name_plural = _("correction plan reviews")
        ordering = ["-reviewed_on", "-id"]
