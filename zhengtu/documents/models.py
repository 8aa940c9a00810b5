"""Replaceable document templates and per-bureau document numbering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.orgs.models import Organisation


class TemplateFormat(models.TextChoices):
    DOCX = "docx", _("Word (docxtpl)")
    HTML = "html", _("HTML for PDF (WeasyPrint)")


class DocumentTemplate(models.Model):
    """An administrator's replacement for a shipped template, identified by its code.

    Codes are declared by the domain that renders them (e.g. "supervision.intake_announcement");
    when no active replacement exists, the shipped file in that app's `document_templates/`
    folder is used.
    """

    code = models.CharField(_("code"), max_length=100)
    format = models.CharField(_("format"), max_length=10, choices=TemplateFormat.choices)
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("file"), upload_to="document-templates/")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty to use the template everywhere; otherwise it applies to this subtree."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["code", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class DocumentSequence(models.Model):
    """The last number issued for one kind of document, per bureau per year."""

    bureau = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=50)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "kind"], name="one_sequence_per_bureau_year_kind")
        ]


class ArchiveKind(models.TextChoices):
    EXECUTION = "execution", _("Execution file")  # 执行档案, kept by the county bureau
    WORK = "work", _("Work file")  # 工作档案, kept by the justice office


def _generated_upload_to(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.organisation_id}/{filename}"


class GeneratedDocument(models.Model):
    """A legal document (文书) as it was issued: the PDF, the editable Word version and its number.

    Stored rather than re-rendered, so that the archives show exactly what was signed even after an
    administrator replaces the template.
    """

    code = models.CharField(_("template code"), max_length=100, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    supervisee = models.ForeignKey(
        "supervisees.Supervisee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("supervisee"),
    )
    # Who issued it; documents without a supervisee are scoped by this organisation's subtree.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing organisation")
    )
    pdf = models.FileField(_("PDF"), upload_to=_generated_upload_to)
    docx = models.FileField(_("Word"), upload_to=_generated_upload_to, blank=True)
    in_execution_archive = models.BooleanField(_("in the execution file"), default=False)
    in_work_archive = models.BooleanField(_("in the work file"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["supervisee", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()
