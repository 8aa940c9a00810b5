"""Writes to the service ledger. The record page, the API, the Excel import and the demo all
come through `record_service`, so the rules (scope, dates, hours, attendees) hold everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.privacy.crypto import encrypt
from zhengtu.projects.models import ServiceProject
from zhengtu.projects.selectors import can_manage_project, projects_open_for_recording
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import (
    AttachmentKind,
    CounsellingNote,
    RecordSource,
    ServiceAttachment,
    ServiceAttendance,
    ServiceKind,
    ServiceMode,
    ServiceRecord,
    VisitType,
)
from .rules import attachment_extensions, attachment_max_bytes, max_record_hours
from .selectors import can_read_counselling_note

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.learning.models import Lecturer
    from zhengtu.orgs.models import Organisation
    from zhengtu.supervisees.models import Supervisee

# Kinds whose duration is credited to the attendees' monthly hours must last some time.
TIMED_KINDS = {ServiceKind.EDUCATION, ServiceKind.COMMUNITY_SERVICE, ServiceKind.COUNSELLING}


def _recorder(actor: Actor) -> User:
    user = acting_user(actor, Capability.RECORD_SERVICES)
    return user


def _check_attachment(upload: UploadedFile) -> None:
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in attachment_extensions():
        raise ValidationError(
            {
                "attachments": _("“%(name)s” is not an accepted file (accepted: %(types)s).")
                % {"name": upload.name, "types": "、".join(attachment_extensions())}
            }
        )
    if (upload.size or 0) > attachment_max_bytes():
        raise ValidationError(
            {
                "attachments": _("“%(name)s” is larger than %(mb)s MB.")
                % {"name": upload.name, "mb": attachment_max_bytes() // 1048576}
            }
        )


def _validate(
    *,
    user: User,
    project: ServiceProject | None,
    kind: str,
    mode: str,
    visit_type: str,
    held_on: dt.date,
    duration_hours: Decimal,
    topic: str,
    attendees: Sequence[Supervisee],
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if project is not None:
        if not projects_open_for_recording(user).filter(pk=project.pk).exists():
            add("project", _("You cannot add records to this project."))
        elif not project.period_start <= held_on <= project.period_end:
            add(
                "held_on",
                _("The date must lie within the project's period (%(start)s to %(end)s).")
                % {"start": project.period_start.isoformat(), "end": project.period_end.isoformat()},
            )
    elif user.organisation is None:
        add("project", _("Choose the project this record belongs to."))
    if kind not in ServiceKind.values:
        add("kind", _("Unknown kind of service."))
    if mode not in ServiceMode.values:
        add("mode", _("Choose group or individual."))
    if kind == ServiceKind.VISIT and visit_type not in VisitType.values:
        add("visit_type", _("Choose the type of visit: routine, focus or special."))
    if held_on > timezone.localdate():
        add("held_on", _("A record cannot be dated in the future."))
    if duration_hours < 0 or duration_hours > max_record_hours():
        add("duration_hours", _("The duration must be between 0 and %(max)s hours.") % {"max": max_record_hours()})
    elif kind in TIMED_KINDS and duration_hours == 0:
        add("duration_hours", _("Give the duration in hours (for example 2 or 1.5)."))
    if not topic.strip():
        add("topic", _("Give the topic or content."))
    if not attendees:
        add("attendees", _("Choose at least one supervisee who took part."))
    elif mode == ServiceMode.INDIVIDUAL and len(attendees) != 1:
        add("attendees", _("An individual session has exactly one supervisee."))
    if len({a.pk for a in attendees}) != len(attendees):
        add("attendees", _("A supervisee is listed twice."))
    ids = {a.pk for a in attendees}
    visible = set(supervisees_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for person in attendees:
        if person.pk not in visible:
            add("attendees", _("%(name)s is not among the supervisees you work with.") % {"name": person.name})
        elif not person.term_start <= held_on <= person.term_end:
            add(
                "attendees",
                _("%(name)s was not under community correction on %(date)s.")
                % {"name": person.name, "date": held_on.isoformat()},
            )
    if errors:
        raise ValidationError(errors)


def _lecturer_name(text: str, pool_lecturer: Lecturer | None) -> str:
    """The free text, or the pool lecturer's name when none was typed (the ledger and its exports read the text)."""
    return text.strip() or (pool_lecturer.name if pool_lecturer is not None else "")


