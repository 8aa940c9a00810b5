"""Commendations and sanctions (law art. 28): facts, evidence, approval, effect on the level."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee

from .approvals import ApprovalRequest


class SanctionKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation")  # 表扬
    ADMONITION = "admonition", _("Admonition")  # 训诫
    WARNING = "warning", _("Warning")  # 警告
    POLICE_PENALTY = "police_penalty", _("Request for a police penalty")  # 提请治安管理处罚
    REVOCATION = "revocation", _("Request for revocation of probation or parole")  # 提请撤销缓刑、假释
    RETURN_TO_PRISON = "return_to_prison", _("Request for return to prison")  # 提请收监执行


class Sanction(models.Model):
    approval = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="sanction")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(_("kind"), max_length=20, choices=SanctionKind.choices)
    facts = models.TextField(_("facts"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    occurred_on = models.DateField(_("date of the facts"))

    class Meta:
        verbose_name = _("commendation or sanction")
        verbose_name_plural = _("commendations and sanctions")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"
