"""What the panel saw and what must change: activities with evidence, findings, rectification items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.workdays.calendar import add_working_days
from zhengtu.workspace.services import notify

from ..models import (
    EvidenceFile,
    Finding,
    InspectionActivity,
    ProjectInspection,
    RectificationItem,
    RectificationStatus,
    RubricSection,
)
from ..rules import rule

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".mp3", ".m4a")


def _check_upload(upload: UploadedFile) -> None:
    if not (upload.name or "").lower().endswith(EVIDENCE_SUFFIXES):
        raise ValidationError(
            {"attachments": pgettext("inspections", "Upload PDF, image, Word, Excel or audio files only.")}
        )
    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"attachments": pgettext("inspections", "Each file may be at most 20 MB.")})


def _store(
    actor: Actor,
    inspection: ProjectInspection,
    uploads: Sequence[UploadedFile],
    *,
    activity: InspectionActivity | None = None,
    rectification: RectificationItem | None = None,
    description: str = "",
) -> list[EvidenceFile]:
    for upload in uploads:
        _check_upload(upload)
    return [
        EvidenceFile.objects.create(
            inspection=inspection,
            activity=activity,
            rectification=rectification,
            file=upload,
            original_name=(upload.name or "")[:200],
            description=description[:200],
            uploaded_by=actor.user,
        )
        for upload in uploads
    ]


@transaction.atomic
def record_activity(
    *,
    actor: Actor,
    inspection: ProjectInspection,
    kind: str,
    occurred_on: dt.date,
    notes: str,
    participants: str = "",
    files: Sequence[UploadedFile] = (),
) -> InspectionActivity:
    activity = InspectionActivity(
        inspection=inspection,
        kind=kind,
        occurred_on=occurred_on,
        notes=notes.strip(),
        participants=participants.strip(),
        recorded_by=actor.user,
    )
    activity.full_clean()
    activity.save()
    _store(actor, inspection, files, activity=activity)
    record_event(
        actor, action=Action.CREATE, target=activity, detail={"inspection": inspection.pk, "files": len(files)}
    )
    return activity


@transaction.atomic
def add_finding(
    *,
    actor: Actor,
    inspection: ProjectInspection,
    kind: str,
    text: str,
    recommendation: str = "",
    section: RubricSection | None = None,
) -> Finding:
    if section is not None and section.template_id != inspection.round.rubric_id:
        raise ValidationError({"section": pgettext("inspections", "Choose an area of this round's rubric.")})
    finding = Finding(
        inspection=inspection,
        kind=kind,
        text=text.strip(),
        recommendation=recommendation.strip(),
        section=section,
        created_by=actor.user,
    )
    finding.full_clean()
    finding.save()
    record_event(actor, action=Action.CREATE, target=finding, detail={"inspection": inspection.pk})
    return finding


def default_due_date(start: dt.date | None = None) -> dt.date:
    return add_working_days(start or timezone.localdate(), int(rule("rectification_due_working_days"))).due


@transaction.atomic
def create_rectification(
    *,
    actor: Actor,
    inspection: ProjectInspection,
    description: str,
    due_on: dt.date | None = None,
    owner: User | None = None,
    finding: Finding | None = None,
) -> RectificationItem:
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValueError("finding of another inspection")
    if owner is not None and (
        owner.organisation is None or not owner.organisation.is_within(inspection.project.agency)
    ):
        raise ValidationError({"owner": pgettext("inspections", "The owner must work for the inspected agency.")})
    due_on = due_on or default_due_date()
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": pgettext("inspections", "The due date cannot be in the past.")})
    item = RectificationItem(
        inspection=inspection,
        finding=finding,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=actor.user,
    )
    item.full_clean()
    item.save()
    record_event(actor, action=Action.CREATE, target=item, detail={"inspection": inspection.pk, "due_on": str(due_on)})
    notify(
        [owner],
        title=pgettext("inspections", "Rectification required by %(date)s: %(project)s")
        % {"date": due_on.isoformat(), "project": inspection.project.name},
        body=item.description,
        url=reverse("inspections:inspection-detail", args=[inspection.pk]) + f"#rectification-{item.pk}",
        kind="rectification_created",
    )
    return item


@transaction.atomic
def add_rectification_evidence(
    *, actor: Actor, item: RectificationItem, files: Sequence[UploadedFile], description: str = ""
) -> list[EvidenceFile]:
    if not files:
        raise ValidationError({"attachments": pgettext("inspections", "Choose at least one file.")})
    stored = _store(actor, item.inspection, files, rectification=item, description=description)
    record_event(actor, action=Action.UPDATE, target=item, detail={"evidence_added": len(stored)})
    return stored


@transaction.atomic
def close_rectification(
    *, actor: Actor, item: RectificationItem, closing_note: str, files: Sequence[UploadedFile] = ()
) -> RectificationItem:
    """The agency shows how the problem was put right; evidence (files) is required to close."""
    if item.status == RectificationStatus.CLOSED:
        raise ValidationError(pgettext("inspections", "This item is already closed."))
    if not closing_note.strip():
        raise ValidationError({"closing_note": pgettext("inspections", "Describe how the problem was put right.")})
    _store(
        actor,
        item.inspection,
        files,
        rectification=item,
        description=pgettext("inspections", "Evidence of rectification"),
    )
    if not item.evidence.exists():
        raise ValidationError(
            {"attachments": pgettext("inspections", "Attach evidence (documents or photos) before closing the item.")}
        )
    item.status = RectificationStatus.CLOSED
    item.closing_note = closing_note.strip()
    item.closed_by = actor.user
    item.closed_at = timezone.now()
    item.save()
    record_event(actor, action=Action.STATUS, target=item, detail={"to": RectificationStatus.CLOSED})
    return item


@transaction.atomic
def reopen_rectification(*, actor: Actor, item: RectificationItem, reason: str, due_on: dt.date) -> RectificationItem:
    """The association is not satisfied with the evidence: the item opens again with a new due date."""
    if item.status != RectificationStatus.CLOSED:
        raise ValidationError(pgettext("inspections", "Only a closed item can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": pgettext("inspections", "Record why the item is reopened.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": pgettext("inspections", "The due date cannot be in the past.")})
    item.status = RectificationStatus.OPEN
    item.due_on = due_on
    item.closed_at = None
    item.closed_by = None
    item.save()
    record_event(actor, action=Action.STATUS, target=item, detail={"to": RectificationStatus.OPEN, "reason": reason})
    notify(
        [item.owner],
        title=pgettext("inspections", "Rectification reopened: %(project)s")
        % {"project": item.inspection.project.name},
        body=reason.strip(),
        url=reverse("inspections:inspection-detail", args=[item.inspection_id]) + f"#rectification-{item.pk}",
        kind="rectification_reopened",
    )
    return item