def _save_attendees(record: ServiceRecord, attendees: Sequence[Supervisee]) -> None:
    record.attendances.all().delete()
    ServiceAttendance.objects.bulk_create(
        [
            ServiceAttendance(
                record=record, supervisee=person, hours=record.duration_hours, held_on=record.held_on, kind=record.kind
            )
            for person in attendees
        ]
    )


def _save_attachments(record: ServiceRecord, uploads: Sequence[UploadedFile], user: User) -> None:
    for upload in uploads:
        extension = Path(upload.name or "").suffix.lower()
        kind = AttachmentKind.PHOTO if extension in (".jpg", ".jpeg", ".png", ".webp") else AttachmentKind.MATERIAL
        ServiceAttachment.objects.create(
            record=record, kind=kind, file=upload, original_name=(upload.name or "")[:200], uploaded_by=user
        )


@transaction.atomic
def record_service(
    *,
    actor: Actor,
    kind: str,
    held_on: dt.date,
    duration_hours: Decimal,
    topic: str,
    attendees: Sequence[Supervisee],
    project: ServiceProject | None = None,
    mode: str = ServiceMode.GROUP,
    visit_type: str = "",
    lecturer: str = "",
    pool_lecturer: Lecturer | None = None,
    place: str = "",
    materials: str = "",
    summary: str = "",
    counselling_note: str = "",
    attachments: Sequence[UploadedFile] = (),
    source: str = RecordSource.FORM,
) -> ServiceRecord:
    """Put one session (or visit, test, installation) and its attendees in the ledger."""
    user = _recorder(actor)
    attendees = list(attendees)
    _validate(
        user=user,
        project=project,
        kind=kind,
        mode=mode,
        visit_type=visit_type,
        held_on=held_on,
        duration_hours=duration_hours,
        topic=topic,
        attendees=attendees,
    )
    for upload in attachments:
        _check_attachment(upload)
    organisation = project.agency if project is not None else user.organisation
    assert organisation is not None
    record = ServiceRecord.objects.create(
        project=project,
        organisation=organisation,
        kind=kind,
        mode=mode,
        visit_type=visit_type if kind == ServiceKind.VISIT else "",
        held_on=held_on,
        duration_hours=duration_hours,
        topic=topic.strip(),
        lecturer=_lecturer_name(lecturer, pool_lecturer),
        pool_lecturer=pool_lecturer,
        place=place.strip(),
        materials=materials.strip(),
        summary=summary.strip(),
        counsellor=user if kind == ServiceKind.COUNSELLING else None,
        source=source,
        recorded_by=user,
    )
    _save_attendees(record, attendees)
    _save_attachments(record, attachments, user)
    if kind == ServiceKind.COUNSELLING and counselling_note.strip():
        CounsellingNote.objects.create(record=record, text_encrypted=encrypt(counselling_note.strip()), written_by=user)
    record_event(
        actor,
        action=Action.CREATE,
        target=record,
        detail={
            "kind": kind,
            "project": project.pk if project else None,
            "attendees": len(attendees),
            "source": source,
        },
    )
    return record


def can_edit_record(user: User, record: ServiceRecord) -> bool:
    if not can(user, Capability.RECORD_SERVICES):
        return False
    if record.recorded_by_id == user.pk or (record.counsellor_id is not None and record.counsellor_id == user.pk):
        return True
    return record.project is not None and can_manage_project(user, record.project)


