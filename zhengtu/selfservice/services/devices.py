"""Device binding: each browser the person uses is recorded; a new one is confirmed by a face check at sign-in.

The browser keeps a random id in a long-lived, HTTP-only cookie; the server keeps only its SHA-256. The officer sees
the devices on the person's file and can revoke one: that browser then has to pass the face check again.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.faces.models import FaceCheck, Purpose
from zhengtu.faces.services import check_face
from zhengtu.supervisees.models import Supervisee

from ..models import AppDevice
from .common import require_self

COOKIE = "zt_app_device"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def device_for(supervisee: Supervisee, token: str) -> AppDevice | None:
    if not token:
        return None
    return AppDevice.objects.filter(supervisee=supervisee, token_hash=_hash(token)).first()


@transaction.atomic
def see_device(*, actor: Actor, supervisee: Supervisee, token: str, label: str) -> AppDevice:
    """The device record of this browser, made on its first visit (audited), its last use updated."""
    require_self(actor, supervisee)
    now = timezone.now()
    device = device_for(supervisee, token)
    if device is None:
        device = AppDevice.objects.create(
            supervisee=supervisee, token_hash=_hash(token), label=label[:200], last_seen_at=now
        )
        record_event(
            actor, action=Action.CREATE, target=device, detail={"supervisee": supervisee.pk, "label": label[:200]}
        )
    elif (now - device.last_seen_at).total_seconds() > 300:
        device.last_seen_at = now
        device.save(update_fields=["last_seen_at"])
    return device


def verify_device(*, actor: Actor, supervisee: Supervisee, device: AppDevice, photo: bytes) -> FaceCheck:
    """The face check at sign-in on a new (or revoked) device; a match confirms the device."""
    require_self(actor, supervisee)
    check = check_face(supervisee=supervisee, image=photo, purpose=Purpose.SIGNIN, actor=actor)
    if check.matched:
        with transaction.atomic():
            device.face_verified_at = timezone.now()
            device.revoked_at = None
            device.revoked_by = None
            device.save(update_fields=["face_verified_at", "revoked_at", "revoked_by"])
            record_event(actor, action=Action.UPDATE, target=device, detail={"confirmed": True, "face_check": check.pk})
    return check


@transaction.atomic
def revoke_device(*, actor: Actor, device: AppDevice) -> AppDevice:
    user = acting_user(actor, Capability.SUPERVISE, refusal=_("You are not allowed to do this."))
    device.revoked_at = timezone.now()
    device.revoked_by = user
    device.face_verified_at = None
    device.save(update_fields=["revoked_at", "revoked_by", "face_verified_at"])
    record_event(
        actor, action=Action.UPDATE, target=device, detail={"revoked": True, "supervisee": device.supervisee_id}
    )
    return device
