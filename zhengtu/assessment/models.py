"""Instruments (versioned data), assessments taken with them, overrides, critical alerts, reports."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee

from .definition import InstrumentDefinition
from .scoring import ScoreResult


class InstrumentKind(models.TextChoices):
    RISK_NEEDS = "risk_needs", _("Risk and needs assessment")
    PSYCHOLOGICAL = "psychological", _("Psychological screening")
    OTHER = "other", _("Other questionnaire")


class Instrument(models.Model):
    """A questionnaire with its scoring, identified by its code; the versions hold the content."""

    code = models.CharField(_("code"), max_length=50)
    title = models.CharField(pgettext_lazy("instrument", "title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices, default=InstrumentKind.OTHER)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Empty for instruments shipped with Zhengtu, available everywhere."),
    )
    current_version = models.ForeignKey(
        "InstrumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_instrument_code_per_owner"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(organisation__isnull=True), name="unique_shipped_instrument_code"
            ),
        ]

    def __str__(self) -> str:
        return self.title


_definitions: dict[tuple[int, str], InstrumentDefinition] = {}
_definitions_lock = threading.Lock()


class InstrumentVersion(models.Model):
    """One imported workbook. Assessments point here, so their scoring never changes underneath them."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("version"), max_length=30)
    title = models.CharField(pgettext_lazy("instrument", "title"), max_length=200)
    definition = models.JSONField(editable=False)
    workbook = models.BinaryField(editable=False)
    workbook_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    is_example = models.BooleanField(_("example to calibrate locally"), default=False)
    has_placeholder_texts = models.BooleanField(_("placeholder item texts"), default=False)
    is_sensitive = models.BooleanField(_("sensitive results"), default=False)
    show_to_supervisee = models.BooleanField(_("results shown to the supervisee"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "-imported_at"]
        constraints = [models.UniqueConstraint(fields=["instrument", "version"], name="unique_instrument_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def parsed(self) -> InstrumentDefinition:
        """The definition as objects; cached per version (the JSON never changes once imported)."""
        key = (self.pk or 0, self.sha256)
        found = _definitions.get(key)
        if found is None:
            found = InstrumentDefinition.from_json(self.definition)
            with _definitions_lock:
                if len(_definitions) > 256:
                    _definitions.clear()
                _definitions[key] = found
        return found


class AssessmentMode(models.TextChoices):
    INTERVIEW = "interview", _("Interview by a social worker")
    SELF_REPORT = "self_report", _("Filled in by the supervisee")
    PAPER = "paper", _("Paper questionnaire typed in")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Scored")
    CANCELLED = "cancelled", pgettext_lazy("void", "Cancelled")


class Assessment(models.Model):
    supervisee = models.ForeignKey(
        Supervisee, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("supervisee")
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("instrument")
    )
    office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible office"),
        help_text=_("The supervisee's office when the questionnaire was received."),
    )
    mode = models.CharField(_("how it was filled in"), max_length=20, choices=AssessmentMode.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT, db_index=True
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessor"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    received_on = models.DateField(_("questionnaire received on"))
    due_on = models.DateField(_("report due on"), null=True, blank=True)
    due_is_approximate = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(default=dict, blank=True, editable=False)
    total_score = models.FloatField(_("total score"), null=True, blank=True)
    computed_level = models.CharField(_("computed level"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=30, blank=True)
    level_label = models.CharField(_("level"), max_length=100, blank=True)
    recommended_supervision_level = models.CharField(max_length=20, blank=True)
    has_critical_items = models.BooleanField(_("critical answers"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["received_on"]),
            models.Index(fields=["supervisee", "submitted_at"]),
            models.Index(fields=["assessor", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.supervisee} · {self.instrument_version.title} · {self.received_on}"

    @property
    def definition(self) -> InstrumentDefinition:
        return self.instrument_version.parsed

    @property
    def score_result(self) -> ScoreResult | None:
        return ScoreResult.from_json(self.result["score"]) if self.result.get("score") else None

    @property
    def is_sensitive(self) -> bool:
        return self.instrument_version.is_sensitive

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_scored(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED

    @property
    def level_was_overridden(self) -> bool:
        return bool(self.level) and self.level != self.computed_level

    def answer_rows(self) -> list[dict[str, Any]]:
        """Questions with the given answer as text, for detail pages and reports."""
        definition = self.definition
        scores = (self.result.get("score") or {}).get("item_scores", {})
        rows = []
        for item in definition.questions:
            value = str(self.answers.get(item.name, "") or "")
            rows.append(
                {
                    "name": item.name,
                    "label": item.label,
                    "answer": definition.choice_label(item, value) if item.list_name and value else value,
                    "score": scores.get(item.name),
                }
            )
        return rows


class OverrideStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class LevelOverride(models.Model):
    """A professional override of the computed level: needs a reason and a second person's approval."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="overrides")
    from_level = models.CharField(max_length=30)
    from_label = models.CharField(max_length=100)
    to_level = models.CharField(_("new level"), max_length=30)
    to_label = models.CharField(max_length=100)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=OverrideStatus.choices, default=OverrideStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(pgettext_lazy("decision", "note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("level override")
        verbose_name_plural = _("level overrides")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"], condition=models.Q(status="pending"), name="one_pending_override_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label}"


class CriticalAlert(models.Model):
    """A critical answer (e.g. PHQ-9 item 9 above 0) that people responsible must act on at once."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="critical_alerts")
    item = models.CharField(max_length=100)
    item_label = models.CharField(max_length=300)
    answer_label = models.CharField(max_length=200)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_note = models.CharField(_("action taken"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("critical answer alert")
        verbose_name_plural = _("critical answer alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["acknowledged_at"])]

    def __str__(self) -> str:
        return self.item_label


class AssessmentReport(models.Model):
    """The issued written report (Word and PDF), numbered per bureau and year."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="report")
    number = models.CharField(_("document number"), max_length=50)
    issued_at = models.DateTimeField(_("issued at"))
    issued_on = models.DateField(_("issued on"), db_index=True)  # Asia/Shanghai date, compared with due_on
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    docx = models.FileField(upload_to="assessment/reports/%Y/", blank=True)
    pdf = models.FileField(upload_to="assessment/reports/%Y/", blank=True)

    class Meta:
        verbose_name = _("assessment report")
        verbose_name_plural = _("assessment reports")

    def __str__(self) -> str:
        return self.number

    @property
    def on_time(self) -> bool:
        due = self.assessment.due_on
        return due is None or self.issued_on <= due


class PaperImport(models.Model):
    """One upload of typed-in paper questionnaires, with the rows refused and why."""

    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{"row": 5, "reason": "..."}]

    class Meta:
        verbose_name = _("paper questionnaire import")
        verbose_name_plural = _("paper questionnaire imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