@transaction.atomic
def update_service(
    *,
    actor: Actor,
    record: ServiceRecord,
    held_on: dt.date,
    duration_hours: Decimal,
    topic: str,
    attendees: Sequence[Supervisee],
    mode: str,
    visit_type: str = "",
    lecturer: str = "",
    pool_lecturer: Lecturer | None = None,
    place: str = "",
    materials: str = "",
    summary: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> ServiceRecord:
    user = _recorder(actor)
    if not can_edit_record(user, record):
        raise PermissionDenied
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    attendees = list(attendees)
    # Attendees the editor cannot see stay as they were: editing never drops someone silently.
    visible = set(supervisees_visible_to(user).values_list("pk", flat=True))
    hidden = [a.supervisee for a in record.attendances.select_related("supervisee") if a.supervisee_id not in visible]
    _validate(
        user=user,
        project=record.project,
        kind=record.kind,
        mode=mode,
        visit_type=visit_type,
        held_on=held_on,
        duration_hours=duration_hours,
        topic=topic,
        attendees=attendees,
    )
    for upload in attachments:
        _check_attachment(upload)
    changed = {
        "held_on": held_on,
        "duration_hours": duration_hours,
        "topic": topic.strip(),
        "mode": mode,
        "visit_type": visit_type if record.kind == ServiceKind.VISIT else "",
        "lecturer": _lecturer_name(lecturer, pool_lecturer),
        "pool_lecturer": pool_lecturer,
        "place": place.strip(),
        "materials": materials.strip(),
        "summary": summary.strip(),
    }
    fields = sorted(name for name, value in changed.items() if getattr(record, name) != value)
    for name, value in changed.items():
        setattr(record, name, value)
    record.save()
    _save_attendees(record, [*attendees, *hidden])
    _save_attachments(record, attachments, user)
    record_event(actor, action=Action.UPDATE, target=record, detail={"fields": fields, "attendees": len(attendees)})
    return record


@transaction.atomic
def delete_service(*, actor: Actor, record: ServiceRecord, reason: str) -> None:
    user = _recorder(actor)
    if not can_edit_record(user, record):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is deleted.")})
    record_event(
        actor,
        action=Action.DELETE,
        target=record,
        detail={"reason": reason.strip(), "kind": record.kind, "held_on": record.held_on.isoformat()},
    )
    for attachment in record.attachments.all():
        attachment.file.delete(save=False)
    record.delete()


@transaction.atomic
def write_counselling_note(*, actor: Actor, record: ServiceRecord, text: str) -> CounsellingNote:
    """Only the counsellor writes the notes."""
    user = _recorder(actor)
    if record.kind != ServiceKind.COUNSELLING or record.counsellor_id != user.pk:
        raise PermissionDenied
    note, _created = CounsellingNote.objects.update_or_create(
        record=record, defaults={"text_encrypted": encrypt(text.strip()), "written_by": user}
    )
    record_event(actor, action=Action.UPDATE, target=record, detail={"counselling_note": True})
    return note


def read_counselling_note(*, actor: Actor, record: ServiceRecord) -> str:
    """The notes in clear, for the counsellor and the project's supervisor only; audited before returned."""
    user = actor.user
    if user is None or not can_read_counselling_note(user, record):
        raise PermissionDenied
    note = CounsellingNote.objects.filter(record=record).first()
    if note is None:
        return ""
    record_event(actor, action=Action.VIEW, target=record, detail={"counselling_note": True})
    return note.text


@transaction.atomic
def record_group_attendance(
    *,
    actor: Actor,
    record: ServiceRecord | None,
    supervisee: Supervisee,
    organisation: Organisation,
    project: ServiceProject | None,
    held_on: dt.date,
    duration_hours: Decimal,
    topic: str,
    pool_lecturer: Lecturer,
    place: str = "",
    recorded_by: User | None = None,
) -> ServiceRecord:
    """A person signed in to a booked group session (learning): one education record per session, one attendance
    per person, so the session counts once in the KPI "教育学习 场次" and its hours once in the monthly rule, without
    anybody typing it again. The caller holds the session's lock (one record per session)."""
    if record is None:
        record = ServiceRecord.objects.create(
            project=project,
            organisation=organisation,
            kind=ServiceKind.EDUCATION,
            mode=ServiceMode.GROUP,
            held_on=held_on,
            duration_hours=duration_hours,
            topic=topic,
            lecturer=pool_lecturer.name,
            pool_lecturer=pool_lecturer,
            place=place,
            source=RecordSource.LEARNING,
            recorded_by=recorded_by,
        )
        record_event(actor, action=Action.CREATE, target=record, detail={"kind": record.kind, "source": record.source})
    _attendance, created = ServiceAttendance.objects.get_or_create(
        record=record,
        supervisee=supervisee,
        defaults={"hours": record.duration_hours, "held_on": record.held_on, "kind": record.kind},
    )
    if created:
        record_event(actor, action=Action.UPDATE, target=record, detail={"signed_in": supervisee.pk})
    return record
