"""Pre-sentence investigation and assessment (调查评估, Community Corrections Law art. 18).

A court, procuratorate, police or prison commissions the county bureau; the bureau assigns a justice
office, which interviews family, neighbours, the village or community, the employer and the victim,
describes the home and the person's attitude and writes the opinion; the bureau approves it and sends
it back within the time limit; the commissioning organ's outcome is recorded, and a later intake of
the same person links to the investigation.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.core.private_files import private_storage
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import SentenceType, Supervisee


class CommissioningOrgan(models.TextChoices):
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    POLICE = "police", _("Public security organ")
    PRISON = "prison", _("Prison administration")


class PersonType(models.TextChoices):
    # SF/T 0015 9.8 拟适用社区矫正人员类型
    DEFENDANT = "defendant", _("Defendant")  # 被告人
    CONVICT = "convict", _("Convicted offender")  # 罪犯


class InvestigationStatus(models.TextChoices):
    RECEIVED = "received", _("Received, to assign")  # 待指派
    INVESTIGATING = "investigating", _("Being investigated")  # 调查中
    SUBMITTED = "submitted", _("Opinion awaiting the bureau")  # 待审批
    RETURNED = "returned", _("Sent back to the office")  # 被退回
    ANSWERED = "answered", _("Opinion sent back")  # 已反馈
    CONCLUDED = "concluded", _("Outcome recorded")  # 已完成


class Opinion(models.TextChoices):
    # SF/T 0015 9.33 调查评估意见
    SUITABLE = "suitable", _("Suitable for community correction")  # 适宜
    UNSUITABLE = "unsuitable", _("Not suitable for community correction")  # 不适宜


class Outcome(models.TextChoices):
    SENTENCED = "sentenced", _("Community correction applied")
    NOT_SENTENCED = "not_sentenced", _("Community correction not applied")


class Investigation(models.Model):
    bureau = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="investigations", verbose_name=_("county bureau")
    )
    office = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_investigations",
        verbose_name=_("justice office"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InvestigationStatus.choices, default=InvestigationStatus.RECEIVED
    )
    # The commission
    organ_kind = models.CharField(_("commissioning organ"), max_length=20, choices=CommissioningOrgan.choices)
    organ_name = models.CharField(_("name of the commissioning organ"), max_length=100)
    commission_number = models.CharField(_("commission letter number"), max_length=100)
    received_on = models.DateField(_("received on"))
    urgent = models.BooleanField(_("urgent"), default=False)
    due_on = models.DateField(_("answer due on"))
    due_approximate = models.BooleanField(default=False)
    # The person
    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    person_type = models.CharField(_("person type"), max_length=20, choices=PersonType.choices)
    identity_number_encrypted = models.TextField(editable=False, default="")
    identity_number_index = models.CharField(max_length=64, editable=False, default="", db_index=True)
    identity_number_masked = models.CharField(_("identity number"), max_length=18, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=6, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    residence_address = models.CharField(_("residence address"), max_length=200, blank=True)
    crime = models.CharField(_("crime"), max_length=100)
    proposed_sentence = models.CharField(_("proposed community sentence"), max_length=20, choices=SentenceType.choices)
    # The findings
    home_circumstances = models.TextField(_("home and living circumstances"), blank=True)
    attitude = models.TextField(_("attitude to the offence"), blank=True)
    opinion = models.CharField(_("opinion"), max_length=20, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("reasons of the opinion"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.TextField(_("bureau's comment"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.GeneratedDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the commissioning organ decided, and the intake it led to
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_adopted = models.BooleanField(_("opinion adopted"), null=True, blank=True)  # SF/T 0015 9.34 采信情况
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    supervisee = models.ForeignKey(
        Supervisee, null=True, blank=True, on_delete=models.SET_NULL, related_name="investigations"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pre-sentence investigation")
        verbose_name_plural = _("pre-sentence investigations")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.commission_number}"


class InterviewKind(models.TextChoices):
    FAMILY = "family", _("Family")
    NEIGHBOUR = "neighbour", _("Neighbours")
    COMMUNITY = "community", _("Village or community")
    EMPLOYER = "employer", _("Employer or school")
    VICTIM = "victim", _("Victim")
    OTHER = "other", _("Other")


class Interview(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField(_("whom"), max_length=20, choices=InterviewKind.choices)
    person = models.CharField(_("person interviewed"), max_length=100)
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("what was said"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"


class CommissionDocument(models.Model):
    """A document that came with the commission (委托函, 起诉书, 判决书 ...).

    The scans name the person and the offence: they live in private storage, served only through the
    investigation's scoped download page (views.commission_document), each read audited.
    """

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=private_storage, upload_to="investigations/%Y%m/", blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commission document")
        verbose_name_plural = _("commission documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        return PurePath(self.file.name).name if self.file else ""
