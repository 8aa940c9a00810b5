"""What is due per supervisee, computed daily by a background job (and refreshed after each record)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee


class DueKind(models.TextChoices):
    ARRIVAL = "arrival", _("Has not reported for intake")
    CHECK_IN = "checkin", _("Check-in due")
    WRITTEN_REPORT = "written_report", _("Written report due")
    VISIT = "visit", _("Visit due")
    TERM_ENDING = "term_ending", _("Term ends soon: prepare the release")
    MONITORING_ENDING = "monitoring_ending", _("Electronic monitoring period ends soon")


class DueItem(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="due_items")
    kind = models.CharField(max_length=20, choices=DueKind.choices)
    due_on = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("due item")
        verbose_name_plural = _("due items")
        constraints = [models.UniqueConstraint(fields=["supervisee", "kind"], name="one_due_item_per_kind")]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"
