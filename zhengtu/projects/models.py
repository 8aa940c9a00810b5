"""Purchased-service projects (政府购买服务项目) of social-work agencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.orgs.models import Organisation


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


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
