"""The archive page of one person and the export of each archive as one PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.access import require_capability
from zhengtu.documents.models import ArchiveKind
from zhengtu.workspace.background import get_job_for_user, result_file_response

from .. import selectors
from ..services.archive_jobs import KIND as ARCHIVE_EXPORT
from ..services.archive_jobs import start_archive_export
from ..services.archives import archive_attachments, archive_documents
from .common import capability_required


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
@require_POST
def archive_export(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """The bundle is made by a background job; the person follows it on the job page and downloads it there."""
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    if kind not in ArchiveKind.values:
        raise Http404
    job = start_archive_export(user=request.user, supervisee=supervisee, archive=kind)
    return redirect(job)


@login_required
def archive_export_result(request: AuthenticatedRequest, job_pk: int) -> FileResponse:
    """The finished bundle, for the person who asked for it and only while they may still see the person."""
    require_capability(request.user, Capability.EXPORT_SUPERVISEES)
    job = get_job_for_user(request.user, job_pk, kind=ARCHIVE_EXPORT)
    supervisee = selectors.get_supervisee_for_user(request.user, job.arguments.get("supervisee"))
    return result_file_response(request, job, audit_target=supervisee, detail={"archive": job.arguments.get("archive")})
