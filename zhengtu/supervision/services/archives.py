"""The two archives of one person (一人两档), each exported as one PDF with a table of contents.

The execution file (执行档案, county bureau) holds the legal documents; the work file (工作档案, justice
office) holds the work records: team, plan, check-ins, visits, and the documents and attachments
marked for it. Every export is audited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.bundles import BundlePart, build_bundle, image_pdf, notice_pdf, readable_pdf
from zhengtu.documents.models import ArchiveKind, GeneratedDocument
from zhengtu.documents.services import in_document_language
from zhengtu.supervisees.models import Supervisee

from ..models import Appraisal, Attachment, Permit, PlanReview, SearchRecord
from ..selectors import check_ins_of, leave_requests_of, level_changes_of, sanctions_of, team_of, visits_of
from .access import NOT_ALLOWED


def archive_documents(supervisee: Supervisee, archive: str) -> list[GeneratedDocument]:
    field = "in_execution_archive" if archive == ArchiveKind.EXECUTION else "in_work_archive"
    return list(GeneratedDocument.objects.filter(supervisee=supervisee, **{field: True}).order_by("created_at", "pk"))


def archive_attachments(supervisee: Supervisee, archive: str) -> list[Attachment]:
    field = "in_execution_archive" if archive == ArchiveKind.EXECUTION else "in_work_archive"
    return list(Attachment.objects.filter(supervisee=supervisee, **{field: True}).order_by("uploaded_at", "pk"))


def _read(file_field: object) -> bytes:
    with file_field.open("rb") as handle:  # type: ignore[attr-defined]
        return handle.read()  # type: ignore[no-any-return]


def _document_part(document: GeneratedDocument) -> BundlePart:
    title = document.title
    try:
        pdf = readable_pdf(title, _read(document.pdf))
    except OSError:
        pdf = notice_pdf(title, _("The stored file of this document is missing."))
    return BundlePart(
        title=title,
        pdf=pdf,
        section=_("Documents"),
        number=document.number,
        date=timezone.localtime(document.created_at).date().isoformat(),
    )


def _attachment_part(attachment: Attachment) -> BundlePart:
    title = attachment.title
    date = timezone.localtime(attachment.uploaded_at).date().isoformat()
    extension = attachment.extension
    try:
        content = _read(attachment.file)
    except OSError:
        pdf = notice_pdf(title, _("The stored file of this attachment is missing."))
    else:
        if extension == "pdf":
            pdf = readable_pdf(title, content)
        elif extension in ("jpg", "jpeg", "png", "gif", "webp"):
            pdf = image_pdf(title, content, extension)
        else:
            pdf = notice_pdf(
                title,
                _("This attachment (%(type)s) cannot be printed in the archive; open it in Zhengtu.")
                % {"type": extension or "?"},
            )
    return BundlePart(title=title, pdf=pdf, section=_("Attachments"), date=date)


def _work_record_part(supervisee: Supervisee) -> BundlePart:
    html = render_to_string(
        "supervision/archive_work_record.html",
        {
            "supervisee": supervisee,
            "file": getattr(supervisee, "supervision_file", None),
            "team": team_of(supervisee),
            "levels": level_changes_of(supervisee),
            "check_ins": check_ins_of(supervisee),
            "visits": visits_of(supervisee),
            "leaves": leave_requests_of(supervisee),
            "sanctions": sanctions_of(supervisee),
            "permits": Permit.objects.filter(supervisee=supervisee).select_related("approval"),
            "appraisals": Appraisal.objects.filter(supervisee=supervisee),
            "plan_reviews": PlanReview.objects.filter(supervisee=supervisee),
            "searches": SearchRecord.objects.filter(supervisee=supervisee),
        },
    )
    from zhengtu.documents.bundles import html_part_pdf

    return BundlePart(title=_("Supervision work record"), pdf=html_part_pdf(html), section=_("Work records"))


@in_document_language
def _bundle(supervisee: Supervisee, archive: str) -> bytes:
    parts: list[BundlePart] = []
    if archive == ArchiveKind.WORK:
        parts.append(_work_record_part(supervisee))
    parts.extend(_document_part(document) for document in archive_documents(supervisee, archive))
    parts.extend(_attachment_part(attachment) for attachment in archive_attachments(supervisee, archive))
    heading = (
        _("Community correction execution file: %(name)s")
        if archive == ArchiveKind.EXECUTION
        else _("Community correction work file: %(name)s")
    ) % {"name": supervisee.name}
    lines = [
        _("Sentence: %(type)s, %(start)s to %(end)s")
        % {"type": supervisee.get_sentence_type_display(), "start": supervisee.term_start, "end": supervisee.term_end},
        _("Responsible office: %(office)s") % {"office": supervisee.responsible_office.name},
        _("Exported on %(date)s") % {"date": timezone.localdate().isoformat()},
    ]
    return build_bundle(heading=heading, lines=lines, parts=parts)


def export_archive(*, actor: Actor, supervisee: Supervisee, archive: str) -> tuple[str, bytes]:
    """The archive as one PDF and its file name; the export is written to the audit log."""
    acting_user(actor, Capability.EXPORT_SUPERVISEES, refusal=NOT_ALLOWED)
    if archive not in ArchiveKind.values:
        raise ValidationError(_("Unknown archive."))
    pdf = _bundle(supervisee, archive)
    record_event(actor, action=Action.EXPORT, target=supervisee, detail={"archive": archive, "bytes": len(pdf)})
    filename = f"archive-{archive}-{supervisee.pk}-{timezone.localdate():%Y%m%d}.pdf"
    return filename, pdf
