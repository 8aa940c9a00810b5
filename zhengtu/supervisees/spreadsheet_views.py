"""Import and export pages of the registry (thin: the work is in importing.py and exporting.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.downloads import XLSX, download_response
from zhengtu.core.lookups import get_or_404
from zhengtu.workspace.models import Job, JobStatus

from .exporting import export_supervisees, template_csv, template_xlsx
from .forms import ExportForm, ImportForm
from .importing import import_supervisees, result_from_job, runs_in_background, start_import_job
from .permissions import capability_required


@capability_required(Capability.IMPORT_SUPERVISEES)
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        if runs_in_background(content):
            job = start_import_job(
                user=request.user, file_name=upload.name, content=content, default_office=form.cleaned_data["office"]
            )
            return redirect(job)
        result = import_supervisees(
            actor=Actor.from_request(request),
            file_name=upload.name,
            content=content,
            default_office=form.cleaned_data["office"],
        )
        return render(request, "supervisees/import_result.html", {"result": result})
    return render(request, "supervisees/import.html", {"form": form})


@capability_required(Capability.IMPORT_SUPERVISEES)
@require_GET
def import_job_result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The result of a background import, for the person who started it."""
    job = get_or_404(Job.objects.filter(owner=request.user, kind="supervisees.import", status=JobStatus.DONE), pk)
    return render(request, "supervisees/import_result.html", {"result": result_from_job(job)})


@capability_required(Capability.IMPORT_SUPERVISEES)
@require_GET
def import_template(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    if kind == "csv":
        return download_response(
            template_csv(), "社区矫正对象导入模板.csv", "text/csv; charset=utf-8", ascii_name="template.csv"
        )
    return download_response(template_xlsx(), "社区矫正对象导入模板.xlsx", XLSX, ascii_name="template.xlsx")


@capability_required(Capability.EXPORT_SUPERVISEES)
@require_GET
def export(request: AuthenticatedRequest) -> HttpResponse:
    form = ExportForm(request.GET, user=request.user)
    filters = form.filters()
    full_identity = bool(form.is_valid() and form.cleaned_data.get("full_identity"))
    try:
        content = export_supervisees(
            actor=Actor.from_request(request), user=request.user, filters=filters, full_identity=full_identity
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        params = request.GET.copy()
        params.pop("full_identity", None)
        return redirect(f"{reverse('supervisees:list')}?{params.urlencode()}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download_response(content, f"社区矫正对象-{stamp}.xlsx", XLSX, ascii_name=f"supervisees-{stamp}.xlsx")
