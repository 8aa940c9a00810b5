"""Volunteers, social workers' professional development, and the talent studio (名师工作室, seed 004).

Volunteers work on juvenile cases and in correction teams (矫正小组); an assignment to a team also adds them to
the team as a "volunteer" member, linked here, so the supervision app needs no change to show them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation


class Volunteer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("registered with")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone_encrypted = models.TextField(editable=False, default="")
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, default="")
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    background_checked_on = models.DateField(_("background check date"), null=True, blank=True)
    training_hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1, default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class VolunteerAssignment(models.Model):
    """A volunteer's work on one juvenile case or in one supervisee's correction team."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assignments")
    juvenile_case = models.ForeignKey(
        "juvenile.JuvenileCase", null=True, blank=True, on_delete=models.CASCADE, related_name="volunteer_assignments"
    )
    supervisee = models.ForeignKey(
        "supervisees.Supervisee", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team_member = models.OneToOneField(
        "supervision.TeamMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_link"
    )
    task = models.CharField(_("task"), max_length=200)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("volunteer assignment")
        verbose_name_plural = _("volunteer assignments")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(juvenile_case__isnull=False) ^ models.Q(supervisee__isnull=False),
                name="volunteer_assignment_one_target",
            )
        ]


class VolunteerHours(models.Model):
    assignment = models.ForeignKey(VolunteerAssignment, on_delete=models.CASCADE, related_name="hours")
    worked_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    activity = models.CharField(_("activity"), max_length=200)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-worked_on", "-id"]


class TrainingRecord(models.Model):
    """Continuing education of a social worker (GB/T 42380-2023 15.3.4: ≥ 32 h a year for juvenile work)."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    attended_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("continuing education record")
        verbose_name_plural = _("continuing education records")
        ordering = ["-attended_on", "-id"]


class SupervisionSession(models.Model):
    """Professional supervision (督导) of social workers: who supervised whom, when, on what."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supervisor_name = models.CharField(_("supervisor"), max_length=50)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="supervision_sessions")

    class Meta:
        verbose_name = _("professional supervision session")
        verbose_name_plural = _("professional supervision sessions")
        ordering = ["-held_on", "-id"]


class Studio(models.Model):
    """A talent studio (名师工作室): lead + core + ordinary members, its cases and its outputs."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="studios")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(pgettext_lazy("studio", "description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    juvenile_cases = models.ManyToManyField("juvenile.JuvenileCase", blank=True, related_name="studios")

    class Meta:
        verbose_name = _("talent studio")
        verbose_name_plural = _("talent studios")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StudioRole(models.TextChoices):
    LEAD = "lead", _("Lead")  # 领衔人
    CORE = "core", _("Core member")  # 核心成员
    MEMBER = "member", _("Member")  # 普通成员


class StudioMember(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(_("role"), max_length=10, choices=StudioRole.choices, default=StudioRole.MEMBER)
    background = models.CharField(_("background"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["role", "name"]


class StudioOutput(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="outputs")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=50)
    produced_on = models.DateField(_("date"))
    description = models.TextField(pgettext_lazy("studio", "description"), blank=True)

    class Meta:
        verbose_name = _("studio output")
        verbose_name_plural = _("studio outputs")
        ordering = ["-produced_on"]
