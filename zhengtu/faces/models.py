"""Face checks and the cached encoding of each registry photo."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.core.private_files import private_storage
from zhengtu.supervisees.models import Supervisee


class Purpose(models.TextChoices):
    CHECKIN = "checkin", _("Check-in")
    STUDY = "study", _("Study")
    EXAM = "exam", _("Exam")
    SIGNIN = "signin", _("Sign-in on a new device")
    SERVICE = "service", _("Community service attendance")


class FaceOutcome(models.TextChoices):
    MATCH = "match", _("Match")
    MISMATCH = "mismatch", _("Mismatch")
    NO_FACE = "no_face", _("No face found")
    SEVERAL_FACES = "several_faces", _("Several faces")
    BAD_IMAGE = "bad_image", _("Unusable image")
    # The registry has no photo of the person, or one without exactly one face: nothing to compare with.
    NO_REFERENCE = "no_reference", _("No usable registry photo")


class FaceCheck(models.Model):
    """One photo taken by the person's phone, compared with the photo in the registry."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="face_checks")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # Re-encoded JPEG (no EXIF: a phone writes the GPS position into it). Emptied after the retention period.
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="faces/checks/%Y/%m/", blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=FaceOutcome.choices)
    similarity = models.FloatField(_("similarity"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"))
    face_count = models.PositiveSmallIntegerField(default=0)
    engine = models.CharField(max_length=50)
    # Which registry photo was compared (the registry photo may be replaced later).
    reference_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("face check")
        verbose_name_plural = _("face checks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["supervisee", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.supervisee} {self.get_purpose_display()} {self.get_outcome_display()}"

    @property
    def matched(self) -> bool:
        return self.outcome == FaceOutcome.MATCH

    @property
    def similarity_percent(self) -> int | None:
        return None if self.similarity is None else round(self.similarity * 100)


class RegistryEncoding(models.Model):
    """The encoding of a person's registry photo, computed once per photo and engine (~0.3 s each time saved)."""

    supervisee = models.OneToOneField(Supervisee, on_delete=models.CASCADE, related_name="face_encoding")
    photo_name = models.CharField(max_length=200)
    engine = models.CharField(max_length=50)
    face_count = models.PositiveSmallIntegerField(default=0)
    encoding = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registry photo encoding")
        verbose_name_plural = _("registry photo encodings")

    def __str__(self) -> str:
        return f"{self.supervisee} {self.engine}"
