"""Rendering documents from templates: Word through docxtpl, PDF through WeasyPrint.

Every domain renders its documents here, so fonts, template replacement and numbering behave
the same everywhere. PDFs use Noto Sans CJK SC (Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from zhengtu.orgs.models import Organisation

from .models import DocumentSequence, DocumentTemplate, TemplateFormat

PDF_BASE_CSS = """
@page { size: A4; margin: 2.2cm 2cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 11pt; line-height: 1.6; }
h1 { text-align: center; font-size: 18pt; } table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #444; padding: 4px 6px; }
"""


def active_template(
    code: str, template_format: str, organisation: Organisation | None = None
) -> DocumentTemplate | None:
    """The most specific active replacement for `code`: the organisation's own, else a global one."""
    candidates = DocumentTemplate.objects.filter(code=code, format=template_format, is_active=True)
    if organisation is not None:
        own = [
            t
            for t in candidates.exclude(organisation=None).select_related("organisation")
            if t.organisation is not None and organisation.path.startswith(t.organisation.path)
        ]
        if own:
            return max(own, key=lambda t: (len(t.organisation.path), t.uploaded_at))  # type: ignore[union-attr]
    return candidates.filter(organisation=None).order_by("-uploaded_at").first()


def render_docx(
    code: str, default_path: Path, context: dict[str, Any], *, organisation: Organisation | None = None
) -> bytes:
    from docxtpl import DocxTemplate

    replacement = active_template(code, TemplateFormat.DOCX, organisation)
    source: Any = replacement.file.open("rb") if replacement else str(default_path)
    document = DocxTemplate(source)
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_html(
    code: str, default_template_name: str, context: dict[str, Any], *, organisation: Organisation | None = None
) -> str:
    replacement = active_template(code, TemplateFormat.HTML, organisation)
    if replacement:
        with replacement.file.open("rb") as handle:
            return Template(handle.read().decode("utf-8")).render(Context(context))
    return render_to_string(default_template_name, context)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(string=PDF_BASE_CSS)])  # type: ignore[no-any-return]


def render_pdf(
    code: str, default_template_name: str, context: dict[str, Any], *, organisation: Organisation | None = None
) -> bytes:
    return html_to_pdf(render_html(code, default_template_name, context, organisation=organisation))


@transaction.atomic
def next_document_number(*, bureau: Organisation, kind: str, prefix: str, year: int | None = None) -> str:
    """Issue the next number, e.g. "溆司矫宣〔2026〕17号": sequential per bureau, kind and year."""
    year = year or timezone.localdate().year
    sequence, _created = DocumentSequence.objects.select_for_update().get_or_create(bureau=bureau, year=year, kind=kind)
    DocumentSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db()
    return f"{prefix}〔{year}〕{sequence.last_number}号"


def render_html_file(
    code: str, default_path: Path, context: dict[str, Any], *, organisation: Organisation | None = None
) -> str:
    """Like render_html, for a shipped default kept as a file beside the domain (document_templates/)."""
    replacement = active_template(code, TemplateFormat.HTML, organisation)
    if replacement:
        with replacement.file.open("rb") as handle:
            source = handle.read().decode("utf-8")
    else:
        source = default_path.read_text(encoding="utf-8")
    return Template(source).render(Context(context))


def render_pdf_file(
    code: str, default_path: Path, context: dict[str, Any], *, organisation: Organisation | None = None
) -> bytes:
    return html_to_pdf(render_html_file(code, default_path, context, organisation=organisation))
