"""Supervision inspections (督导巡查) of purchased-service projects by panels of the association's experts.

A round inspects a set of projects with one rubric. Each project inspection is assigned to a panel drawn from
the expert pool; every panel member fills in their own scoresheet, and the panel score combines them. Site
visits, document checks and interviews are recorded with evidence; findings lead to rectification items that
the agency closes with evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from zhengtu.core.models import UploadedFile
from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject

# --- Expert pool -----------------------------------------------------------------------------------------


class Specialty(models.TextChoices):
    SOCIAL_WORK = "social_work", pgettext_lazy("inspections", "Social work")
    CORRECTIONS = "corrections", pgettext_lazy("inspections", "Community corrections practice")
    LAW = "law", pgettext_lazy("inspections", "Law")
    PSYCHOLOGY = "psychology", pgettext_lazy("inspections", "Psychology")
    FINANCE = "finance", pgettext_lazy("inspections", "Finance and audit")
    PROJECT_MANAGEMENT = "project_management", pgettext_lazy("inspections", "Project management")


class Expert(models.Model):
    """A member of the association's expert pool (专家库): with a Zhengtu account (role inspector) or external."""

    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=pgettext_lazy("inspections", "association"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profiles",
        verbose_name=pgettext_lazy("inspections", "account"),
    )
    name = models.CharField(pgettext_lazy("inspections", "name"), max_length=50)
    specialty = models.CharField(pgettext_lazy("inspections", "specialty"), max_length=30, choices=Specialty.choices)
    # The organisation the expert works for, when it is in Zhengtu's tree: never inspects its projects.
    employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employed_experts",
        verbose_name=pgettext_lazy("inspections", "employer in Zhengtu"),
    )
    employer_name = models.CharField(pgettext_lazy("inspections", "employer"), max_length=100, blank=True)
    title = models.CharField(pgettext_lazy("inspections", "professional title"), max_length=50, blank=True)
    phone = models.CharField(pgettext_lazy("inspections", "work phone"), max_length=30, blank=True)
    term_start = models.DateField(pgettext_lazy("inspections", "term starts"))
    term_end = models.DateField(pgettext_lazy("inspections", "term ends"))
    is_available = models.BooleanField(pgettext_lazy("inspections", "available"), default=True)
    availability_note = models.CharField(pgettext_lazy("inspections", "availability note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "expert")
        verbose_name_plural = pgettext_lazy("inspections", "experts")
        ordering = ["association", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"], condition=Q(user__isnull=False), name="one_expert_per_user"
            ),
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")), name="expert_term_order"),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertConflict(models.Model):
    """An organisation the expert declared a conflict of interest with (former employer, family, ...)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("inspections", "organisation"),
    )
    reason = models.CharField(pgettext_lazy("inspections", "reason"), max_length=200, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "declared conflict")
        verbose_name_plural = pgettext_lazy("inspections", "declared conflicts")
        constraints = [models.UniqueConstraint(fields=["expert", "organisation"], name="one_conflict_per_org")]

    def __str__(self) -> str:
        return f"{self.expert} ↔ {self.organisation}"


class ExpertAbsence(models.Model):
    """A period the expert cannot take part (travel, illness): random draws skip them."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(pgettext_lazy("inspections", "from"))
    ends_on = models.DateField(pgettext_lazy("inspections", "until"))
    reason = models.CharField(pgettext_lazy("inspections", "reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "absence")
        verbose_name_plural = pgettext_lazy("inspections", "absences")
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.expert} {self.starts_on}–{self.ends_on}"


# --- Rubrics ---------------------------------------------------------------------------------------------


class RubricTemplate(models.Model):
    association = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rubric_templates")
    name = models.CharField(pgettext_lazy("inspections", "name"), max_length=100)
    description = models.TextField(pgettext_lazy("inspections", "description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "rubric template")
        verbose_name_plural = pgettext_lazy("inspections", "rubric templates")
        ordering = ["association", "-created_at"]

    def __str__(self) -> str:
        return self.name


class RubricSection(models.Model):
    template = models.ForeignKey(RubricTemplate, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(pgettext_lazy("inspections", "title"), max_length=100)
    order = models.PositiveSmallIntegerField(pgettext_lazy("inspections", "order"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "rubric section")
        verbose_name_plural = pgettext_lazy("inspections", "rubric sections")
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class RubricIndicator(models.Model):
    section = models.ForeignKey(RubricSection, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(pgettext_lazy("inspections", "indicator"), max_length=200)
    # The points this indicator is worth; an expert gives 0 up to this.
    weight = models.DecimalField(
        pgettext_lazy("inspections", "weight (points)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.5)],
    )
    scoring_guide = models.TextField(pgettext_lazy("inspections", "scoring guide"), blank=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("inspections", "order"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "indicator")
        verbose_name_plural = pgettext_lazy("inspections", "indicators")
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Rounds, panels, project inspections ----------------------------------------------------------------


class RoundStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspections", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("inspections", "In progress")
    COMPLETED = "completed", pgettext_lazy("inspections", "Completed")


class InspectionRound(models.Model):
    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="inspection_rounds",
        verbose_name=pgettext_lazy("inspections", "association"),
    )
    title = models.CharField(pgettext_lazy("inspections", "title"), max_length=200)
    rubric = models.ForeignKey(
        RubricTemplate,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=pgettext_lazy("inspections", "rubric"),
    )
    starts_on = models.DateField(pgettext_lazy("inspections", "starts on"))
    ends_on = models.DateField(pgettext_lazy("inspections", "ends on"))
    status = models.CharField(
        pgettext_lazy("inspections", "status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    # The narrative parts of the summary report (seed 001's structure).
    basis = models.TextField(
        pgettext_lazy("inspections", "basis"),
        blank=True,
        help_text=pgettext_lazy("inspections", "The notices and rules the round is based on."),
    )
    aims = models.TextField(pgettext_lazy("inspections", "aims"), blank=True)
    content = models.TextField(pgettext_lazy("inspections", "content and methods"), blank=True)
    overall_picture = models.TextField(pgettext_lazy("inspections", "overall picture"), blank=True)
    common_problems = models.TextField(pgettext_lazy("inspections", "common problems"), blank=True)
    recommendations = models.TextField(pgettext_lazy("inspections", "recommendations"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "inspection round")
        verbose_name_plural = pgettext_lazy("inspections", "inspection rounds")
        ordering = ["-starts_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="round_date_order")]

    def __str__(self) -> str:
        return self.title


class Panel(models.Model):
    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(pgettext_lazy("inspections", "name"), max_length=100)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "panel")
        verbose_name_plural = pgettext_lazy("inspections", "panels")
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="unique_panel_name_per_round")]

    def __str__(self) -> str:
        return self.name


class Selection(models.TextChoices):
    DRAWN = "drawn", pgettext_lazy("inspections", "Drawn at random")
    CHOSEN = "chosen", pgettext_lazy("inspections", "Chosen by hand")


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="panel_seats")
    is_leader = models.BooleanField(pgettext_lazy("inspections", "panel leader"), default=False)
    selection = models.CharField(pgettext_lazy("inspections", "selection"), max_length=10, choices=Selection.choices)
    reason = models.TextField(pgettext_lazy("inspections", "reason"), blank=True)
    draw = models.ForeignKey("PanelDraw", null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "panel member")
        verbose_name_plural = pgettext_lazy("inspections", "panel members")
        ordering = ["panel", "-is_leader", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="one_seat_per_expert_per_panel")]

    def __str__(self) -> str:
        return f"{self.panel} · {self.expert}"


class PanelDraw(models.Model):
    """The record of one random draw: enough to replay it (same seed, same candidates → same experts)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="draws")
    seed = models.BigIntegerField()
    size = models.PositiveSmallIntegerField()
    required_specialties = models.JSONField(default=list)
    candidate_ids = models.JSONField(default=list)  # [[expert id, specialty], ...] in id order
    covered_specialties = models.JSONField(default=list)  # specialties already on the panel before the draw
    needed = models.PositiveSmallIntegerField(default=0)
    excluded = models.JSONField(default=dict)  # expert id → reasons, for the record
    chosen_ids = models.JSONField(default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "panel draw")
        verbose_name_plural = pgettext_lazy("inspections", "panel draws")
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.panel} · {self.seed}"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspections", "Planned")
    SCORING = "scoring", pgettext_lazy("inspections", "Scoring")
    FINALISED = "finalised", pgettext_lazy("inspections", "Finalised")


class ProjectInspection(models.Model):
    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="inspections")
    project = models.ForeignKey(ServiceProject, on_delete=models.PROTECT, related_name="inspections")
    panel = models.ForeignKey(
        Panel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
        verbose_name=pgettext_lazy("inspections", "panel"),
    )
    visit_on = models.DateField(pgettext_lazy("inspections", "visit date"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("inspections", "status"),
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    summary = models.TextField(
        pgettext_lazy("inspections", "summary"),
        blank=True,
        help_text=pgettext_lazy("inspections", "The project's progress and effect, for the reports."),
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "project inspection")
        verbose_name_plural = pgettext_lazy("inspections", "project inspections")
        ordering = ["round", "project__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "project"], name="one_inspection_per_project")]

    def __str__(self) -> str:
        return f"{self.round} · {self.project}"


class ActivityKind(models.TextChoices):
    BRIEFING = "briefing", pgettext_lazy("inspections", "Project briefing")
    SITE_VISIT = "site_visit", pgettext_lazy("inspections", "Site visit")
    DOCUMENT_CHECK = "document_check", pgettext_lazy("inspections", "Document check")
    INTERVIEW = "interview", pgettext_lazy("inspections", "Interview")


class InspectionActivity(models.Model):
    inspection = models.ForeignKey(ProjectInspection, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(pgettext_lazy("inspections", "kind"), max_length=20, choices=ActivityKind.choices)
    occurred_on = models.DateField(pgettext_lazy("inspections", "date"))
    participants = models.CharField(pgettext_lazy("inspections", "participants"), max_length=200, blank=True)
    notes = models.TextField(pgettext_lazy("inspections", "notes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "inspection activity")
        verbose_name_plural = pgettext_lazy("inspections", "inspection activities")
        ordering = ["inspection", "occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


# --- Scores ----------------------------------------------------------------------------------------------


class Scoresheet(models.Model):
    """One expert's own scores for one project inspection; once submitted it no longer changes."""

    inspection = models.ForeignKey(ProjectInspection, on_delete=models.CASCADE, related_name="scoresheets")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="scoresheets")
    comment = models.TextField(pgettext_lazy("inspections", "comments"), blank=True)
    submitted_at = models.DateTimeField(pgettext_lazy("inspections", "submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "scoresheet")
        verbose_name_plural = pgettext_lazy("inspections", "scoresheets")
        constraints = [models.UniqueConstraint(fields=["inspection", "expert"], name="one_scoresheet_per_expert")]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.expert}"


class IndicatorScore(models.Model):
    scoresheet = models.ForeignKey(Scoresheet, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(RubricIndicator, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(pgettext_lazy("inspections", "points"), max_digits=5, decimal_places=1)
    note = models.CharField(pgettext_lazy("inspections", "note"), max_length=300, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "indicator score")
        verbose_name_plural = pgettext_lazy("inspections", "indicator scores")
        constraints = [models.UniqueConstraint(fields=["scoresheet", "indicator"], name="one_score_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.points}"


# --- Findings and rectification --------------------------------------------------------------------------


class FindingKind(models.TextChoices):
    STRENGTH = "strength", pgettext_lazy("inspections", "Strength")
    PROBLEM = "problem", pgettext_lazy("inspections", "Problem")


class Finding(models.Model):
    inspection = models.ForeignKey(ProjectInspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(pgettext_lazy("inspections", "kind"), max_length=10, choices=FindingKind.choices)
    section = models.ForeignKey(
        RubricSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("inspections", "area"),
    )
    text = models.TextField(pgettext_lazy("inspections", "finding"))
    recommendation = models.TextField(pgettext_lazy("inspections", "recommendation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "finding")
        verbose_name_plural = pgettext_lazy("inspections", "findings")
        ordering = ["inspection", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inspections", "Open")
    CLOSED = "closed", pgettext_lazy("inspections", "Closed")


class RectificationItem(models.Model):
    inspection = models.ForeignKey(ProjectInspection, on_delete=models.CASCADE, related_name="rectifications")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="rectifications"
    )
    description = models.TextField(pgettext_lazy("inspections", "what must be put right"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_items",
        verbose_name=pgettext_lazy("inspections", "owner"),
    )
    due_on = models.DateField(pgettext_lazy("inspections", "due on"))
    status = models.CharField(
        pgettext_lazy("inspections", "status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closing_note = models.TextField(pgettext_lazy("inspections", "how it was put right"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(pgettext_lazy("inspections", "closed at"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "rectification item")
        verbose_name_plural = pgettext_lazy("inspections", "rectification items")
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class EvidenceFile(UploadedFile):
    """A file behind an activity (photos, sign-in sheets, checked documents) or a rectification (proof)."""

    inspection = models.ForeignKey(ProjectInspection, on_delete=models.CASCADE, related_name="evidence")
    activity = models.ForeignKey(
        InspectionActivity, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    rectification = models.ForeignKey(
        RectificationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(pgettext_lazy("inspections", "file"), upload_to="inspections/evidence/%Y/%m/")
    description = models.CharField(pgettext_lazy("inspections", "description"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("inspections", "evidence file")
        verbose_name_plural = pgettext_lazy("inspections", "evidence files")
        ordering = ["inspection", "pk"]
