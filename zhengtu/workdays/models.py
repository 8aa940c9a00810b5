"""The State Council holiday calendar, kept as data administrators can extend.

A CalendarDay row exists for every date of a year whose arrangement is known. A year without
rows is "unknown": deadlines then fall back to Monday–Friday and say so.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    # Holiday name (e.g. "National Day") or "make-up working day"; blank for ordinary days.
    note = models.CharField(_("note"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_working_day else 'rest'}"
