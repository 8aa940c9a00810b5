"""Check-in (报告) from the phone: challenge, live photo + position, server-side checks, flagged or accepted."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.faces.models import FaceCheck, FaceOutcome, Purpose
from zhengtu.faces.services import check_face
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervision.models import CheckIn, CheckInChannel, CheckInKind
from zhengtu.supervision.services.due import refresh_due_items
from zhengtu.workspace.services import notify

from .. import positions, rules
from ..area import check_area
from ..models import (
    AppCheckIn,
    AppDevice,
    CheckInChallenge,
    CheckInFlag,
    CheckInStatus,
    SpotCheck,
    SpotCheckStatus,
)
from .common import require_active, require_self

# A capture with no face or several faces is not a check-in: the person is asked to take it again.
RETAKE: dict[str, object] = {
    FaceOutcome.NO_FACE: gettext_lazy(
        "No face was found in the photo. Hold the phone in front of your face, in good light, and try again."
    ),
    FaceOutcome.SEVERAL_FACES: gettext_lazy(
        "More than one face is in the photo. Only you may be in the picture: try again."
    ),
    FaceOutcome.BAD_IMAGE: gettext_lazy("The photo is too small or unclear. Try again."),
}


@transaction.atomic
def issue_challenge(*, actor: Actor, supervisee: Supervisee) -> CheckInChallenge:
    require_self(actor, supervisee)
    require_active(supervisee)
    return CheckInChallenge.objects.create(
        supervisee=supervisee, nonce=secrets.token_urlsafe(24), issued_at=timezone.now()
    )


def _validate_position(latitude: float, longitude: float, accuracy_m: float) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or accuracy_m < 0:
        raise ValidationError(_("The position from the phone is not valid. Turn on location and try again."))


def submit_check_in(
    *,
    actor: Actor,
    supervisee: Supervisee,
    nonce: str,
    photo: bytes,
    latitude: float,
    longitude: float,
    accuracy_m: float,
    position_at: dt.datetime | None = None,
    device: AppDevice | None = None,
    now: dt.datetime | None = None,
) -> AppCheckIn:
    """Store a check-in with its checks. Raises ValidationError (Chinese, nothing stored but the face check
    attempt) for an unknown or used code, a bad position, a file that is no photo, no face or several faces."""
    require_self(actor, supervisee)
    require_active(supervisee)
    now = now or timezone.now()
    challenge = CheckInChallenge.objects.filter(supervisee=supervisee, nonce=nonce).first()
    if challenge is None:
        raise ValidationError(_("This check-in code is unknown. Start the check-in again."))
    if challenge.used_at is not None:
        raise ValidationError(_("This check-in code was already used. Start a new check-in."))
    _validate_position(latitude, longitude, accuracy_m)
    face = check_face(supervisee=supervisee, image=photo, purpose=Purpose.CHECKIN, actor=actor)
    if face.outcome in RETAKE:
        raise ValidationError(str(RETAKE[face.outcome]))
    flags: list[str] = []
    if face.outcome == FaceOutcome.MISMATCH:
        flags.append(CheckInFlag.FACE_MISMATCH)
    elif face.outcome == FaceOutcome.NO_REFERENCE:
        flags.append(CheckInFlag.NO_REFERENCE)
    area = check_area(supervisee, latitude=latitude, longitude=longitude, at=now)
    if not area.inside:
        flags.append(CheckInFlag.OUTSIDE_AREA)
    if accuracy_m > rules.max_accuracy_metres():
        flags.append(CheckInFlag.POOR_ACCURACY)
    if now - challenge.issued_at > rules.challenge_window() or (
        position_at is not None and now - position_at > rules.position_max_age()
    ):
        flags.append(CheckInFlag.STALE)
    if device is not None and not device.confirmed:
        flags.append(CheckInFlag.NEW_DEVICE)
    check_in = _store(
        actor=actor,
        supervisee=supervisee,
        challenge=challenge,
        face=face,
        flags=flags,
        area_note=area.note,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        position_at=position_at,
        device=device,
        now=now,
    )
    # After the commit, in its own transaction: monitoring's refusal never undoes the check-in.
    fix_time = position_at if position_at is not None and position_at <= now else now
    if positions.report_position(
        supervisee=supervisee, latitude=latitude, longitude=longitude, accuracy_m=accuracy_m, at=fix_time
    ):
        AppCheckIn.objects.filter(pk=check_in.pk).update(forwarded_to_monitoring=True)
        check_in.forwarded_to_monitoring = True
    return check_in


@transaction.atomic
def _store(
    *,
    actor: Actor,
    supervisee: Supervisee,
    challenge: CheckInChallenge,
    face: FaceCheck,
    flags: list[str],
    area_note: str,
    latitude: float,
    longitude: float,
    accuracy_m: float,
    position_at: dt.datetime | None,
    device: AppDevice | None,
    now: dt.datetime,
) -> AppCheckIn:
    # Claim the code first: of two concurrent submissions with it, exactly one gets past this line.
    if CheckInChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now) != 1:
        raise ValidationError(_("This check-in code was already used. Start a new check-in."))
    spot_check = (
        SpotCheck.objects.select_for_update()
        .filter(supervisee=supervisee, status=SpotCheckStatus.PENDING, requested_at__lte=now)
        .order_by("due_at")
        .first()
    )
    check_in = AppCheckIn.objects.create(
        supervisee=supervisee,
        face_check=face,
        challenge=challenge,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        position_at=position_at,
        received_at=now,
        status=CheckInStatus.FLAGGED if flags else CheckInStatus.ACCEPTED,
        flags=flags,
        area_note=area_note[:200],
        device=device,
        spot_check=spot_check,
    )
    if spot_check is not None:
        spot_check.status = SpotCheckStatus.ANSWERED
        spot_check.answered_at = now
        spot_check.save(update_fields=["status", "answered_at"])
    user = actor.user
    assert isinstance(user, User)
    if not flags:
        _write_ledger(check_in, recorded_by=user)
    else:
        notify(
            [supervisee.responsible_officer],
            title=_("App check-in to verify: %(name)s") % {"name": supervisee.name},
            body="；".join(check_in.flag_labels),
            url=reverse("appstaff:check_in", args=[check_in.pk]),
            kind="app_checkin_flagged",
        )
    record_event(
        actor,
        action=Action.CREATE,
        target=check_in,
        detail={
            "supervisee": supervisee.pk,
            "status": check_in.status,
            "flags": flags,
            "similarity": face.similarity,
            "spot_check": spot_check.pk if spot_check else None,
        },
    )
    return check_in


def _write_ledger(check_in: AppCheckIn, *, recorded_by: User, note: str = "") -> CheckIn:
    """The check-in enters the supervision ledger (channel "app"), so that what is due moves on."""
    similarity = check_in.face_check.similarity_percent
    content = _("Checked in on the phone: face similarity %(similarity)s%%, position ±%(accuracy)d m.") % {
        "similarity": "—" if similarity is None else similarity,
        "accuracy": round(check_in.accuracy_m),
    }
    if note:
        content = f"{content} {note}"
    entry = CheckIn.objects.create(
        supervisee=check_in.supervisee,
        kind=CheckInKind.CHECK_IN,
        channel=CheckInChannel.APP,
        occurred_on=timezone.localdate(check_in.received_at),
        content=content,
        recorded_by=recorded_by,
    )
    check_in.ledger_entry = entry
    check_in.save(update_fields=["ledger_entry"])
    refresh_due_items(supervisee_ids=[check_in.supervisee_id])
    return entry


@transaction.atomic
def accept_flagged(*, actor: Actor, check_in: AppCheckIn, reason: str) -> AppCheckIn:
    """The officer accepts a flagged check-in, saying why (e.g. "face covered by a mask; called him back")."""
    user = acting_user(actor, Capability.SUPERVISE, refusal=_("You are not allowed to do this."))
    check_in = AppCheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.status != CheckInStatus.FLAGGED:
        raise ValidationError(_("This check-in is not waiting for a decision."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for accepting this check-in.")})
    check_in.status = CheckInStatus.ACCEPTED_AFTER_REVIEW
    check_in.reviewed_by = user
    check_in.reviewed_at = timezone.now()
    check_in.review_reason = reason[:300]
    check_in.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    _write_ledger(check_in, recorded_by=user, note=_("Accepted by the officer: %(reason)s") % {"reason": reason[:200]})
    record_event(
        actor,
        action=Action.APPROVE,
        target=check_in,
        detail={"supervisee": check_in.supervisee_id, "flags": check_in.flags, "reason": reason[:300]},
    )
    return check_in
