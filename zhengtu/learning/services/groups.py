"""The lecturer pool and booked group sessions: QR sign-in on the phone (signed token as the association's
trainings do), a short evaluation, attendance hours counted in the services hours rule (learning.hours)."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation
from zhengtu.privacy.crypto import encrypt, mask_phone
from zhengtu.projects.models import ServiceProject
from zhengtu.projects.selectors import projects_visible_to
from zhengtu.supervisees.models import Supervisee

from ..models import GroupAttendance, GroupSession, GroupSessionPhoto, Lecturer
from ..rules import rule
from .content import _check_owner, _manager

SALT = "zhengtu.learning.group-session-sign-in"
# Sign-in is open from this long before the start until this long after it.
SIGN_IN_WINDOW = dt.timedelta(hours=4)


@transaction.atomic
def add_lecturer(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    profession: str,
    topics: str,
    work_unit: str = "",
    availability: str = "",
    phone: str = "",
) -> Lecturer:
    user = _manager(actor)
    _check_owner(user, organisation)
    lecturer = Lecturer(
        organisation=organisation,
        name=name.strip(),
        profession=profession,
        topics=topics.strip(),
        work_unit=work_unit.strip(),
        availability=availability.strip(),
        phone_encrypted=encrypt(phone.strip()) if phone.strip() else "",
        phone_masked=mask_phone(phone.strip()),
    )
    lecturer.full_clean()
    lecturer.save()
    record_event(actor, action=Action.CREATE, target=lecturer)
    return lecturer


@transaction.atomic
def book_session(
    *,
    actor: Actor,
    organisation: Organisation,
    lecturer: Lecturer,
    topic: str,
    starts_at: dt.datetime,
    hours: Decimal,
    place: str = "",
    project: ServiceProject | None = None,
) -> GroupSession:
    user = _manager(actor)
    _check_owner(user, organisation)
    if not organisation.is_within(lecturer.organisation) and not lecturer.organisation.is_within(organisation):
        raise ValidationError({"lecturer": _("This lecturer is not in your pool.")})
    if project is not None:
        if not projects_visible_to(user).filter(pk=project.pk).exists():
            raise ValidationError({"project": _("You cannot add records to this project.")})
        if not project.period_start <= timezone.localdate(starts_at) <= project.period_end:
            raise ValidationError(
                {
                    "project": _("The date must lie within the project's period (%(start)s to %(end)s).")
                    % {"start": project.period_start.isoformat(), "end": project.period_end.isoformat()}
                }
            )
    session = GroupSession(
        organisation=organisation,
        lecturer=lecturer,
        topic=topic.strip(),
        starts_at=starts_at,
        hours=hours,
        place=place.strip(),
        project=project,
        created_by=user,
    )
    session.full_clean()
    session.save()
    record_event(actor, action=Action.CREATE, target=session, detail={"lecturer": lecturer.pk})
    return session


def _mac(session: GroupSession) -> str:
    digest = salted_hmac(f"{SALT}:{session.sign_in_key}", str(session.pk), algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_in_token(session: GroupSession) -> str:
    return f"{session.pk}-{_mac(session)}"


def session_for_token(token: str) -> GroupSession:
    pk, _sep, mac = token.partition("-")
    session = GroupSession.objects.select_related("lecturer").filter(pk=int(pk)).first() if pk.isdigit() else None
    if session is None or not constant_time_compare(mac, _mac(session)):
        raise Http404
    return session


@transaction.atomic
def sign_in(*, actor: Actor, supervisee: Supervisee, token: str, now: dt.datetime | None = None) -> GroupAttendance:
    if actor.user is None or supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    session = session_for_token(token)
    # Locked: the first sign-ins of a session come at once, and only one may write its ledger record.
    session = GroupSession.objects.select_for_update(of=("self",)).select_related("lecturer").get(pk=session.pk)
    now = now or timezone.now()
    if abs(now - session.starts_at) > SIGN_IN_WINDOW:
        raise ValidationError(_("Sign-in for this session is not open now."))
    if not supervisee.responsible_office.is_within(session.organisation):
        raise ValidationError(_("This session is not for your office."))
    try:
        with transaction.atomic():
            attendance = GroupAttendance.objects.create(
                session=session, supervisee=supervisee, signed_in_at=now, held_on=timezone.localdate(session.starts_at)
            )
    except IntegrityError:
        return GroupAttendance.objects.get(session=session, supervisee=supervisee)
    record_event(actor, action=Action.CREATE, target=session, detail={"signed_in": supervisee.pk})
    _ledger(actor, session, supervisee)
    return attendance


def _ledger(actor: Actor, session: GroupSession, supervisee: Supervisee) -> None:
    """The session in the services ledger: its KPI session and the person's hours come from there (learning.hours
    leaves out sessions with a record), so nobody types the session in again."""
    from zhengtu.services.services import record_group_attendance

    if session.ledger_record_deleted:
        return  # staff deleted the session from the ledger: a late sign-in does not bring it back
    record = record_group_attendance(
        actor=actor,
        record=session.service_record,
        supervisee=supervisee,
        organisation=session.project.agency if session.project is not None else session.organisation,
        project=session.project,
        held_on=timezone.localdate(session.starts_at),
        duration_hours=session.hours,
        topic=session.topic,
        pool_lecturer=session.lecturer,
        place=session.place,
        recorded_by=session.created_by,
    )
    if session.service_record_id != record.pk:
        session.service_record = record
        session.save(update_fields=["service_record"])


@transaction.atomic
def evaluate(*, actor: Actor, attendance: GroupAttendance, rating: int, comment: str = "") -> GroupAttendance:
    if actor.user is None or attendance.supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    if not 1 <= rating <= 5:
        raise ValidationError(_("Give one to five stars."))
    attendance.rating, attendance.comment = rating, comment.strip()[:500]
    attendance.save(update_fields=["rating", "comment"])
    return attendance


def _as_jpeg(upload: UploadedFile) -> bytes:
    """The photo re-encoded as JPEG (upright, at most 1,600 px, without the camera's metadata); anything that is
    not a JPEG, PNG or WebP photo is refused with the shared Chinese message."""
    limit = int(rule("learning_session_photo_max_megabytes")) * 1024 * 1024
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB.")
            % {"name": upload.name, "mb": rule("learning_session_photo_max_megabytes")}
        )
    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            if image.format not in ("JPEG", "PNG", "WEBP") or image.width * image.height > 50_000_000:
                raise ValidationError(_("One of the files is not a photo (JPEG, PNG or WebP)."))
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("One of the files is not a photo (JPEG, PNG or WebP).")) from error
    picture.thumbnail((1600, 1600))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@transaction.atomic
def add_photos(*, actor: Actor, session: GroupSession, uploads: Sequence[UploadedFile]) -> list[GroupSessionPhoto]:
    """Photos of a held session. Every file is checked before any is stored: one bad file stores nothing."""
    user = _manager(actor)
    _check_owner(user, session.organisation)
    if not uploads:
        raise ValidationError(_("Choose at least one photo."))
    room = int(rule("learning_session_photos_max")) - session.photos.count()
    if len(uploads) > room:
        raise ValidationError(
            _("A session keeps at most %(max)s photos.") % {"max": rule("learning_session_photos_max")}
        )
    encoded = [(upload, _as_jpeg(upload)) for upload in uploads]
    photos = []
    for upload, data in encoded:
        photo = GroupSessionPhoto(session=session, original_name=(upload.name or "")[:200], uploaded_by=user)
        photo.photo.save(f"session-{session.pk}.jpg", ContentFile(data), save=False)
        photo.save()
        photos.append(photo)
    record_event(actor, action=Action.UPDATE, target=session, detail={"photos_added": len(photos)})
    return photos
