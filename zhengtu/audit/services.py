"""Writing to the audit log. Every domain calls `record_event`; nothing else writes entries."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import keying
from .models import Action, AuditEntry, AuditPurge, ChainHead, Outcome
from .rules import minimum_retention_days, retention_days
from .sqlite_guard import changes_allowed

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


GENESIS_HASH = "0" * 64

# Name of the PostgreSQL transaction-local setting the audit trigger checks before it lets a
# DELETE through (migration 0003); only purge_expired_entries sets it.
PURGE_SETTING = "zhengtu.audit_purge"


@dataclass(frozen=True)
class Actor:
    """Who did it and from where; built from a request or given explicitly (commands, jobs)."""

    user: User | None = None
    ip_address: str | None = None
    username: str = ""

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        """Accepts a Django HttpRequest or a DRF Request (whose `user` is the API-authenticated one)."""
        user = getattr(request, "user", None)
        return cls(
            user=user if user is not None and user.is_authenticated else None,
            ip_address=client_ip(request),
        )


def client_ip(request: Any) -> str | None:
    """The client address, normalised; None when nothing usable was sent.

    Behind the reverse proxy of the scaled shape REMOTE_ADDR is the proxy, which overwrites
    X-Real-IP (docs/operations.md); that header is trusted only when
    settings.ZHENGTU_TRUST_X_REAL_IP says so, otherwise any client could write its own address
    into the audit log.
    """
    meta = request.META
    candidates = [meta.get("REMOTE_ADDR")]
    if getattr(settings, "ZHENGTU_TRUST_X_REAL_IP", False):
        candidates.insert(0, meta.get("HTTP_X_REAL_IP"))
    for candidate in candidates:
        if not candidate:
            continue
        if address := normalised_ip(str(candidate)):
            return address
    return None


def normalised_ip(value: str) -> str | None:
    """One spelling per address (IPv4-mapped IPv6 as plain IPv4), so that hashes survive the database."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def _label_of(target: models.Model) -> str:
    """The record as people read it: its own text, or its model's (Chinese) name and id rather than Django's
    English "VolunteerHours object (8)" for a model without one."""
    if type(target).__str__ is models.Model.__str__:
        with translation.override(settings.LANGUAGE_CODE):
            return f"{target._meta.verbose_name} #{target.pk}"
    return str(target)


def record_event(
    actor: Actor | HttpRequest | Any,
    *,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. `actor` is an Actor, an HttpRequest or a DRF Request."""
    if actor is None:
        actor = Actor()
    elif not isinstance(actor, Actor):
        actor = Actor.from_request(actor)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_label = object_label or _label_of(target)[:200]
    user = actor.user
    organisation = getattr(user, "organisation", None) if user else None
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            user_id_snapshot=user.pk if user else None,
            username=(user.username if user else actor.username)[:150],
            role=(user.role if user else "")[:30],
            organisation_id_snapshot=organisation.pk if organisation else None,
            organisation_path=organisation.path if organisation else "",
            organisation_name=organisation.name if organisation else "",
            ip_address=actor.ip_address,
            action=action,
            object_type=object_type[:50],
            object_id=object_id[:50],
            object_label=object_label[:200],
            outcome=outcome,
            detail=detail or {},
            previous_hash=head.last_hash or GENESIS_HASH,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head.last_hash = entry.entry_hash
        head.last_sequence = entry.sequence
        head.save(update_fields=["last_hash", "last_sequence"])
    return entry


@dataclass(frozen=True)
class PurgeResult:
    cutoff: dt.datetime
    entry_count: int
    through_sequence: int | None


@transaction.atomic
def purge_expired_entries(*, actor: Actor, days: int | None = None, dry_run: bool = False) -> PurgeResult:
    """Delete the oldest entries, older than the retention period, as one prefix of the chain.

    Refuses a retention shorter than the legal minimum. The last purged hash is kept in an
    AuditPurge record so the verifier can still check where the remaining chain starts, and
    the purge itself is recorded as the next entry.
    """
    days = retention_days() if days is None else days
    minimum = minimum_retention_days()
    if days < minimum:
        raise ValidationError(
            _("Audit entries must be kept at least %(minimum)d days; %(days)d days is too short.")
            % {"minimum": minimum, "days": days}
        )
    cutoff = timezone.now() - dt.timedelta(days=days)
    # Only a prefix of the chain may go: stop before the first entry that is still young, so
    # an entry written with a skewed clock cannot punch a hole in the middle.
    first_young = (
        AuditEntry.objects.filter(occurred_at__gte=cutoff).order_by("sequence").values_list("sequence", flat=True)
    ).first()
    expired = AuditEntry.objects.filter(occurred_at__lt=cutoff)
    if first_young is not None:
        expired = expired.filter(sequence__lt=first_young)
    last = expired.order_by("-sequence").first()
    if last is None:
        return PurgeResult(cutoff=cutoff, entry_count=0, through_sequence=None)
    doomed = AuditEntry.objects.filter(sequence__lte=last.sequence)
    count = doomed.count()
    if dry_run:
        return PurgeResult(cutoff=cutoff, entry_count=count, through_sequence=last.sequence)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
    with changes_allowed():
        doomed.delete()
    AuditPurge.objects.create(
        purged_at=timezone.now(),
        through_sequence=last.sequence,
        last_hash=last.entry_hash,
        entry_count=count,
        cutoff=cutoff,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_SETTING])
    record_event(
        actor,
        action=Action.PURGE,
        object_type="audit.auditentry",
        detail={"through_sequence": last.sequence, "entries": count, "retention_days": days},
    )
    return PurgeResult(cutoff=cutoff, entry_count=count, through_sequence=last.sequence)


def write_checkpoint() -> keying.Checkpoint | None:
    """Append the current head (sequence and hash) to the signed checkpoint file outside the database."""
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or head.last_sequence == 0:
        return None
    return keying.append_checkpoint(sequence=head.last_sequence, entry_hash=head.last_hash)
