"""Downloading issued documents, and the administrators' page for replacement templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability
from zhengtu.core.downloads import download_response
from zhengtu.core.pages import add_service_errors

from . import selectors, services
from .forms import TemplateUploadForm
from .models import TemplateFormat
from .registry import document_kind, document_kinds


def _download(request: AuthenticatedRequest, pk: int, field: str) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    stored = getattr(document, field)
    if not stored:
        raise Http404
    record_event(request, action=Action.EXPORT, target=document, detail={"format": field})
    with stored.open("rb") as handle:
        content = handle.read()
    extension = "pdf" if field == "pdf" else "docx"
    name = f"{document.title}{('-' + document.number) if document.number else ''}.{extension}"
    return download_response(content, name)


@login_required
def document_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@login_required
def document_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


@login_required
def templates(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_template(
                actor=Actor.from_request(request),
                code=data["code"],
                template_format=data["template_format"],
                name=data["name"],
                upload=data["upload"],
                for_everyone=data["for_everyone"],
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"file": "upload"})
        else:
            messages.success(request, _("Template uploaded: it is used from now on."))
            return redirect("documents:templates")
    replacements = selectors.templates_visible_to(request.user).select_related("organisation", "uploaded_by")
    by_code: dict[str, list[object]] = {}
    for template in replacements.filter(is_active=True):
        by_code.setdefault(template.code, []).append(template)
    kinds = [{"kind": kind, "replacements": by_code.get(kind.code, [])} for kind in document_kinds().values()]
    return render(request, "documents/templates.html", {"kinds": kinds, "form": form})


@login_required
def template_default(request: AuthenticatedRequest, code: str, template_format: str) -> HttpResponse:
    """The shipped default, to start a replacement from."""
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    try:
        kind = document_kind(code)
    except LookupError as error:
        raise Http404 from error
    path = kind.html_template if template_format == TemplateFormat.HTML else kind.docx_template
    if template_format not in TemplateFormat.values or path is None:
        raise Http404
    return download_response(path.read_bytes(), f"{code}.{template_format}")


@login_required
def template_preview(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """The PDF the template in force for the user's organisation produces with sample values."""
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    try:
        pdf = services.preview_document(code=code, organisation=request.user.organisation)
    except LookupError as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("documents:templates")
    return download_response(pdf, f"{code}-preview.pdf", inline=True)


@login_required
@require_POST
def template_deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORGANISATIONS)
    template = selectors.get_template_for_user(request.user, pk)
    services.deactivate_template(actor=Actor.from_request(request), template=template)
    messages.success(request, _("Replacement switched off: the shipped template is used again."))
    return redirect("documents:templates")
