"""The supervision file of one person, the dashboard, intake, team, plan and level."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.pages import save_form
from zhengtu.supervisees.models import Status
from zhengtu.workspace.registry import supervisee_panels

from .. import selectors
from ..forms import (
    DashboardFilterForm,
    DocumentsReceivedForm,
    IntakeForm,
    LevelForm,
    PlanForm,
    TeamFormSet,
    TeamMemberForm,
)
from ..models import PermitKind
from ..services import intake as intake_services
from ..services import levels as level_services
from ..services.intake import TeamMemberInput
from .common import actor_of, capability_required


@login_required
@capability_required(Capability.VIEW_SUPERVISEES)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.supervisees_for_dashboard(
        request.user,
        status=filters.get("status", ""),
        level=filters.get("level", ""),
        query=filters.get("query", ""),
        overdue_only=bool(filters.get("overdue")),
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    due = selectors.due_items_by_supervisee([supervisee.pk for supervisee in page])
    rows = [(supervisee, due.get(supervisee.pk, [])) for supervisee in page]
    awaiting = selectors.steps_awaiting(request.user)[:20]
    return render(
        request,
        "supervision/dashboard.html",
        {"form": form, "page": page, "rows": rows, "awaiting": awaiting, "today": timezone.localdate()},
    )


@login_required
@capability_required(Capability.VIEW_SUPERVISEES)
def supervision_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "supervision_file"})
    today = timezone.localdate()
    context = {
        "supervisee": supervisee,
        "file": selectors.supervision_file_of(supervisee),
        "team": selectors.team_of(supervisee, current_only=True),
        "levels": selectors.level_changes_of(supervisee)[:5],
        "check_ins": selectors.check_ins_of(supervisee)[:10],
        "visits": selectors.visits_of(supervisee)[:10],
        "requests": selectors.approval_requests_of(supervisee)[:20],
        "leaves": selectors.leave_requests_of(supervisee)[:10],
        "monitoring": selectors.monitoring_of(supervisee)[:10],
        "monitoring_period": selectors.approved_monitoring_period(supervisee, today),
        "sanctions": selectors.sanctions_of(supervisee)[:10],
        "open_search": selectors.open_search_of(supervisee),
        "permit_kinds": PermitKind.choices,
        "documents": selectors.documents_of(supervisee),
        "due_items": selectors.due_items_of(supervisee),
        "release": getattr(supervisee, "release", None),
        "termination": getattr(supervisee, "termination", None),
        "can_supervise": can(request.user, Capability.SUPERVISE),
        "can_edit": can(request.user, Capability.EDIT_SUPERVISEES),
        "can_terminate": can(request.user, Capability.DECIDE_SANCTIONS),
        "today": today,
        "Status": Status,
        "plan_panels": supervisee_panels("plan", request, supervisee),
    }
    return render(request, "supervision/file.html", context)


@login_required
@capability_required(Capability.EDIT_SUPERVISEES)
def documents_received(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = DocumentsReceivedForm(request.POST or None)
    if saved := save_form(
        request,
        form,
        lambda data: intake_services.record_documents_received(
            actor=actor_of(request), supervisee=supervisee, received_on=data["received_on"]
        ),
    ):
        messages.success(
            request,
            _("Documents recorded. %(name)s must report by %(date)s.")
            % {"name": supervisee.name, "date": saved.result.reporting_deadline},
        )
        return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Legal documents received"),
            "intro": _(
                "From the date the judgment took effect (or, if unknown, the date the documents arrived) the person "
                "must report within the legal deadline; late arrivals are flagged."
            ),
        },
    )


@login_required
@capability_required(Capability.EDIT_SUPERVISEES)
def intake(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    supervision_file = selectors.supervision_file_of(supervisee)
    initial_team = [{"role": "officer", "name": request.user.display_name}]
    form = IntakeForm(
        request.POST or None,
        initial={"documents_received_on": supervision_file.documents_received_on if supervision_file else None},
    )
    team = TeamFormSet(request.POST or None, prefix="team", initial=initial_team)
    if request.method == "POST" and form.is_valid() and team.is_valid():
        members = [
            TeamMemberInput(
                role=row["role"],
                name=row["name"],
                phone=row.get("phone", ""),
                unit=row.get("unit", ""),
                user=request.user if row["role"] == "officer" and row["name"] == request.user.display_name else None,
            )
            # A prefilled row left as it was counts as filled in (formsets treat it as empty).
            for row in (form.cleaned_data if form.has_changed() else form.initial for form in team.forms)
            if row and row.get("role")
        ]
        if saved := save_form(
            request,
            form,
            lambda data: intake_services.register_intake(
                actor=actor_of(request), supervisee=supervisee, team=members, **data
            ),
        ):
            messages.success(
                request,
                _("Intake registered. The announcement %(number)s is ready to print.")
                % {"number": saved.result.number},
            )
            return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/intake.html",
        {"supervisee": supervisee, "form": form, "team": team, "file": supervision_file},
    )


@login_required
@capability_required(Capability.SUPERVISE)
def team(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not form.cleaned_data.get("role"):
        form.add_error("role", _("Choose the role of the team member."))  # the form is then no longer valid
    if save_form(
        request,
        form,
        lambda data: intake_services.add_team_member(
            actor=actor_of(request),
            supervisee=supervisee,
            member=TeamMemberInput(role=data["role"], name=data["name"], phone=data["phone"], unit=data["unit"]),
        ),
    ):
        messages.success(request, _("Team member added."))
        return redirect("supervision:team", pk=supervisee.pk)
    members = selectors.team_of(supervisee)
    return render(request, "supervision/team.html", {"supervisee": supervisee, "form": form, "members": members})


@login_required
@capability_required(Capability.SUPERVISE)
@require_POST
def team_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    member = selectors.get_team_member_for_user(request.user, pk)
    intake_services.remove_team_member(actor=actor_of(request), member=member)
    messages.success(request, _("%(name)s left the team.") % {"name": member.name})
    return redirect("supervision:team", pk=member.supervisee_id)


@login_required
@capability_required(Capability.SUPERVISE)
def plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    supervision_file = selectors.supervision_file_of(supervisee)
    initial = (
        {"correction_plan": supervision_file.correction_plan, "plan_measures": supervision_file.plan_measures}
        if supervision_file
        else {}
    )
    form = PlanForm(request.POST or None, initial=initial)
    if save_form(
        request,
        form,
        lambda data: intake_services.update_correction_plan(actor=actor_of(request), supervisee=supervisee, **data),
    ):
        messages.success(request, _("Correction plan saved."))
        return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Correction plan"),
            # What other apps count in the plan (reintegration: vocational training, job placements), read-only.
            "panels": supervisee_panels("plan", request, supervisee),
        },
    )


@login_required
@capability_required(Capability.SUPERVISE)
def level(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = LevelForm(request.POST or None, initial={"to_level": supervisee.supervision_level})
    if save_form(
        request,
        form,
        lambda data: level_services.review_supervision_level(actor=actor_of(request), supervisee=supervisee, **data),
    ):
        messages.success(request, _("Supervision level changed."))
        return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Change the supervision level"),
            "history": [
                (
                    f"{change.changed_at:%Y-%m-%d} {change.get_from_level_display()} → {change.get_to_level_display()}",
                    f"{change.get_source_display()} {change.reason}",
                    change.changed_by,
                )
                for change in selectors.level_changes_of(supervisee)
            ],
        },
    )
