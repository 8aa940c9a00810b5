"""The supervision file of one person: intake, team, plan, level history, check-ins, visits, attachments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.supervisees.models import Supervisee, SupervisionLevel


class SupervisionFile(models.Model):
    """What the registry does not hold about one person's supervision: the intake and the plan."""

    supervisee = models.OneToOneField(Supervisee, on_delete=models.CASCADE, related_name="supervision_file")
    documents_received_on = models.DateField(_("legal documents received on"), null=True, blank=True)
    # The last day to report (law art. 21), rolled to the next working day when it falls on a rest day.
    reporting_deadline = models.DateField(_("reporting deadline"), null=True, blank=True)
    reporting_deadline_approximate = models.BooleanField(default=False)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    registered_at = models.DateTimeField(_("intake registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_place = models.CharField(_("place of announcement"), max_length=100, blank=True)
    correction_plan = models.TextField(_("correction plan"), blank=True)
    plan_measures = models.TextField(_("measures"), blank=True)
    plan_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("supervision file")
        verbose_name_plural = _("supervision files")

    def __str__(self) -> str:
        return str(self.supervisee)

    @property
    def arrival_overdue(self) -> bool:
        """The person has not reported and the deadline has passed, or reported late."""
        if self.reporting_deadline is None:
            return False
        if self.reported_on is None:
            return timezone.localdate() > self.reporting_deadline
        return self.reported_on > self.reporting_deadline


class TeamRole(models.TextChoices):
    OFFICER = "officer", _("Justice office officer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    FAMILY_MEMBER = "family_member", _("Family member")
    VOLUNTEER = "volunteer", _("Volunteer")
    VILLAGE_CADRE = "village_cadre", _("Village or community cadre")
    EMPLOYER = "employer", _("Employer or school")
    OTHER = "other", _("Other")


class TeamMember(models.Model):
    """A member of the correction team (矫正小组)."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="team_members")
    role = models.CharField(_("role in the team"), max_length=20, choices=TeamRole.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    unit = models.CharField(_("work unit or relation"), max_length=100, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction team member")
        verbose_name_plural = _("correction team members")
        ordering = ["left_on", "role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class LevelChangeSource(models.TextChoices):
    INTAKE = "intake", _("Initial level at intake")
    REVIEW = "review", _("Periodic review")
    SANCTION = "sanction", _("Commendation or sanction")
    OTHER = "other", _("Other")


class LevelChange(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.CharField(_("from"), max_length=20, choices=SupervisionLevel.choices, blank=True)
    to_level = models.CharField(_("to"), max_length=20, choices=SupervisionLevel.choices)
    source = models.CharField(_("source"), max_length=20, choices=LevelChangeSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision level change")
        verbose_name_plural = _("supervision level changes")
        ordering = ["-changed_at", "-id"]


class CheckInKind(models.TextChoices):
    CHECK_IN = "checkin", _("Check-in")  # 报告
    WRITTEN_REPORT = "written_report", _("Written report")  # 思想汇报


class CheckInChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", pgettext_lazy("check-in channel", "By phone")
    APP = "app", _("App")
    WRITTEN = "written", _("On paper")


class CheckIn(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="check_ins")
    kind = models.CharField(_("kind"), max_length=20, choices=CheckInKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=CheckInChannel.choices)
    occurred_on = models.DateField(_("date"))
    content = models.TextField(_("content"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["supervisee", "kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("Routine")  # 日常
    FOCUS = "focus", _("Focus")  # 重点
    SPECIAL = "special", _("Special")  # 特殊


class Visit(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    visited_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    people_met = models.CharField(_("people met"), max_length=200, blank=True)
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["supervisee", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


def _attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"supervision/{instance.supervisee_id}/{timezone.localdate():%Y%m}/{filename}"


class Attachment(models.Model):
    """A file in a person's archives: evidence, a photo of a visit, a scanned written report, a judgment."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="supervision_attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_attachment_upload_to)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    in_execution_archive = models.BooleanField(_("in the execution file"), default=False)
    in_work_archive = models.BooleanField(_("in the work file"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""
