"""Group education with the lecturer pool (讲师团): lecturers, booked sessions, QR sign-in, evaluations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.core.private_files import private_storage
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee


class Profession(models.TextChoices):
    JUDGE = "judge", _("Judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    POLICE = "police", _("Police officer")
    TEACHER = "teacher", _("Teacher")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    LAWYER = "lawyer", _("Lawyer")
    VOLUNTEER = "volunteer", _("Volunteer")


class Lecturer(models.Model):
    """A member of a bureau's pool; seen by the bureau's subtree. The phone is encrypted and shown masked."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="lecturers")
    name = models.CharField(_("name of the lecturer"), max_length=50)
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    topics = models.CharField(_("topics"), max_length=200)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    phone_encrypted = models.TextField(editable=False, default="")
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, default="")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


def new_sign_in_key() -> str:
    return secrets.token_urlsafe(16)


class GroupSession(models.Model):
    """A booked group session (集中教育). Attendance counts as study hours for each person signed in."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="group_sessions")
    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="sessions")
    topic = models.CharField(_("topic of the session"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    hours = models.DecimalField(
        _("hours credited"), max_digits=3, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(8)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    sign_in_key = models.CharField(max_length=40, default=new_sign_in_key, editable=False)
    # The project whose KPI "教育学习 场次" the session counts towards (optional), and the ledger record the
    # first sign-in writes (services): the session is then one education record with one attendance per person.
    project = models.ForeignKey(
        "projects.ServiceProject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_sessions",
        verbose_name=_("project"),
    )
    service_record = models.OneToOneField(
        "services.ServiceRecord",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_session",
        editable=False,
    )
    # Staff deleted the session's ledger record (services.delete_service): its hours are taken off every attendee
    # there, so learning must not count them again, and later sign-ins write no new record (receivers.py).
    ledger_record_deleted = models.BooleanField(_("ledger record deleted"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.topic


class GroupAttendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendances")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="group_attendances")
    signed_in_at = models.DateTimeField()
    # Copy of the session's local date: monthly hours are one index range.
    held_on = models.DateField()
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("evaluation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("group session attendance")
        verbose_name_plural = _("group session attendances")
        constraints = [models.UniqueConstraint(fields=["session", "supervisee"], name="one_sign_in_per_session")]
        indexes = [models.Index(fields=["supervisee", "held_on"])]


class GroupSessionPhoto(models.Model):
    """A photo of a group session (proof it was held, for the 智慧矫正中心 score): private, served by a scoped view.

    Re-encoded as JPEG on upload, which also drops the camera's metadata (place, device)."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="photos")
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="learning/group-sessions/%Y/%m/")
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("group session photo")
        verbose_name_plural = _("group session photos")

    def __str__(self) -> str:
        return self.original_name
