"""Project overview, project page, contract, staff and KPI targets, and the drill-down to records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability
from zhengtu.core.pages import add_service_errors
from zhengtu.core.query import int_param

from .. import services
from ..credentials import credentials_of
from ..forms import CredentialForm, ProjectForm, StaffForm, TargetForm
from ..indicators import evidence
from ..models import ProjectStatus
from ..progress import (
    budget_status,
    overview,
    project_progress,
    project_summary,
    target_progress,
)
from ..selectors import (
    can_manage_project,
    get_managed_project_for_user,
    get_project_for_user,
    get_target_for_user,
    projects_visible_to,
)


@login_required
def project_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every project the user may see with its progress: the bureau's overview across projects."""
    status = request.GET.get("status", "")
    projects = projects_visible_to(request.user)
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    summaries = overview(projects)
    return render(
        request,
        "projects/project_list.html",
        {
            "summaries": summaries,
            "status": status,
            "statuses": ProjectStatus.choices,
            "can_create": can(request.user, Capability.MANAGE_PROJECTS),
            "totals": {
                "contract": sum((s.project.contract_amount for s in summaries), 0),
                "spent": sum((s.spent for s in summaries), 0),
                "behind": sum(s.behind for s in summaries),
            },
        },
    )


@login_required
def project_create(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_PROJECTS)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(actor=Actor.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project was created. Add its budget lines and targets next."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form_page.html", {"form": form, "title": _("New project"), "multipart": False})


@login_required
def project_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    today = timezone.localdate()
    summary = project_summary(project, as_of=today)
    manager = can_manage_project(request.user, project)
    staff = list(project.staff.select_related("user", "user__organisation").order_by("role", "user__full_name"))
    credentials = credentials_of([s.user_id for s in staff], timezone.localdate())
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "summary": summary,
            "progress": project_progress(project, as_of=today),
            "lines": budget_status(project),
            "adjustments": project.budget_adjustments.select_related(
                "budget_line", "source_line", "requested_by", "decided_by"
            )[:20],
            "staff": [(member, credentials.get(member.user_id, [])) for member in staff],
            "reports": project.reports.all()[:10],
            "manager": manager,
            "today": today,
        },
    )


@login_required
def project_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_project(actor=Actor.from_request(request), project=project, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contract was saved."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form_page.html", {"form": form, "title": _("Edit contract"), "project": project})


@login_required
def project_staff(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    manager = can_manage_project(request.user, project)
    staff_form = StaffForm(request.POST if "add_staff" in request.POST else None, project=project, prefix="staff")
    credential_form = CredentialForm(
        request.POST if "add_credential" in request.POST else None, project=project, prefix="credential"
    )
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        actor = Actor.from_request(request)
        try:
            if "add_staff" in request.POST and staff_form.is_valid():
                services.add_staff(actor=actor, project=project, **staff_form.cleaned_data)
                messages.success(request, _("The person was added to the project."))
                return redirect("projects:staff", project.pk)
            if "add_credential" in request.POST and credential_form.is_valid():
                services.add_credential(actor=actor, project=project, **credential_form.cleaned_data)
                messages.success(request, _("The credential was recorded."))
                return redirect("projects:staff", project.pk)
            if "end_staff" in request.POST:
                number = int_param(request.POST, "staff_id")
                member = project.staff.filter(pk=number).first() if number else None
                if member is not None:
                    services.end_staff(actor=actor, staff=member, left_on=timezone.localdate())
                    messages.success(request, _("%(name)s left the project today.") % {"name": member.user})
                return redirect("projects:staff", project.pk)
        except ValidationError as error:
            add_service_errors(staff_form if "add_staff" in request.POST else credential_form, error)
    staff = list(project.staff.select_related("user", "user__organisation").order_by("left_on", "role"))
    credentials = credentials_of([s.user_id for s in staff], timezone.localdate())
    return render(
        request,
        "projects/staff.html",
        {
            "project": project,
            "staff": [(member, credentials.get(member.user_id, [])) for member in staff],
            "staff_form": staff_form,
            "credential_form": credential_form,
            "manager": manager,
            "today": timezone.localdate(),
        },
    )


@login_required
def project_targets(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    manager = can_manage_project(request.user, project)
    form = TargetForm(
        request.POST or None, initial={"period_start": project.period_start, "period_end": project.period_end}
    )
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_target(actor=Actor.from_request(request), project=project, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The target was saved."))
                return redirect("projects:targets", project.pk)
    progress = [target_progress(t) for t in project.kpi_targets.select_related("project")]
    return render(
        request,
        "projects/targets.html",
        {"project": project, "form": form, "progress": progress, "manager": manager},
    )


@login_required
@require_POST
def target_delete(request: AuthenticatedRequest, pk: int, target_pk: int) -> HttpResponse:
    project = get_managed_project_for_user(request.user, pk)
    target = get_target_for_user(request.user, project, target_pk)
    services.delete_target(actor=Actor.from_request(request), target=target)
    messages.success(request, _("The target was removed."))
    return redirect("projects:targets", project.pk)


@login_required
def target_records(request: AuthenticatedRequest, pk: int, target_pk: int) -> HttpResponse:
    """Drill down from a figure to the ledger records behind it."""
    project = get_project_for_user(request.user, pk)
    target = get_target_for_user(request.user, project, target_pk)
    progress = target_progress(target)
    last_counted = min(target.period_end, progress.as_of)
    rows = evidence(project, target.indicator, target.period_start, last_counted)
    return render(
        request,
        "projects/target_records.html",
        {"project": project, "target": target, "progress": progress, "rows": rows, "last_counted": last_counted},
    )
