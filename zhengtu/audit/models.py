"""The append-only audit log. Each entry carries the hash of the one before it."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Role

from . import keying


class Action(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN_LOCKED = "login_locked", _("Login refused: locked out")
    LOGOUT = "logout", _("Logout")
    OTP_ENROLLED = "otp_enrolled", _("Two-factor enrolment")
    API_TOKEN = "api_token", _("API token issued")
    VIEW = "view", _("View")
    REVEAL = "reveal", _("Reveal")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    STATUS = "status", _("Status change")
    PURGE = "purge", _("Retention purge")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


def _canonical_ip(value: str | None) -> str | None:
    """The address as Python spells it: PostgreSQL's inet may print the same address differently."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


class ChainHead(models.Model):
    """A single row locked while appending, so that entries form one chain under concurrency."""

    last_hash = models.CharField(max_length=64, default="")
    last_sequence = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")


class AuditEntry(models.Model):
    sequence = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    user_id_snapshot = models.BigIntegerField(null=True, blank=True, db_index=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    organisation_id_snapshot = models.BigIntegerField(null=True, blank=True)
    organisation_path = models.CharField(max_length=255, blank=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object id"), max_length=50, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    @property
    def role_label(self) -> str:
        """The role at the time, in the reader's language (the snapshot keeps the code)."""
        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role

    def canonical_payload(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "user_id": self.user_id_snapshot,
            "username": self.username,
            "role": self.role,
            "organisation_id": self.organisation_id_snapshot,
            "organisation_path": self.organisation_path,
            "organisation_name": self.organisation_name,
            "ip_address": _canonical_ip(self.ip_address),
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "outcome": self.outcome,
            "detail": self.detail,
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self, *, keyed: bool = True) -> str:
        """HMAC under the audit key; `keyed=False` only for entries written before the key (ChainKeying)."""
        encoded = json.dumps(self.canonical_payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        if keyed:
            return keying.keyed_hash(encoded.encode())
        return keying.unkeyed_hash(encoded.encode())

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit entries are append-only; use the retention purge command.")


class ChainKeying(models.Model):
    """ "The audit key was introduced at entry N": entries before N keep the old unkeyed hash.

    Signed with the key itself (keying.keying_message), so a database writer cannot move N.
    """

    first_keyed_sequence = models.BigIntegerField(unique=True)
    introduced_at = models.DateTimeField()
    key_fingerprint = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain keying")
        verbose_name_plural = _("audit chain keyings")

    def signature_is_valid(self) -> bool:
        message = keying.keying_message(self.first_keyed_sequence, self.key_fingerprint)
        return keying.signature_is_valid(message, self.signature)


class AuditPurge(models.Model):
    """Where the chain now starts after a retention purge.

    The verifier accepts a first remaining entry other than sequence 1 only if a purge record
    says that everything up to the sequence before it was purged, and with which last hash;
    deleting the oldest entries by hand therefore still shows as a gap.
    """

    purged_at = models.DateTimeField(_("purged at"))
    through_sequence = models.BigIntegerField(_("purged through sequence"), unique=True)
    last_hash = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField(_("entries purged"))
    cutoff = models.DateTimeField(_("entries older than"))

    class Meta:
        verbose_name = _("audit purge")
        verbose_name_plural = _("audit purges")
        ordering = ["-through_sequence"]

    def __str__(self) -> str:
        return f"≤{self.through_sequence}"


class EventCounter(models.Model):
    """How often one kind of event came from one source in one time window.

    Lets anonymous floods (bogus API tokens, failed logins of unknown names) be counted instead
    of each writing an audit entry, and rate limits be shared by every web process.
    """

    scope = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    summarised = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("event counter")
        verbose_name_plural = _("event counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="audit_eventcounter_once_per_window")
        ]
        indexes = [models.Index(fields=["window_start", "scope"])]
