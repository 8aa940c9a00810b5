"""Supervisor credential filing (督导资质备案): application, review, the registry's validity and renewal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.documents.rendering import next_document_number
from zhengtu.orgs.models import Organisation

from ..models import FilingDocument, FilingDocumentKind, FilingStatus, QualificationLevel, SupervisorFiling
from ..rules import rule

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

PENDING = (FilingStatus.SUBMITTED, FilingStatus.RETURNED)
EDITABLE_FIELDS = (
    "agency",
    "qualification_level",
    "certificate_number",
    "education",
    "years_in_social_work",
    "years_supervising",
    "qualifications_note",
)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED_DOCUMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx")


def _check_document(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    if not name.endswith(ALLOWED_DOCUMENT_SUFFIXES):
        raise ValidationError({"documents": pgettext("association", "Upload PDF, image or Word files only.")})
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"documents": pgettext("association", "Each file may be at most 10 MB.")})


def _attach(actor: Actor, filing: SupervisorFiling, documents: Sequence[tuple[str, UploadedFile]]) -> None:
    for kind, upload in documents:
        if kind not in FilingDocumentKind.values:
            raise ValidationError({"documents": pgettext("association", "Choose what each document is.")})
        _check_document(upload)
        FilingDocument.objects.create(
            filing=filing, kind=kind, file=upload, original_name=(upload.name or "")[:200], uploaded_by=actor.user
        )


@transaction.atomic
def submit_filing(
    *,
    actor: Actor,
    association: Organisation,
    supervisor: User,
    agency: Organisation | None,
    qualification_level: str,
    certificate_number: str,
    education: str,
    years_in_social_work: int,
    years_supervising: int = 0,
    qualifications_note: str = "",
    documents: Sequence[tuple[str, UploadedFile]] = (),
    renewal_of: SupervisorFiling | None = None,
) -> SupervisorFiling:
    if SupervisorFiling.objects.filter(association=association, supervisor=supervisor, status__in=PENDING).exists():
        raise ValidationError(pgettext("association", "This supervisor already has a filing waiting for review."))
    if renewal_of is not None and (
        renewal_of.supervisor_id != supervisor.pk
        or renewal_of.association_id != association.pk
        or renewal_of.status != FilingStatus.APPROVED
    ):
        raise ValidationError(pgettext("association", "Only a filed credential of the same supervisor can be renewed."))
    if not documents:
        raise ValidationError({"documents": pgettext("association", "Attach at least the qualification certificate.")})
    filing = SupervisorFiling(
        association=association,
        supervisor=supervisor,
        agency=agency,
        qualification_level=qualification_level,
        certificate_number=certificate_number.strip(),
        education=education.strip(),
        years_in_social_work=years_in_social_work,
        years_supervising=years_supervising,
        qualifications_note=qualifications_note.strip(),
        renewal_of=renewal_of,
        submitted_by=actor.user,
    )
    filing.full_clean()
    filing.save()
    _attach(actor, filing, documents)
    record_event(
        actor, action=Action.CREATE, target=filing, detail={"renewal_of": renewal_of.pk if renewal_of else None}
    )
    return filing


@transaction.atomic
def resubmit_filing(
    *, actor: Actor, filing: SupervisorFiling, documents: Sequence[tuple[str, UploadedFile]] = (), **fields: object
) -> SupervisorFiling:
    """The applicant corrects a filing that was returned for changes and sends it back for review."""
    if filing.status != FilingStatus.RETURNED:
        raise ValidationError(pgettext("association", "Only a filing returned for changes can be corrected."))
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(filing, name, value)
    filing.status = FilingStatus.SUBMITTED
    filing.full_clean()
    filing.save()
    _attach(actor, filing, documents)
    record_event(actor, action=Action.UPDATE, target=filing, detail={"resubmitted": True})
    return filing


def requirement_problems(filing: SupervisorFiling) -> list[str]:
    """What keeps the filing from meeting the configured entry requirements (empty when it meets them)."""
    problems = []
    accepted = [str(level) for level in rule("supervisor_filing_accepted_levels")]
    if filing.qualification_level not in accepted:
        labels = "、".join(
            str(QualificationLevel(level).label) for level in accepted if level in QualificationLevel.values
        )
        problems.append(
            pgettext("association", "The qualification level must be one of: %(levels)s.") % {"levels": labels}
        )
    minimum = int(rule("supervisor_filing_min_years_in_social_work"))
    if filing.years_in_social_work < minimum:
        problems.append(
            pgettext("association", "At least %(years)d years in social work are required.") % {"years": minimum}
        )
    if not filing.documents.filter(kind=FilingDocumentKind.CERTIFICATE).exists():
        problems.append(pgettext("association", "The qualification certificate is missing."))
    return problems


def validity_for(filing: SupervisorFiling, on_date: dt.date) -> tuple[dt.date, dt.date]:
    """A renewal continues the previous period without a gap; a new filing starts on the day of approval."""
    start = on_date
    previous = filing.renewal_of
    if previous is not None and previous.valid_until is not None and previous.valid_until >= on_date:
        start = previous.valid_until + dt.timedelta(days=1)
    end = start + relativedelta(years=int(rule("supervisor_filing_valid_years"))) - dt.timedelta(days=1)
    return start, end


class Decision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    CHOICES = (APPROVE, RETURN, REJECT)


@transaction.atomic
def review_filing(
    *, actor: Actor, filing: SupervisorFiling, decision: str, note: str = "", on_date: dt.date | None = None
) -> SupervisorFiling:
    if filing.status != FilingStatus.SUBMITTED:
        raise ValidationError(pgettext("association", "This filing is not waiting for review."))
    if decision not in Decision.CHOICES:
        raise ValidationError({"decision": pgettext("association", "Choose approve, return or reject.")})
    if decision != Decision.APPROVE and not note.strip():
        raise ValidationError({"note": pgettext("association", "Tell the applicant why.")})
    on_date = on_date or timezone.localdate()
    if decision == Decision.APPROVE:
        problems = requirement_problems(filing)
        if problems:
            raise ValidationError(problems)
        filing.valid_from, filing.valid_until = validity_for(filing, on_date)
        filing.filing_number = next_document_number(
            bureau=filing.association,
            kind="supervisor_filing",
            prefix=str(rule("supervisor_filing_number_prefix")),
            year=on_date.year,
        )
        filing.status = FilingStatus.APPROVED
    else:
        filing.status = FilingStatus.RETURNED if decision == Decision.RETURN else FilingStatus.REJECTED
    filing.reviewed_by = actor.user
    filing.reviewed_at = timezone.now()
    filing.review_note = note.strip()
    filing.save()
    action = {Decision.APPROVE: Action.APPROVE, Decision.REJECT: Action.REJECT}.get(decision, Action.STATUS)
    record_event(actor, action=action, target=filing, detail={"decision": decision, "number": filing.filing_number})
    return filing


@transaction.atomic
def revoke_filing(*, actor: Actor, filing: SupervisorFiling, note: str) -> SupervisorFiling:
    if filing.status != FilingStatus.APPROVED:
        raise ValidationError(pgettext("association", "Only a filed credential can be revoked."))
    if not note.strip():
        raise ValidationError({"note": pgettext("association", "Tell the applicant why.")})
    filing.status = FilingStatus.REVOKED
    filing.review_note = note.strip()
    filing.reviewed_by = actor.user
    filing.reviewed_at = timezone.now()
    filing.save()
    record_event(actor, action=Action.STATUS, target=filing, detail={"revoked": True})
    return filing
