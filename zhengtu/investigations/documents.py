"""The 调查评估意见书 sent back to the commissioning organ."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from zhengtu.documents.registry import DocumentKind

TEMPLATES = Path(__file__).resolve().parent / "document_templates"
ASSESSMENT_OPINION = "investigations.assessment_opinion"

DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        code=ASSESSMENT_OPINION,
        title=_("Pre-sentence investigation and assessment opinion"),
        html_template=TEMPLATES / "assessment_opinion.html",
        docx_template=TEMPLATES / "assessment_opinion.docx",
        number_mark="评",
        in_execution_archive=True,
        in_work_archive=False,
    ),
)
