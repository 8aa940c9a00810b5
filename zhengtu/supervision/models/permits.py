"""The approval kinds besides leave and transfer (审批事项): each a permit asked for, decided, then in force.

禁止令 exceptions (entering a place, contacting a person), 会客, a change of residence within the county
(迁居), frequent cross-city/county activity (经常性跨市县活动, approved for a period and then expiring),
and the extension of a medical review of a person on temporary execution outside prison (病情复查延期).
Each kind's form, limits, levels and document are in ``zhengtu.supervision.approval_kinds``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee

from .approvals import ApprovalRequest, ApprovalStatus


class PermitKind(models.TextChoices):
    PROHIBITED_PLACE = "prohibited_place", _("Prohibition order: entering a specific place")  # 进入特定区域、场所
    PROHIBITED_CONTACT = "prohibited_contact", _("Prohibition order: contacting a specific person")  # 接触特定人员
    VISITOR = "visitor", _("Meeting visitors")  # 会客
    RESIDENCE_CHANGE = "residence_change", _("Change of residence within the county")  # 迁居
    CROSS_CITY = "cross_city", _("Frequent cross-city or cross-county activity")  # 经常性跨市县活动
    MEDICAL_EXTENSION = "medical_extension", _("Extension of a medical review")  # 病情复查延期


class Permit(models.Model):
    approval = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="permit")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("kind"), max_length=20, choices=PermitKind.choices, db_index=True)
    # The place, person, visitor, destinations or hospital the permit is about.
    subject = models.CharField(_("place, person or destination"), max_length=300)
    reason = models.TextField(_("reason"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    new_address = models.CharField(_("new residence address"), max_length=200, blank=True)
    # When the officer was told the permit is about to expire (services/expiry.py): told once.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"

    def in_force_on(self, day: dt.date) -> bool:
        """Approved and the day within its period: after the last day the permit has expired."""
        return self.approval.status == ApprovalStatus.APPROVED and self.start_date <= day <= self.end_date
