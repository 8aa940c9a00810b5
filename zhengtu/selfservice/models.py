"""What the app itself keeps: receipts of posted actions, so that a replayed action is never stored twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.core.private_files import private_storage


class ActionReceipt(models.Model):
    """One POST from the app, by its idempotency key (made by the phone when the action was first tried).

    Reserved before the action runs (status 0 = in progress), completed with the answer the server gave; a replay
    of the same key gets that same answer back instead of running the action again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("app action receipt")
        verbose_name_plural = _("app action receipts")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="selfservice_receipt_unique_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"

    @property
    def completed(self) -> bool:
        return self.status_code != 0


# ---------------------------------------------------------------------------------------------
# Check-ins from the phone


class CheckInChallenge(models.Model):
    """A one-time code the server issues right before a capture: the capture must come back with it, in time.

    It stops a photo taken earlier (or by someone else's phone, yesterday) from being sent as today's check-in.
    """

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("check-in challenge")
        verbose_name_plural = _("check-in challenges")

    def __str__(self) -> str:
        return self.nonce


class CheckInStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    FLAGGED = "flagged", _("Flagged for the officer")
    ACCEPTED_AFTER_REVIEW = "reviewed", _("Accepted by the officer")


class CheckInFlag(models.TextChoices):
    FACE_MISMATCH = "face_mismatch", _("Face does not match the registry photo")
    NO_REFERENCE = "no_reference", _("No usable registry photo to compare with")
    OUTSIDE_AREA = "outside_area", _("Outside the permitted area")
    POOR_ACCURACY = "poor_accuracy", _("Location too imprecise")
    STALE = "stale", _("Sent too late after the capture")
    NEW_DEVICE = "new_device", _("Sent from a device not yet confirmed")


class AppCheckIn(models.Model):
    """A check-in (报告) made on the phone: live photo + position, compared and checked by the server.

    Stored whatever the checks say. Without flags it is accepted at once and written to the supervision check-in
    ledger (channel "app"); with flags it waits for the officer, who may accept it with a reason.
    """

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="app_check_ins")
    face_check = models.ForeignKey("faces.FaceCheck", on_delete=models.PROTECT, related_name="+")
    challenge = models.OneToOneField(CheckInChallenge, on_delete=models.PROTECT, related_name="check_in")
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    accuracy_m = models.FloatField(_("accuracy (m)"))
    position_at = models.DateTimeField(_("position time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=CheckInStatus.choices)
    flags = models.JSONField(default=list, blank=True)
    area_note = models.CharField(max_length=200, blank=True)
    ledger_entry = models.OneToOneField(
        "supervision.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="app_check_in"
    )
    spot_check = models.OneToOneField(
        "SpotCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="answer"
    )
    device = models.ForeignKey("AppDevice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    forwarded_to_monitoring = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("app check-in")
        verbose_name_plural = _("app check-ins")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["supervisee", "-received_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.supervisee} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def flag_labels(self) -> list[str]:
        return [str(CheckInFlag(flag).label) if flag in CheckInFlag.values else flag for flag in self.flags]


class SpotCheckStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the check-in")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")


class SpotCheck(models.Model):
    """点名 / 信息化核查: "check in within N minutes", asked by an officer or by the schedule of the level."""

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="spot_checks")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=SpotCheckStatus.choices, default=SpotCheckStatus.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    alert_id = models.BigIntegerField(null=True, blank=True)  # the monitoring alert raised when missed

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.supervisee} {self.requested_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------------
# Devices (browsers) the person uses


class AppDevice(models.Model):
    """A browser the person logged in from. A new one needs a face check; the officer sees and can revoke it."""

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="app_devices")
    # sha256 of the random id kept in the browser's long-lived cookie; the id itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("device"), max_length=200, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    face_verified_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("app device")
        verbose_name_plural = _("app devices")
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return self.label or self.token_hash[:8]

    @property
    def confirmed(self) -> bool:
        return self.face_verified_at is not None and self.revoked_at is None


# ---------------------------------------------------------------------------------------------
# Written reports, messages, push subscriptions


class WrittenReport(models.Model):
    """思想汇报 written on the phone, with photos and a voice note; accepted into the ledger (channel "app")."""

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="app_reports")
    text = models.TextField(_("text"), blank=True)
    voice_note = models.FileField(_("voice note"), storage=private_storage, upload_to="app/voice/%Y/%m/", blank=True)
    voice_seconds = models.PositiveIntegerField(null=True, blank=True)
    ledger_entry = models.OneToOneField(
        "supervision.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="app_report"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("written report")
        verbose_name_plural = _("written reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.supervisee} {self.created_at:%Y-%m-%d}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(WrittenReport, on_delete=models.CASCADE, related_name="photos")
    photo = models.FileField(storage=private_storage, upload_to="app/reports/%Y/%m/")

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.photo.name

    @property
    def key(self) -> str:
        """How the staff view names this photo in its URL."""
        return f"photo-{self.pk}"


class Message(models.Model):
    """One message in the thread between a supervisee and their officer / social workers (never between people)."""

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="app_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_supervisee = models.BooleanField()
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)  # by the other side

    class Meta:
        verbose_name = pgettext_lazy("model name", "message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["supervisee", "sent_at"])]

    def __str__(self) -> str:
        return self.body[:40]


class PushSubscription(models.Model):
    """A browser's Web Push endpoint for one user (W3C Push API); removed when the push service answers 404/410."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return self.endpoint[:60]


# ---------------------------------------------------------------------------------------------
# Requests from the phone


class AppRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for the office")
    FILED = "filed", _("In approval")
    RETURNED = "returned", _("Returned by the office")


class AppRequest(models.Model):
    """A request (leave, ...) the person files on the phone: checked by the kind's own form, then entered into the
    approval engine by their officer (as the paper application is), where each step's decision is visible."""

    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="app_requests")
    kind = models.CharField(_("kind"), max_length=40)
    data = models.JSONField(default=dict)
    summary = models.CharField(_("summary"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=AppRequestStatus.choices, default=AppRequestStatus.SUBMITTED
    )
    approval = models.OneToOneField(
        "supervision.ApprovalRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="app_request"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("request from the app")
        verbose_name_plural = _("requests from the app")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary


# ---------------------------------------------------------------------------------------------
# Community-service activities


class Activity(models.Model):
    """A community-service activity (社区服务 / 公益活动) an office publishes for the people it supervises."""

    office = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hours = models.DecimalField(_("hours credited"), max_digits=4, decimal_places=1)
    capacity = models.PositiveSmallIntegerField(_("places"), default=20)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    service_record = models.ForeignKey(
        "services.ServiceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community-service activity")
        verbose_name_plural = _("community-service activities")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    ATTENDED = "attended", _("Attended, hours awaiting confirmation")
    CONFIRMED = "confirmed", _("Hours confirmed")


class ActivitySignup(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    supervisee = models.ForeignKey("supervisees.Supervisee", on_delete=models.CASCADE, related_name="activity_signups")
    status = models.CharField(max_length=20, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP)
    signed_up_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    check_in_face = models.ForeignKey(
        "faces.FaceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_in_position = models.JSONField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    check_out_face = models.ForeignKey(
        "faces.FaceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_out_position = models.JSONField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity signup")
        verbose_name_plural = _("activity signups")
        constraints = [
            models.UniqueConstraint(fields=["activity", "supervisee"], name="selfservice_one_signup_per_activity")
        ]

    def __str__(self) -> str:
        return f"{self.supervisee} {self.activity}"
