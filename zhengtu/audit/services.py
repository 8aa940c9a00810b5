"""Writing to the audit log. Every domain calls `record_event`; nothing else writes entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEntry, ChainHead, Outcome

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did it and from where; built from a request or given explicitly (commands, jobs)."""

    user: User | None = None
    ip_address: str | None = None
    username: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = getattr(request, "user", None)
        return cls(
            user=user if user is not None and user.is_authenticated else None,
            ip_address=client_ip(request),
        )


def client_ip(request: HttpRequest) -> str | None:
    # Behind the reverse proxy of the scaled shape, REMOTE_ADDR is the proxy; the proxy is
    # configured to overwrite X-Real-IP (docs/operations.md), which we then trust.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def record_event(
    actor: Actor | HttpRequest,
    *,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    if isinstance(actor, HttpRequest):
        actor = Actor.from_request(actor)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_label = object_label or str(target)[:200]
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
