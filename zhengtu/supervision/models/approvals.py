"""One approval mechanism for every request: leave, transfer, electronic monitoring, sanctions.

An ApprovalRequest holds ordered ApprovalSteps chosen by rule when it is submitted (see services/approvals.py);
each step names the organisation whose approvers decide it. The subject of the request (a LeaveRequest, ...)
points to the request one-to-one; its effect is applied by a service once the last step is approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee


class ApprovalKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    TRANSFER = "transfer", _("Transfer of place of execution")
    MONITORING = "monitoring", _("Electronic monitoring")
    SANCTION = "sanction", _("Commendation or sanction")
    # The permits (models/permits.py): one approval kind each, named like the permit kinds.
    PROHIBITED_PLACE = "prohibited_place", _("Prohibition order: entering a specific place")
    PROHIBITED_CONTACT = "prohibited_contact", _("Prohibition order: contacting a specific person")
    VISITOR = "visitor", _("Meeting visitors")
    RESIDENCE_CHANGE = "residence_change", _("Change of residence within the county")
    CROSS_CITY = "cross_city", _("Frequent cross-city or cross-county activity")
    MEDICAL_EXTENSION = "medical_extension", _("Extension of a medical review")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalLevel(models.TextChoices):
    OFFICE = "office", _("Justice office")
    COUNTY_BUREAU = "county_bureau", _("County corrections bureau")
    CITY_BUREAU = "city_bureau", _("City corrections bureau")
    RECEIVING_BUREAU = "receiving_bureau", _("Receiving county bureau")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier step")
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalRequest(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ApprovalKind.choices, db_index=True)
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="approval_requests")
    summary = models.CharField(_("summary"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING, db_index=True
    )
    # Why these steps were chosen, in words for the people deciding (e.g. "10 days: more than 7").
    routing_reason = models.CharField(_("why these approvers"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def current_step(self) -> ApprovalStep | None:
        return next((step for step in self.steps.all() if step.status == StepStatus.PENDING), None)


class ApprovalStep(models.Model):
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    level = models.CharField(pgettext_lazy("approval step", "level"), max_length=20, choices=ApprovalLevel.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    capability = models.CharField(max_length=40)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # The working-day date by which the step should be decided (informational; see rules).
    due_on = models.DateField(null=True, blank=True)
    due_approximate = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["request", "order"]
        constraints = [models.UniqueConstraint(fields=["request", "order"], name="one_step_per_order")]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.organisation}"


class LeaveRequest(models.Model):
    """Leave from the city or county of residence (外出请假)."""

    approval = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="leave")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="leave_requests")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    destination = models.CharField(_("destination"), max_length=200)
    reason = models.TextField(_("reason"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    # When the officer was told the leave is about to end (services/expiry.py): told once.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.destination} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class TransferRequest(models.Model):
    """Transfer of the place of execution (变更执行地) to an office under another bureau."""

    approval = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="transfer")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="transfer_requests")
    from_office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    new_address = models.CharField(_("new residence address"), max_length=200)
    reason = models.TextField(_("reason"))
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")


class MonitoringSituation(models.TextChoices):
    """The five situations of law art. 29 in which electronic monitoring may be used."""

    PROHIBITION_ORDER = "prohibition_order", _("Violated a prohibition order of the people's court")
    LEFT_WITHOUT_PERMISSION = (
        "left_without_permission",
        _("Left the city or county of residence without good reason and without approval"),
    )
    REFUSED_TO_REPORT = (
        "refused_to_report",
        _("Refused to report their activities as required and was given a warning"),
    )
    POLICE_PENALTY = (
        "police_penalty",
        _("Violated supervision rules and was given a public-security administrative penalty"),
    )
    PROPOSED_REVOCATION = (
        "proposed_revocation",
        _("About to be proposed for revocation of probation or parole, or for return to prison"),
    )


class MonitoringApproval(models.Model):
    """Approval to use electronic monitoring for one period, or to extend the previous period."""

    approval = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="monitoring")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="monitoring_approvals")
    situation = models.CharField(_("statutory situation"), max_length=40, choices=MonitoringSituation.choices)
    facts = models.TextField(_("facts"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    extends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("extends")
    )

    class Meta:
        verbose_name = _("electronic monitoring approval")
        verbose_name_plural = _("electronic monitoring approvals")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}"
