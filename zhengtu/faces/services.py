"""Writes of the face checks. `check_face` is the one entry point for every app that needs a face check."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.supervisees.models import Supervisee

from . import rules
from .matcher import FaceMatcher, UnreadableImage, get_matcher, load_image
from .models import FaceCheck, FaceOutcome, Purpose, RegistryEncoding


def check_face(*, supervisee: Supervisee, image: bytes, purpose: str, actor: Actor) -> FaceCheck:
    """Compare a captured photo with the person's registry photo and store the check with its outcome.

    Returns the stored FaceCheck whatever the outcome (match, mismatch, no face, several faces, unusable or no
    registry photo): the caller decides what a non-match means for its purpose. Raises ValidationError (Chinese
    message, nothing stored) when the upload is empty, too large, or not an image at all.
    """
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose of the face check."))
    if not image:
        raise ValidationError(_("No photo was received. Take the photo again."))
    if len(image) > rules.max_bytes():
        raise ValidationError(
            _("The photo is too large: at most %(mb)s MB.") % {"mb": f"{rules.max_bytes() / (1024 * 1024):.3g}"}
        )
    try:
        picture = load_image(image, max_side=rules.max_side_pixels())
    except UnreadableImage as error:
        raise ValidationError(
            _("This file is not a photo we can read. Take the photo with the camera again.")
        ) from error

    matcher = get_matcher()
    threshold = rules.min_similarity()
    similarity: float | None = None
    face_count = 0
    if min(picture.size) < rules.min_side_pixels():
        outcome = FaceOutcome.BAD_IMAGE
    else:
        reading = matcher.read(picture)
        face_count = reading.face_count
        if face_count == 0:
            outcome = FaceOutcome.NO_FACE
        elif face_count > 1:
            outcome = FaceOutcome.SEVERAL_FACES
        else:
            reference = registry_encoding(supervisee=supervisee, matcher=matcher)
            if reference is None or reading.encoding is None:
                outcome = FaceOutcome.NO_REFERENCE
            else:
                similarity = round(matcher.similarity(reading.encoding, reference), 4)
                outcome = FaceOutcome.MATCH if similarity >= threshold else FaceOutcome.MISMATCH

    # Stored re-encoded: the phone's EXIF (GPS position, device serial) never reaches the disk.
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return _store(
        supervisee=supervisee,
        purpose=purpose,
        actor=actor,
        jpeg=buffer.getvalue(),
        outcome=outcome,
        similarity=similarity,
        threshold=threshold,
        face_count=face_count,
        engine=matcher.engine,
    )


@transaction.atomic
def _store(
    *,
    supervisee: Supervisee,
    purpose: str,
    actor: Actor,
    jpeg: bytes,
    outcome: str,
    similarity: float | None,
    threshold: float,
    face_count: int,
    engine: str,
) -> FaceCheck:
    check = FaceCheck(
        supervisee=supervisee,
        purpose=purpose,
        outcome=outcome,
        similarity=similarity,
        threshold=threshold,
        face_count=face_count,
        engine=engine,
        reference_name=supervisee.photo.name if supervisee.photo else "",
        created_by=actor.user,
    )
    check.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg), save=False)
    try:
        check.save()
        record_event(
            actor,
            action=Action.CREATE,
            target=check,
            detail={"supervisee": supervisee.pk, "purpose": purpose, "outcome": outcome, "similarity": similarity},
        )
    except Exception:
        check.photo.delete(save=False)
        raise
    return check


def registry_encoding(*, supervisee: Supervisee, matcher: FaceMatcher | None = None) -> tuple[float, ...] | None:
    """The encoding of the person's registry photo, or None when there is no photo with exactly one face.

    Cached per photo file and engine; a replaced photo has a new (random) file name, so it is read again.
    """
    matcher = matcher or get_matcher()
    if not supervisee.photo:
        return None
    photo_name = supervisee.photo.name
    cached = RegistryEncoding.objects.filter(supervisee=supervisee).first()
    if cached is not None and cached.photo_name == photo_name and cached.engine == matcher.engine:
        return tuple(cached.encoding) if cached.encoding else None
    try:
        with supervisee.photo.open("rb") as handle:
            data = handle.read()
        reading = matcher.read(load_image(data, max_side=rules.max_side_pixels()))
    except (FileNotFoundError, UnreadableImage):
        return None
    encoding = reading.encoding if reading.face_count == 1 else None
    RegistryEncoding.objects.update_or_create(
        supervisee=supervisee,
        defaults={
            "photo_name": photo_name,
            "engine": matcher.engine,
            "face_count": reading.face_count,
            "encoding": list(encoding) if encoding else None,
        },
    )
    return encoding


def purge_expired_photos(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Delete the photos of face checks older than the retention period; the outcome and score stay."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=rules.photo_retention_days())
    count = 0
    for check in FaceCheck.objects.filter(created_at__lt=cutoff).exclude(photo=""):
        check.photo.delete(save=False)
        check.save(update_fields=["photo"])
        count += 1
    if count:
        record_event(actor, action=Action.PURGE, object_type="faces.facecheck", detail={"photos": count})
    return count
