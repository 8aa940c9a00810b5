"""Electronic monitoring (电子定位): devices, bindings, positions, fences and alerts.

Location data is confidential (Community Corrections Law art. 29): every read goes through
selectors.py, scoped by the supervisees the user may see, and track views are audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee


class DeviceKind(models.TextChoices):
    WRISTBAND = "wristband", _("Wristband")
    PHONE = "phone", _("Phone app")


class Protocol(models.TextChoices):
    JT808 = "jt808", "JT/T 808"
    GT06 = "gt06", "GT06"
    WATCH = "watch", _("Watch protocol")
    OSMAND = "osmand", _("OsmAnd HTTP (Traccar Client)")


class Device(models.Model):
    """A wristband or a phone running a location app, identified by its terminal id / IMEI."""

    identifier = models.CharField(
        pgettext_lazy("monitoring", "terminal id / IMEI"),
        max_length=64,
        unique=True,
        help_text=_("As the device reports it."),
    )
    kind = models.CharField(pgettext_lazy("monitoring", "kind"), max_length=20, choices=DeviceKind.choices)
    protocol = models.CharField(pgettext_lazy("monitoring", "protocol"), max_length=20, choices=Protocol.choices)
    sim_number = models.CharField(_("SIM number"), max_length=30, blank=True)
    model_name = models.CharField(pgettext_lazy("monitoring", "model"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="monitoring_devices", verbose_name=_("held by")
    )
    auth_code = models.CharField(max_length=32, blank=True, editable=False)  # JT/T 808 authentication code
    # JT/T 808: when the terminal registered (0x0100) and received the authentication code. A
    # second registration is refused ("terminal already registered") until an administrator
    # resets it, so knowing a terminal number is not enough to obtain its code.
    jt808_registered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # OsmAnd phones: SHA-256 of the device secret; when set, a report without it is refused.
    osmand_secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    # For JT/T 808 terminals that never authenticate: positions accepted without 0x0102 (audited).
    jt808_auth_optional = models.BooleanField(
        _("accepts positions without JT/T 808 authentication"),
        default=False,
        help_text=_(
            "Only for terminals that skip authentication; anyone knowing the number could then send positions."
        ),
    )
    is_active = models.BooleanField(_("in service"), default=True)
    notes = models.CharField(pgettext_lazy("monitoring", "notes"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring device")
        verbose_name_plural = _("monitoring devices")
        ordering = ["identifier"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}"


class DeviceBinding(models.Model):
    """A device worn or carried by a supervisee for an approved period. Unbinding keeps the row."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="bindings", verbose_name=pgettext_lazy("monitoring", "device")
    )
    supervisee = models.ForeignKey(
        Supervisee,
        on_delete=models.PROTECT,
        related_name="device_bindings",
        verbose_name=pgettext_lazy("monitoring", "supervisee"),
    )
    starts_at = models.DateTimeField(pgettext_lazy("monitoring", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("monitoring", "until"))
    # The monitoring approval (supervision app) this binding executes, when there is one.
    approval_reference = models.CharField(_("approval document"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    unbound_at = models.DateTimeField(_("unbound at"), null=True, blank=True)
    unbound_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unbind_reason = models.CharField(_("reason for unbinding"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("device binding")
        verbose_name_plural = _("device bindings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["device", "unbound_at", "starts_at"]),
            models.Index(fields=["supervisee", "unbound_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.device} → {self.supervisee}"


class UnknownDevice(models.Model):
    """Frames from a device nobody registered; an administrator can register it from here."""

    identifier = models.CharField(pgettext_lazy("monitoring", "terminal id / IMEI"), max_length=64)
    protocol = models.CharField(pgettext_lazy("monitoring", "protocol"), max_length=20, choices=Protocol.choices)
    first_seen_at = models.DateTimeField(pgettext_lazy("monitoring", "first seen"))
    last_seen_at = models.DateTimeField(pgettext_lazy("monitoring", "last seen"))
    frames = models.PositiveIntegerField(pgettext_lazy("monitoring", "frames"), default=0)
    remote_address = models.CharField(pgettext_lazy("monitoring", "address"), max_length=64, blank=True)
    registered_device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("unknown device")
        verbose_name_plural = _("unknown devices")
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["protocol", "identifier"], name="unique_unknown_device")]

    def __str__(self) -> str:
        return self.identifier


class Position(models.Model):
    """A stored fix in WGS-84. On PostgreSQL the table is range-partitioned by month of fix_time."""

    id = models.BigAutoField(primary_key=True)
    # No database constraints or single-column indexes: the composite indexes below serve every
    # query, and constraints would have to be repeated on each monthly partition.
    device = models.ForeignKey(
        Device, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    supervisee = models.ForeignKey(
        Supervisee, null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    fix_time = models.DateTimeField(_("device time"))
    server_time = models.DateTimeField(_("server time"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    altitude = models.FloatField(default=0)
    speed_kmh = models.FloatField(_("speed (km/h)"), default=0)
    course = models.FloatField(default=0)
    accuracy = models.FloatField(null=True)
    satellites = models.SmallIntegerField(null=True)
    battery_percent = models.SmallIntegerField(null=True)
    alarms = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("monitoring", "position")
        verbose_name_plural = pgettext_lazy("monitoring", "positions")
        indexes = [
            models.Index(fields=["supervisee", "fix_time"], name="monitoring_pos_supervisee"),
            models.Index(fields=["device", "fix_time"], name="monitoring_pos_device"),
        ]


class DeviceState(models.Model):
    """The latest known state of a device, kept current by the ingest writer."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, primary_key=True, related_name="state")
    last_seen_at = models.DateTimeField(null=True)  # any message, heartbeats included
    fix_time = models.DateTimeField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    speed_kmh = models.FloatField(null=True)
    course = models.FloatField(null=True)
    battery_percent = models.SmallIntegerField(null=True)
    remote_address = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("device state")
        verbose_name_plural = _("device states")


class FenceKind(models.TextChoices):
    INCLUSION = "inclusion", _("Must stay inside")
    EXCLUSION = "exclusion", _("Must not enter")


class FenceShape(models.TextChoices):
    POLYGON = "polygon", pgettext_lazy("monitoring", "Polygon")
    CIRCLE = "circle", pgettext_lazy("monitoring", "Circle")


class Fence(models.Model):
    """An electronic fence. Without a supervisee it applies to every monitored supervisee of the organisation."""

    name = models.CharField(pgettext_lazy("monitoring", "name"), max_length=100)
    kind = models.CharField(pgettext_lazy("monitoring", "kind"), max_length=20, choices=FenceKind.choices)
    shape = models.CharField(pgettext_lazy("monitoring", "shape"), max_length=20, choices=FenceShape.choices)
    # Polygon: GeoJSON geometry (Polygon or MultiPolygon) in WGS-84. Circle: centre and radius.
    geometry = models.JSONField(pgettext_lazy("monitoring", "geometry"), null=True, blank=True)
    center_latitude = models.FloatField(null=True, blank=True)
    center_longitude = models.FloatField(null=True, blank=True)
    radius_m = models.FloatField(_("radius (m)"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="monitoring_fences",
        verbose_name=pgettext_lazy("monitoring", "organisation"),
    )
    supervisee = models.ForeignKey(
        Supervisee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_fences",
        verbose_name=_("only for"),
    )
    # Optional schedule in local time (Asia/Shanghai); an end before the start wraps past midnight.
    active_from = models.TimeField(_("active from"), null=True, blank=True)
    active_until = models.TimeField(_("active until"), null=True, blank=True)
    weekdays = models.CharField(_("weekdays"), max_length=7, default="1234567", help_text=_("1 = Monday … 7 = Sunday"))
    is_active = models.BooleanField(_("in force"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("electronic fence")
        verbose_name_plural = _("electronic fences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_schedule(self) -> bool:
        return self.active_from is not None and self.active_until is not None


class FenceState(models.Model):
    """Per supervisee and fence: how long they have been on the wrong side (the drift rule)."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="+")
    fence = models.ForeignKey(Fence, on_delete=models.CASCADE, related_name="states")
    violating_since = models.DateTimeField(null=True)
    violating_fixes = models.PositiveIntegerField(default=0)
    breach = models.ForeignKey("Alert", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("fence state")
        verbose_name_plural = _("fence states")
        constraints = [models.UniqueConstraint(fields=["supervisee", "fence"], name="one_fence_state")]


class AlertKind(models.TextChoices):
    FENCE_BREACH = "fence_breach", _("Fence breach")
    OFFLINE = "offline", pgettext_lazy("monitoring", "Offline")
    LOW_BATTERY = "low_battery", _("Low battery")
    TAMPER = "tamper", _("Tamper / strap removed")
    SOS = "sos", _("SOS")
    SEPARATION = "separation", _("Person-device separation")
    # Raised by the supervisee's app (zhengtu/selfservice) when a spot check (点名) is not answered in time.
    MISSED_SPOT_CHECK = "missed_spot_check", _("Missed spot check")


class AlertStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("monitoring", "New")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("monitoring", "Acknowledged")
    HANDLED = "handled", pgettext_lazy("monitoring", "Handled")
    CLOSED = "closed", pgettext_lazy("monitoring", "Closed")


ALLOWED_ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    AlertStatus.NEW: frozenset({AlertStatus.ACKNOWLEDGED}),
    AlertStatus.ACKNOWLEDGED: frozenset({AlertStatus.HANDLED}),
    AlertStatus.HANDLED: frozenset({AlertStatus.CLOSED}),
    AlertStatus.CLOSED: frozenset(),
}


class Alert(models.Model):
    kind = models.CharField(pgettext_lazy("monitoring", "kind"), max_length=20, choices=AlertKind.choices)
    status = models.CharField(
        pgettext_lazy("monitoring", "status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.NEW
    )
    supervisee = models.ForeignKey(
        Supervisee,
        on_delete=models.CASCADE,
        related_name="monitoring_alerts",
        verbose_name=pgettext_lazy("monitoring", "supervisee"),
    )
    device = models.ForeignKey(Device, null=True, on_delete=models.SET_NULL, related_name="alerts")
    fence = models.ForeignKey(Fence, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    detail = models.CharField(pgettext_lazy("monitoring", "detail"), max_length=200, blank=True)
    raised_at = models.DateTimeField(pgettext_lazy("monitoring", "raised at"), db_index=True)
    # When the report that raised it reached the gateway (for receipt-to-alert latency).
    received_at = models.DateTimeField(null=True)
    # The condition is over (back inside, online again, charged, phone and wristband together).
    cleared_at = models.DateTimeField(_("condition cleared"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handling_notes = models.TextField(_("handling notes"), blank=True)
    actions_taken = models.TextField(_("actions taken"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring alert")
        verbose_name_plural = _("monitoring alerts")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["status", "raised_at"]),
            models.Index(fields=["supervisee", "kind", "cleared_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.supervisee}"


class AlertEventAction(models.TextChoices):
    RAISED = "raised", pgettext_lazy("monitoring", "Raised")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("monitoring", "Acknowledged")
    HANDLED = "handled", pgettext_lazy("monitoring", "Handled")
    CLOSED = "closed", pgettext_lazy("monitoring", "Closed")
    ESCALATED = "escalated", pgettext_lazy("monitoring", "Escalated")
    NOTIFIED = "notified", _("Sent through a channel")
    NOTIFY_FAILED = "notify_failed", _("Channel failed")


class AlertEvent(models.Model):
    """The alert's history: raised, acknowledged, handled, closed, escalated, notified."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=AlertEventAction.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")
        ordering = ["at", "id"]


class ShardFence(models.Model):
    """The fencing token of a Redis stream shard's current writer (scaled shape, `streams.py`).

    A writer that takes a shard over writes its token here before reading; every batch it
    commits checks, in its own transaction, that the token stored is still its own. A writer
    that stalled past its lease is refused, so it can never store after the shard's next owner."""

    shard = models.PositiveIntegerField(primary_key=True)
    token = models.BigIntegerField()

    class Meta:
        db_table = "monitoring_shard_fence"
        verbose_name = _("shard fence")
        verbose_name_plural = _("shard fences")

    def __str__(self) -> str:
        return f"{self.shard}: {self.token}"
