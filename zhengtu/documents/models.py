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
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "kind"], name="one_sequence_per_bureau_year_kind")
        ]
