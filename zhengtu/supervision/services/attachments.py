"""Files in a person's archives: evidence, photos, scans. Checked here, linked to what they document."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.supervisees.models import Supervisee

from ..models import Attachment
from .access import NOT_ALLOWED

DEFAULT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "gif", "webp", "docx", "doc", "xlsx", "txt")
DEFAULT_MAX_MEGABYTES = 20


def allowed_extensions() -> tuple[str, ...]:
    return tuple(getattr(settings, "ZHENGTU_ATTACHMENT_EXTENSIONS", DEFAULT_EXTENSIONS))


def check_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed_extensions():
        raise ValidationError(
            _("“%(name)s” is not an accepted file type (accepted: %(types)s).")
            % {"name": name, "types": ", ".join(allowed_extensions())}
        )
    limit = int(getattr(settings, "ZHENGTU_ATTACHMENT_MAX_MEGABYTES", DEFAULT_MAX_MEGABYTES))
    if upload.size is not None and upload.size > limit * 1024 * 1024:
        raise ValidationError(_("“%(name)s” is larger than %(limit)d MB.") % {"name": name, "limit": limit})


@transaction.atomic
def attach_files(
    *,
    actor: Actor,
    supervisee: Supervisee,
    uploads: Iterable[UploadedFile],
    subject: models.Model | None = None,
    title: str = "",
    execution_archive: bool = False,
    work_archive: bool = True,
) -> list[Attachment]:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    uploads = list(uploads)
    for upload in uploads:
        check_upload(upload)
    created = []
    for upload in uploads:
        attachment = Attachment(
            supervisee=supervisee,
            title=(title or upload.name or "")[:200],
            content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            object_id=subject.pk if subject is not None else None,
            in_execution_archive=execution_archive,
            in_work_archive=work_archive,
            uploaded_by=actor.user,
        )
        attachment.file.save(upload.name or "upload", upload, save=False)
        attachment.save()
        created.append(attachment)
        record_event(actor, action=Action.CREATE, target=attachment, detail={"supervisee": supervisee.pk})
    return created
