"""Written reports (思想汇报) from the phone: text, photos (re-encoded, no EXIF) and a recorded voice note."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervision.models import CheckIn, CheckInChannel, CheckInKind
from zhengtu.supervision.services.due import refresh_due_items
from zhengtu.workspace.services import notify

from .. import rules
from ..models import ReportPhoto, WrittenReport
from .common import read_upload, require_active, require_self

# What MediaRecorder produces in Chromium (webm/opus), Firefox (ogg/opus) and Safari (mp4/aac).
VOICE_TYPES = {"audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a", "audio/mpeg": "mp3", "audio/aac": "aac"}
# The first bytes of each container: the declared type is the browser's word, the bytes are checked too.
VOICE_MAGIC = (b"\x1a\x45\xdf\xa3", b"OggS", b"ID3", b"\xff\xf1", b"\xff\xf9", b"\xff\xfb")


def _photo_jpeg(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 50_000_000:
                raise ValidationError(_("A photo is too large to read."))
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("One of the files is not a photo (JPEG, PNG or WebP).")) from error
    picture.thumbnail((1600, 1600))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _voice_extension(upload: UploadedFile, data: bytes) -> str:
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    extension = VOICE_TYPES.get(content_type)
    looks_like_audio = data.startswith(VOICE_MAGIC) or data[4:8] == b"ftyp"
    if extension is None or not looks_like_audio:
        raise ValidationError(_("The voice note is not a recording this app can keep. Record it again."))
    return extension


def submit_report(
    *,
    actor: Actor,
    supervisee: Supervisee,
    text: str,
    photos: Sequence[UploadedFile] = (),
    voice: UploadedFile | None = None,
    voice_seconds: int | None = None,
) -> WrittenReport:
    """Store a written report and enter it in the ledger (channel "app"). All files are checked before anything
    is written: a refusal stores nothing."""
    user = require_self(actor, supervisee)
    require_active(supervisee)
    text = text.strip()
    if not text and not photos and voice is None:
        raise ValidationError({"text": _("Write your report, or add a voice note or a photo of it.")})
    if len(text) > 20000:
        raise ValidationError({"text": _("The report is too long (at most 20000 characters).")})
    if len(photos) > rules.report_max_photos():
        raise ValidationError({"photos": _("At most %(n)d photos per report.") % {"n": rules.report_max_photos()}})
    jpegs = [_photo_jpeg(read_upload(photo, what=_("A photo"))) for photo in photos]
    voice_data, voice_extension = b"", ""
    if voice is not None:
        voice_data = read_upload(voice, what=_("The voice note"))
        voice_extension = _voice_extension(voice, voice_data)
        if voice_seconds is not None and voice_seconds > rules.voice_max_seconds():
            raise ValidationError(
                {"voice": _("The voice note is too long: at most %(n)d seconds.") % {"n": rules.voice_max_seconds()}}
            )
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = WrittenReport(supervisee=supervisee, text=text, voice_seconds=voice_seconds if voice else None)
            if voice is not None:
                report.voice_note.save(f"{uuid.uuid4().hex}.{voice_extension}", ContentFile(voice_data), save=False)
                stored.append(report.voice_note.name)
            report.save()
            for jpeg in jpegs:
                photo = ReportPhoto(report=report)
                photo.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(jpeg), save=False)
                stored.append(photo.photo.name)
                photo.save()
            summary = text[:500] or _("(voice note or photos only)")
            report.ledger_entry = CheckIn.objects.create(
                supervisee=supervisee,
                kind=CheckInKind.WRITTEN_REPORT,
                channel=CheckInChannel.APP,
                occurred_on=timezone.localdate(),
                content=summary,
                recorded_by=user,
            )
            report.save(update_fields=["ledger_entry"])
            record_event(
                actor,
                action=Action.CREATE,
                target=report,
                detail={"supervisee": supervisee.pk, "photos": len(jpegs), "voice": voice is not None},
            )
            notify(
                [supervisee.responsible_officer],
                title=_("Written report from the app: %(name)s") % {"name": supervisee.name},
                body=text[:200],
                url=reverse("supervision:file", args=[supervisee.pk]),
                kind="app_report",
            )
            refresh_due_items(supervisee_ids=[supervisee.pk])
    except Exception:
        storage = WrittenReport._meta.get_field("voice_note").storage  # type: ignore[attr-defined]
        for name in stored:
            storage.delete(name)
        raise
    return report
