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
    SENTENCE_REDUCTION = "sentence_reduction", _("Request for sentence reduction")  # 提请减刑
    ARREST = "arrest", _("Request for arrest")  # 提请逮捕 (law art. 47)
    # 提请撤销暂予监外执行 (收监执行 of a person on temporary execution outside prison, law art. 49)
    OUTSIDE_REVOCATION = "outside_revocation", _("Request to revoke temporary execution outside prison")


class ReceivingOrgan(models.TextChoices):
    """Who receives a request and decides it (the court, the procuratorate is told, the police penalises)."""

    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    POLICE = "police", _("Public security organ")
    PRISON_ADMINISTRATION = "prison", _("Prison administration")


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Sanction(models.Model):
    approval = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="sanction")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(_("kind"), max_length=20, choices=SanctionKind.choices)
    facts = models.TextField(_("facts"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    occurred_on = models.DateField(_("date of the facts"))
    # Requests to another organ (提请…): who receives it, and its decision once it comes back.
    receiving_organ_kind = models.CharField(
        _("receiving organ"), max_length=20, choices=ReceivingOrgan.choices, blank=True
    )
    receiving_organ = models.CharField(_("name of the receiving organ"), max_length=100, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("commendation or sanction")
        verbose_name_plural = _("commendations and sanctions")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"
