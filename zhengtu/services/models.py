"""The service ledger (台账): education sessions, community service, counselling, visits,
psychological screening and location-app installations, with the supervisees who took part.

One ledger per project (records with `project`) and per supervisee (their attendances). Hours
credited to each attendee are kept on the attendance with the record's date and kind copied,
so that monthly hours are one indexed aggregate even for a province.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject
from zhengtu.supervisees.models import Supervisee


class ServiceKind(models.TextChoices):
    EDUCATION = "education", _("Education session")  # 教育学习
    COMMUNITY_SERVICE = "community_service", _("Community service")  # 社区服务 / 公益活动
    COUNSELLING = "counselling", _("Counselling")  # 个案、团体心理辅导
    VISIT = "visit", pgettext_lazy("service kind", "Visit")  # 走访调查
    PSYCHOLOGICAL_TEST = "psychological_test", _("Psychological screening")  # 心理测量
    LOCATION_SERVICE = "location_service", _("Location app installation")  # 定位服务（APP安装）


class ServiceMode(models.TextChoices):
    GROUP = "group", pgettext_lazy("service form", "Group")  # 集体 / 团体
    INDIVIDUAL = "individual", pgettext_lazy("service form", "Individual")  # 个别 / 个案


class VisitType(models.TextChoices):
    ROUTINE = "routine", _("Routine visit")  # 日常走访
    FOCUS = "focus", _("Focus visit")  # 重点走访
    SPECIAL = "special", _("Special visit")  # 特殊走访


class RecordSource(models.TextChoices):
    FORM = "form", _("Entered on a page")
    IMPORT = "import", _("Imported from Excel")
    API = "api", _("Sent through the API")
    LEARNING = "learning", _("Group session of the lecturer pool")  # written by learning.services.groups


class ServiceRecord(models.Model):
    project = models.ForeignKey(
        ServiceProject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=_("project"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=pgettext_lazy("service record", "held by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    mode = models.CharField(_("form"), max_length=12, choices=ServiceMode.choices, default=ServiceMode.GROUP)
    visit_type = models.CharField(_("visit type"), max_length=10, choices=VisitType.choices, blank=True)
    held_on = models.DateField(_("date"))
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    topic = models.CharField(_("topic"), max_length=200)
    lecturer = models.CharField(_("lecturer or leader"), max_length=100, blank=True)
    # A lecturer of the pool (讲师团), when the session had one; the free text above stays for outsiders.
    pool_lecturer = models.ForeignKey(
        "learning.Lecturer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_records",
        verbose_name=_("lecturer from the pool"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    summary = models.TextField(_("what happened"), blank=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counselling_records",
        verbose_name=_("counsellor"),
    )
    source = models.CharField(max_length=10, choices=RecordSource.choices, default=RecordSource.FORM)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["project", "kind", "held_on"]),
            models.Index(fields=["organisation", "held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} {self.topic}"


class ServiceAttendance(models.Model):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="attendances")
    supervisee = models.ForeignKey(Supervisee, on_delete=models.PROTECT, related_name="service_attendances")
    hours = models.DecimalField(
        _("hours credited"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    # Copies of the record's date and kind: monthly hours are then one index range scan.
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["record", "supervisee"], name="one_attendance_per_record")]
        indexes = [models.Index(fields=["supervisee", "held_on", "kind"]), models.Index(fields=["held_on", "kind"])]


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    MATERIAL = "material", _("Material")


class ServiceAttachment(models.Model):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    file = models.FileField(upload_to="services/attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service attachment")
        verbose_name_plural = _("service attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class CounsellingNote(models.Model):
    """The counsellor's confidential notes: read only by the counsellor and the project's supervisor.

    Kept apart from the record (and encrypted at rest) so that no listing, export or API
    serializer of records can carry them by accident.
    """

    record = models.OneToOneField(ServiceRecord, on_delete=models.CASCADE, related_name="counselling_note")
    text_encrypted = models.TextField(editable=False, default="")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("counselling note")
        verbose_name_plural = _("counselling notes")

    @property
    def text(self) -> str:
        from zhengtu.privacy.crypto import decrypt

        return decrypt(self.text_encrypted)
