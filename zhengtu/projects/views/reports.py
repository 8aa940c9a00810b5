"""Reports: create, write the narrative, proofread a draft, finalise (freeze a version), reopen."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.downloads import download_response
from zhengtu.core.pages import add_service_errors

from ..forms import NarrativeForm, ReportCreateForm
from ..models import ReportKind, ReportStatus
from ..reporting import services as reporting
from ..reporting.sections import sections_of
from ..selectors import can_manage_project, get_managed_project_for_user, get_project_for_user, get_report


def _default_period(project_start: dt.date, project_end: dt.date) -> tuple[dt.date, dt.date]:
    """Last month (clipped to the project), the usual report being written."""
    first_this_month = timezone.localdate().replace(day=1)
    last = first_this_month - dt.timedelta(days=1)
    first = last.replace(day=1)
    return max(first, project_start), min(last, project_end)


@login_required
def report_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    manager = can_manage_project(request.user, project)
    start, end = _default_period(project.period_start, project.period_end)
    form = ReportCreateForm(
        request.POST or None, initial={"kind": ReportKind.MONTHLY, "period_start": start, "period_end": end}
    )
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = reporting.create_report(
                    actor=Actor.from_request(request), project=project, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("projects:report", project.pk, report.pk)
    return render(
        request,
        "projects/report_list.html",
        {
            "project": project,
            "reports": project.reports.prefetch_related("versions"),
            "form": form,
            "manager": manager,
        },
    )


@login_required
def report_detail(request: AuthenticatedRequest, pk: int, report_pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    report = get_report(project, report_pk)
    manager = can_manage_project(request.user, project)
    sections = sections_of(report.kind)
    initial = {"title": report.title, **report.narrative}
    form = NarrativeForm(request.POST or None, sections=sections, initial=initial)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            narrative = {key: form.cleaned_data.get(key, "") for key, _heading, _hint in sections}
            try:
                reporting.save_narrative(
                    actor=Actor.from_request(request),
                    report=report,
                    title=form.cleaned_data["title"],
                    narrative=narrative,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The report was saved."))
                return redirect("projects:report", project.pk, report.pk)
    figures = reporting.compute_figures(report) if report.status == ReportStatus.DRAFT else None
    return render(
        request,
        "projects/report_detail.html",
        {
            "project": project,
            "report": report,
            "form": form,
            "figures": figures,
            "versions": report.versions.all(),
            "manager": manager,
            "editable": manager and report.status == ReportStatus.DRAFT,
        },
    )


@login_required
def report_draft(request: AuthenticatedRequest, pk: int, report_pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    report = get_report(project, report_pk)
    content = reporting.render_draft(actor=Actor.from_request(request), report=report)
    return download_response(content, _("%(title)s (draft).docx") % {"title": report.title})


@login_required
@require_POST
def report_finalise(request: AuthenticatedRequest, pk: int, report_pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    report = get_report(project, report_pk)
    try:
        version = reporting.finalise_report(actor=Actor.from_request(request), report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(number)s was finalised and frozen.") % {"number": version.number})
    return redirect("projects:report", project.pk, report.pk)


@login_required
@require_POST
def report_reopen(request: AuthenticatedRequest, pk: int, report_pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    report = get_report(project, report_pk)
    try:
        reporting.reopen_report(actor=Actor.from_request(request), report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is open again; finalising it will make the next version."))
    return redirect("projects:report", project.pk, report.pk)


@login_required
def report_version(request: AuthenticatedRequest, pk: int, report_pk: int, number: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    report = get_report(project, report_pk)
    version = report.versions.filter(number=number).first()
    if version is None:
        raise Http404
    try:
        content = reporting.read_version(actor=Actor.from_request(request), version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:report", project.pk, report.pk)
    return download_response(content, f"{version.title}-v{version.number}.docx")
