from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TemplateFormat
from .registry import document_kinds


class TemplateUploadForm(forms.Form):
    code = forms.ChoiceField(label=_("Document"))
    template_format = forms.ChoiceField(label=_("Format"), choices=TemplateFormat.choices)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    upload = forms.FileField(
        label=_("Template file"), help_text=_("A .docx file for Word, a UTF-8 .html file for PDF.")
    )
    for_everyone = forms.BooleanField(label=_("Use everywhere (system administrators only)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Named as the list above names them (title and business), not by the internal code.
        choices = [(kind.code, f"{kind.title}（{kind.area}）") for kind in document_kinds().values()]
        self.fields["code"].choices = choices  # type: ignore[attr-defined]
