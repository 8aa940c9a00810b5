"""Checks shared by the app's services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Status, Supervisee

from .. import rules


def require_self(actor: Actor, supervisee: Supervisee) -> User:
    """The acting account, when it is the supervisee's own; PermissionDenied for anyone else."""
    user = actor.user
    if user is None or supervisee.user_id is None or user.pk != supervisee.user_id:
        raise PermissionDenied(_("Only the person themselves can do this in the app."))
    return user


def require_active(supervisee: Supervisee) -> None:
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise ValidationError(_("Your community correction is not in progress; the app is read-only."))


def read_upload(upload: UploadedFile, *, what: str) -> bytes:
    """The bytes of an upload within the size limit, else a Chinese refusal (nothing read into memory)."""
    limit = rules.upload_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(what)s is too large: at most %(mb)s MB.") % {"what": what, "mb": f"{limit / (1024 * 1024):.3g}"}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("%(what)s is too large: at most %(mb)s MB.") % {"what": what, "mb": f"{limit / (1024 * 1024):.3g}"}
        )
    return data
