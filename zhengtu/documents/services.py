"""Writes of the documents app: issuing documents and managing replacement templates."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.core.archives import check_zip_bounds
from zhengtu.orgs.models import Organisation, OrganisationKind

from .budget import within_budget
from .fetching import RefusedReferences, docx_external_references, references_in_source
from .models import DocumentTemplate, GeneratedDocument, TemplateFormat
from .registry import DocumentKind, document_kind
from .rendering import (
    html_to_pdf,
    next_document_number,
    render_docx,
    render_docx_source,
    render_html_file,
    render_pdf_file,
)

if TYPE_CHECKING:
    from zhengtu.supervisees.models import Supervisee

P = ParamSpec("P")
R = TypeVar("R")
BUREAU_KINDS = {OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU}
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_TEMPLATE_UNPACKED_BYTES = 50 * 1024 * 1024


def in_document_language(function: Callable[P, R]) -> Callable[P, R]:
    """Build document values in the language documents are issued in, whatever the page's language."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def chinese_date(value: dt.date | None) -> str:
    """2026-11-05 → "2026年11月5日", the way dates are written in legal documents."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def bureau_of(organisation: Organisation) -> Organisation:
    """The bureau that numbers an organisation's documents: the nearest county or city bureau (else itself)."""
    return organisation.nearest(set(BUREAU_KINDS)) or organisation


def bureau_abbreviation(bureau: Organisation) -> str:
    """The short form in document numbers ("溆" for 溆浦县…); configurable per bureau name."""
    configured: dict[str, str] = getattr(settings, "ZHENGTU_DOCUMENT_BUREAU_ABBREVIATIONS", {}) or {}
    return configured.get(bureau.name) or bureau.name[:1]


def document_number_prefix(bureau: Organisation, mark: str) -> str:
    return f"{bureau_abbreviation(bureau)}司矫{mark}"


def base_context(*, kind: DocumentKind, organisation: Organisation, number: str) -> dict[str, Any]:
    bureau = bureau_of(organisation)
    return {
        "title": str(kind.title),
        "document_number": number,
        "issued_on": chinese_date(timezone.localdate()),
        "organisation_name": organisation.name,
        "bureau_name": bureau.name,
    }


def _render_failed(kind: DocumentKind, error: Exception) -> ValidationError:
    if isinstance(error, RefusedReferences):
        return ValidationError(f"{kind.title}: {error}")
    return ValidationError(
        _("The template of “%(title)s” could not be used (%(error)s). Ask an administrator to check it.")
        % {"title": kind.title, "error": str(error)[:200]}
    )


@transaction.atomic
def issue_document(
    *,
    actor: Actor,
    code: str,
    organisation: Organisation,
    context: dict[str, Any],
    supervisee: Supervisee | None = None,
) -> GeneratedDocument:
    """Number, render (PDF and Word) and store one document; audited. Raises ValidationError if a template fails."""
    with translation.override(settings.LANGUAGE_CODE):
        return _issue(
            actor=actor, kind=document_kind(code), organisation=organisation, context=context, supervisee=supervisee
        )


def _issue(
    *,
    actor: Actor,
    kind: DocumentKind,
    organisation: Organisation,
    context: dict[str, Any],
    supervisee: Supervisee | None,
) -> GeneratedDocument:
    bureau = bureau_of(organisation)
    number = ""
    if kind.number_mark:
        number = next_document_number(
            bureau=bureau, kind=kind.code, prefix=document_number_prefix(bureau, kind.number_mark)
        )
    full_context = {**base_context(kind=kind, organisation=organisation, number=number), **context}
    try:
        pdf = render_pdf_file(kind.code, kind.html_template, full_context, organisation=organisation)
        docx = (
            render_docx(kind.code, kind.docx_template, full_context, organisation=organisation)
            if kind.docx_template
            else None
        )
    except Exception as error:  # noqa: BLE001 - a replaced template may be broken in any way
        raise _render_failed(kind, error) from error
    document = GeneratedDocument(
        code=kind.code,
        title=str(kind.title),
        number=number,
        supervisee=supervisee,
        organisation=organisation,
        in_execution_archive=kind.in_execution_archive,
        in_work_archive=kind.in_work_archive,
        created_by=actor.user,
    )
    stem = f"{kind.code.replace('.', '-')}-{uuid.uuid4().hex[:12]}"
    document.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    if docx is not None:
        document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    document.save()
    record_event(actor, action=Action.CREATE, target=document, detail={"code": kind.code, "number": number})
    return document


