"""The archive page of one person and the export of each archive as one PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.downloads import download_response
from zhengtu.documents.models import ArchiveKind

from .. import selectors
from ..services.archives import archive_attachments, archive_documents, export_archive
from .common import actor_of, capability_required


@login_required
@capability_required(Capability.VIEW_SUPERVISEES)
def archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "archive"})
    archives = [
        {
            "kind": kind,
            "label": label,
            "documents": archive_documents(supervisee, kind),
            "attachments": archive_attachments(supervisee, kind),
        }
        for kind, label in ArchiveKind.choices
    ]
    return render(
        request,
        "supervision/archive.html",
        {
            "supervisee": supervisee,
            "archives": archives,
            "can_export": can(request.user, Capability.EXPORT_SUPERVISEES),
        },
    )


@login_required
@capability_required(Capability.EXPORT_SUPERVISEES)
def archive_export(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    if kind not in ArchiveKind.values:
        raise Http404
    filename, pdf = export_archive(actor=actor_of(request), supervisee=supervisee, archive=kind)
    return download_response(pdf, filename, "application/pdf")
