"""Daily supervision: check-ins, written reports and visits, with their attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.supervisees.models import Supervisee

from ..models import CheckIn, CheckInChannel, CheckInKind, Visit, VisitKind
from .access import NOT_ALLOWED, require_under_supervision
from .attachments import attach_files, check_upload
from .due import refresh_due_items


def _check_date(value: dt.date, field: str, supervisee: Supervisee) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if value < supervisee.term_start:
        raise ValidationError(
            {field: _("The date is before the term started (%(date)s).") % {"date": supervisee.term_start}}
        )


@transaction.atomic
def record_check_in(
    *,
    actor: Actor,
    supervisee: Supervisee,
    kind: str,
    channel: str,
    occurred_on: dt.date,
    content: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> CheckIn:
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    if kind not in CheckInKind.values:
        raise ValidationError({"kind": _("Choose a check-in or a written report.")})
    if channel not in CheckInChannel.values:
        raise ValidationError({"channel": _("Choose how the person reported.")})
    _check_date(occurred_on, "occurred_on", supervisee)
    if kind == CheckInKind.WRITTEN_REPORT and not content.strip() and not attachments:
        raise ValidationError({"content": _("A written report needs its text or a scan of it.")})
    for upload in attachments:
        check_upload(upload)
    check_in = CheckIn.objects.create(
        supervisee=supervisee,
        kind=kind,
        channel=channel,
        occurred_on=occurred_on,
        content=content.strip(),
        recorded_by=user,
    )
    if attachments:
        attach_files(actor=actor, supervisee=supervisee, uploads=attachments, subject=check_in, work_archive=True)
    record_event(actor, action=Action.CREATE, target=check_in, detail={"supervisee": supervisee.pk, "kind": kind})
    refresh_due_items(supervisee_ids=[supervisee.pk])
    return check_in


@transaction.atomic
def record_visit(
    *,
    actor: Actor,
    supervisee: Supervisee,
    kind: str,
    visited_on: dt.date,
    place: str,
    notes: str,
    people_met: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Visit:
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    errors: dict[str, str] = {}
    if kind not in VisitKind.values:
        errors["kind"] = _("Choose the kind of visit.")
    if not place.strip():
        errors["place"] = _("Enter where the visit took place.")
    if not notes.strip():
        errors["notes"] = _("Write down what was found during the visit.")
    if errors:
        raise ValidationError(errors)
    _check_date(visited_on, "visited_on", supervisee)
    for upload in photos:
        check_upload(upload)
    visit = Visit.objects.create(
        supervisee=supervisee,
        kind=kind,
        visited_on=visited_on,
        place=place.strip(),
        people_met=people_met.strip(),
        notes=notes.strip(),
        recorded_by=user,
    )
    if photos:
        attach_files(actor=actor, supervisee=supervisee, uploads=photos, subject=visit, work_archive=True)
    record_event(actor, action=Action.CREATE, target=visit, detail={"supervisee": supervisee.pk, "kind": kind})
    refresh_due_items(supervisee_ids=[supervisee.pk])
    return visit