def sample_context(kind: DocumentKind) -> dict[str, Any]:
    """Placeholder values used to check that an uploaded template renders."""
    return {
        "title": str(kind.title),
        "document_number": "示例司矫〔2026〕1号",
        "issued_on": "2026年1月1日",
        "organisation_name": "示例司法所",
        "bureau_name": "示例县社区矫正管理局",
        "name": "张三",
    }


def _check_template(kind: DocumentKind, template_format: str, upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > MAX_TEMPLATE_BYTES:
        raise ValidationError({"file": _("The template file is larger than 5 MB.")})
    expected = ".docx" if template_format == TemplateFormat.DOCX else ".html"
    if not (upload.name or "").lower().endswith((expected, ".htm") if expected == ".html" else expected):
        raise ValidationError(
            {"file": _("A %(format)s template must be a %(ext)s file.") % {"format": template_format, "ext": expected}}
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        if template_format == TemplateFormat.HTML:
            _check_html_template(kind, content.decode("utf-8"))
        else:
            _check_docx_template(kind, content)
    except UnicodeDecodeError as error:
        raise ValidationError({"file": _("The HTML template must be saved as UTF-8 text.")}) from error
    except RefusedReferences as error:
        raise ValidationError({"file": str(error)}) from error
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    except Exception as error:  # noqa: BLE001 - any failure means the template is unusable
        raise ValidationError(
            {"file": _("The template cannot be rendered: %(error)s") % {"error": str(error)[:200]}}
        ) from error


def _check_html_template(kind: DocumentKind, source: str) -> None:
    """Refuse references outside the allow-list, written anywhere in the text or fetched by a sample render."""
    from django.template import Context, Template

    refused = references_in_source(source)
    if refused:
        raise RefusedReferences(refused)
    compiled = Template(source)
    html_to_pdf(within_budget(lambda: compiled.render(Context(sample_context(kind)))))


def _check_docx_template(kind: DocumentKind, content: bytes) -> None:
    check_zip_bounds(content, max_uncompressed=MAX_TEMPLATE_UNPACKED_BYTES, what=_("The Word template"))
    refused = docx_external_references(content)
    if refused:
        raise RefusedReferences(refused)
    render_docx_source(content, sample_context(kind))


@transaction.atomic
def upload_template(
    *, actor: Actor, code: str, template_format: str, name: str, upload: UploadedFile, for_everyone: bool
) -> DocumentTemplate:
    """Replace a shipped template, for the administrator's subtree (or everywhere, for system administrators)."""
    user = acting_user(actor, Capability.MANAGE_ORGANISATIONS)
    try:
        kind = document_kind(code)
    except LookupError as error:
        raise ValidationError({"code": _("Unknown document kind.")}) from error
    if template_format not in TemplateFormat.values:
        raise ValidationError({"format": _("Unknown template format.")})
    if template_format == TemplateFormat.DOCX and kind.docx_template is None:
        raise ValidationError({"format": _("This document has no Word version.")})
    if for_everyone and not user.is_superuser:
        raise ValidationError({"for_everyone": _("Only a system administrator may replace a template everywhere.")})
    if not for_everyone and user.organisation is None:
        raise ValidationError({"for_everyone": _("Your account belongs to no organisation.")})
    _check_template(kind, template_format, upload)
    template = DocumentTemplate(
        code=code,
        format=template_format,
        name=name.strip() or str(kind.title),
        organisation=None if for_everyone else user.organisation,
        uploaded_by=user,
    )
    template.file.save(f"{code.replace('.', '-')}-{uuid.uuid4().hex[:8]}.{template_format}", upload, save=False)
    template.save()
    # The newest upload for the same code, format and organisation replaces older ones.
    DocumentTemplate.objects.filter(
        code=code, format=template_format, organisation=template.organisation, is_active=True
    ).exclude(pk=template.pk).update(is_active=False)
    record_event(actor, action=Action.CREATE, target=template, detail={"code": code, "format": template_format})
    return template


@transaction.atomic
def deactivate_template(*, actor: Actor, template: DocumentTemplate) -> DocumentTemplate:
    """Go back to the shipped default (or a wider replacement) for this code."""
    acting_user(actor, Capability.MANAGE_ORGANISATIONS)
    template.is_active = False
    template.save(update_fields=["is_active"])
    record_event(actor, action=Action.UPDATE, target=template, detail={"is_active": False})
    return template


def preview_document(*, code: str, organisation: Organisation | None) -> bytes:
    """The PDF a template produces with sample values (administrators check their replacement)."""
    kind = document_kind(code)
    try:
        html = render_html_file(kind.code, kind.html_template, sample_context(kind), organisation=organisation)
        return html_to_pdf(html)
    except Exception as error:  # noqa: BLE001 - a refused reference or any other template failure
        raise _render_failed(kind, error) from error
