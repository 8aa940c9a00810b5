"""Absconding (脱管): the search (找寻) opened when a person cannot be reached, its steps, and its end.

The 2020 Measures (art. 38, 46) require an immediate search, the police's help, and — for a person
out of contact for more than a month — the proposal to revoke probation or parole. The limits are
settings (``rules.absconding_rules``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee

from .sanctions import Sanction


class SearchTrigger(models.TextChoices):
    MISSED_CHECK_INS = "missed_check_ins", _("Missed check-ins")
    MISSED_SPOT_CHECK = "missed_spot_check", _("Did not answer a spot check")
    DEVICE_OFFLINE = "device_offline", _("Monitoring device offline")
    NOT_FOUND_AT_HOME = "not_found", _("Not found at home")
    OTHER = "other", _("Other")


class SearchStepKind(models.TextChoices):
    PHONE = "phone", _("Phoned the person")
    FAMILY = "family", _("Asked the family")
    HOME_VISIT = "home_visit", _("Went to the home")
    WORKPLACE = "workplace", _("Asked at the workplace")
    POLICE = "police", _("Asked the police station")
    OTHER = "other", _("Other")


class SearchOutcome(models.TextChoices):
    FOUND = "found", _("Found")
    LEGAL_STEP = "legal_step", _("Closed with the next legal step")


class SearchRecord(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="searches")
    trigger = models.CharField(_("why the search was opened"), max_length=20, choices=SearchTrigger.choices)
    lost_contact_at = models.DateTimeField(_("out of contact since"))
    notes = models.TextField(_("notes"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    police_station = models.CharField(_("police station notified"), max_length=100, blank=True)
    police_notified_at = models.DateTimeField(_("police notified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=SearchOutcome.choices, blank=True)
    outcome_notes = models.TextField(_("how it ended"), blank=True)
    next_step = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("legal step")
    )

    class Meta:
        verbose_name = _("search for an absconded person")
        verbose_name_plural = _("searches for absconded persons")
        ordering = ["-lost_contact_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee"], condition=models.Q(closed_at__isnull=True), name="one_open_search"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.lost_contact_at:%Y-%m-%d}"


class SearchStep(models.Model):
    record = models.ForeignKey(SearchRecord, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("what was done"), max_length=20, choices=SearchStepKind.choices)
    taken_at = models.DateTimeField(_("when"))
    notes = models.TextField(_("result"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("search step")
        verbose_name_plural = _("search steps")
        ordering = ["taken_at", "id"]
