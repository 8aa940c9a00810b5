"""Purchased-service projects (政府购买服务项目) of social-work agencies.

A project is a contract between a buying bureau and an agency: its staff (with their
credentials), the funds received, budget lines with spending and approved adjustments, KPI
targets per indicator and period, and the reports written from the ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project status", "Planned")
    ACTIVE = "active", pgettext_lazy("project status", "Active")
    CLOSED = "closed", pgettext_lazy("project status", "Closed")


class ServiceProject(models.Model):
    name = models.CharField(_("name"), max_length=200)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    buying_bureau = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bought_projects", verbose_name=_("buying bureau")
    )
    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_projects", verbose_name=_("agency")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    contract_amount = models.DecimalField(_("contract amount (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Added by the projects app (migration 0002): the fiscal budget the contract was tendered
    # against (财政预算; the contract amount is the winning bid, 中标价) and the award date.
    budget_amount = models.DecimalField(
        _("fiscal budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    awarded_on = models.DateField(_("contract awarded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchased-service project")
        verbose_name_plural = _("purchased-service projects")
        ordering = ["-period_start", "name"]

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    MANAGER = "manager", _("Project manager")
    SUPERVISOR = "supervisor", _("Supervisor")  # 督导
    SOCIAL_WORKER = "social_worker", _("Social worker")


class ProjectStaff(models.Model):
    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("project staff member")
        verbose_name_plural = _("project staff")
        constraints = [models.UniqueConstraint(fields=["project", "user", "role"], name="unique_project_staff_role")]

    def __str__(self) -> str:
        return f"{self.project} · {self.user} ({self.get_role_display()})"


class CredentialKind(models.TextChoices):
    ASSISTANT_SOCIAL_WORKER = "assistant_social_worker", _("Assistant social worker")  # 助理社会工作师
    SOCIAL_WORKER = "social_worker", _("Certified social worker")  # 社会工作师
    SENIOR_SOCIAL_WORKER = "senior_social_worker", _("Senior social worker")  # 高级社会工作师
    PSYCHOLOGICAL_COUNSELLOR = "psychological_counsellor", _("Psychological counsellor")  # 心理咨询师
    SUPERVISOR = "supervisor", _("Filed supervisor")  # 督导
    OTHER = "other", _("Other")


class StaffCredential(models.Model):
    """A professional credential held by a person working on projects (shown with the project staff)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_credentials")
    kind = models.CharField(_("credential"), max_length=30, choices=CredentialKind.choices)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff credential")
        verbose_name_plural = _("staff credentials")
        ordering = ["user_id", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class FundReceipt(models.Model):
    """Money the buying bureau paid to the agency under the contract (资金到位)."""

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="fund_receipts")
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("funds received")
        verbose_name_plural = _("funds received")
        ordering = ["received_on", "pk"]


class BudgetCategory(models.TextChoices):
    """The budget lines of a county project (seed 003)."""

    PERSONNEL = "personnel", _("Personnel")  # 人员开支
    PSYCHOLOGICAL_TESTING = "psychological_testing", _("Psychological testing")  # 心理测量评估费
    COUNSELLING = "counselling", _("Group and individual counselling")  # 团辅个案
    EDUCATION = "education", _("Education sessions")  # 集中教育学习费
    COMMUNITY_SERVICE = "community_service", _("Community service")  # 社区服务费用
    VISITS = "visits", _("Visits")  # 走访调查费用
    LOCATION_SERVICE = "location_service", _("Location service")  # 定位服务费
    TRAVEL_AND_TAX = "travel_and_tax", _("Travel, administration and tax")  # 差旅管理及相关税费
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(
        _("budgeted amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_budget_line_name")]

    def __str__(self) -> str:
        return self.name


class SpendingEntry(models.Model):
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spending")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    description = models.CharField(_("description"), max_length=200)
    voucher_number = models.CharField(_("voucher number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("spending entry")
        verbose_name_plural = _("spending entries")
        ordering = ["-spent_on", "-pk"]
        indexes = [models.Index(fields=["budget_line", "spent_on"])]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.description} {self.amount}"


class SpendingVoucher(models.Model):
    """A scanned receipt or invoice behind a spending entry (凭证)."""

    entry = models.ForeignKey(SpendingEntry, on_delete=models.CASCADE, related_name="vouchers")
    file = models.FileField(_("file"), upload_to="projects/vouchers/%Y/%m/")
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BudgetAdjustment(models.Model):
    """More money for one budget line, optionally moved from another; approved by a second person."""

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="budget_adjustments")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="adjustments_in", verbose_name=_("line to increase")
    )
    source_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adjustments_out",
        verbose_name=_("line to take the money from"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.budget_line} +{self.amount}"


class KpiTarget(models.Model):
    """How much of one indicator the project must deliver in one period (e.g. 156 education sessions in 2020)."""

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="kpi_targets")
    indicator = models.CharField(_("indicator"), max_length=50)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target_value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["project_id", "period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator", "period_start", "period_end"], name="unique_kpi_target_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.target_value}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    ANNUAL = "annual", _("Annual performance self-evaluation report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    FINAL = "final", _("Finalised")


class ProjectReport(models.Model):
    """A report being written: its narrative sections are edited on a page; figures come from the ledger."""

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=200)
    narrative = models.JSONField(_("narrative sections"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "period_start", "period_end"], name="unique_project_report_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportVersion(models.Model):
    """A finalised report, frozen: the rendered file and the figures it states. Never changed afterwards."""

    report = models.ForeignKey(ProjectReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    figures = models.JSONField(_("figures"))
    narrative = models.JSONField(_("narrative sections"))
    file = models.FileField(_("file"), upload_to="projects/reports/%Y/")
    sha256 = models.CharField(max_length=64)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    finalised_at = models.DateTimeField()

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version_number")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("A finalised report version is frozen.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
