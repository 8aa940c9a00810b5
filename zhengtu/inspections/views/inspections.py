"""One project's inspection: the panel's scoring, activities and evidence, findings, rectification, report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.models import User
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.downloads import download_response, stored_file_response
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import add_service_errors, run_form_action, save_form

from ..forms import (
    ActivityForm,
    CloseRectificationForm,
    FindingForm,
    PlanForm,
    ReasonForm,
    RectificationForm,
    ReopenRectificationForm,
    ScoresheetForm,
)
from ..models import InspectionStatus, ProjectInspection, RectificationStatus, RoundStatus
from ..reports import render_project_report
from ..scoring import panel_score
from ..selectors import (
    InspectionAccess,
    access_to,
    get_evidence_for_user,
    get_inspection_for_user,
    get_inspection_to_score,
    get_managed_inspection,
    get_rectification_for_user,
    own_scoresheet,
    rectifications_visible_to,
)
from ..services import findings as finding_services
from ..services import rounds as round_services
from ..services import scoresheets as scoresheet_services
from .rounds import DOCX


def _agency_staff(inspection: ProjectInspection) -> object:
    return User.objects.filter(is_active=True, organisation__path__startswith=inspection.project.agency.path).order_by(
        "full_name", "username"
    )


def _forms(inspection: ProjectInspection, access: InspectionAccess) -> dict[str, object]:
    sections = inspection.round.rubric.sections.order_by("order", "pk")
    forms: dict[str, object] = {}
    if access.manages or access.expert:
        forms["activity_form"] = ActivityForm(initial={"occurred_on": inspection.visit_on or timezone.localdate()})
        forms["finding_form"] = FindingForm(sections=sections)
    if access.manages:
        forms["plan_form"] = PlanForm(
            panels=inspection.round.panels.all(),
            initial={"panel": inspection.panel_id, "visit_on": inspection.visit_on, "summary": inspection.summary},
        )
        forms["rectification_form"] = RectificationForm(
            findings=inspection.findings.all(),
            owners=_agency_staff(inspection),
            initial={"due_on": finding_services.default_due_date()},
        )
        forms["reason_form"] = ReasonForm()
        forms["reopen_form"] = ReopenRectificationForm(initial={"due_on": finding_services.default_due_date()})
    return forms


@login_required
def inspection_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    access = access_to(request.user, inspection)
    score = panel_score(inspection) if access.sees_panel_score else None
    today = timezone.localdate()
    context = {
        "inspection": inspection,
        "project": inspection.project,
        "access": access,
        "score": score,
        "own_sheet": own_scoresheet(inspection, access.expert) if access.expert else None,
        "sheets": inspection.scoresheets.select_related("expert").order_by("expert__name") if access.manages else [],
        "members": inspection.panel.members.select_related("expert").order_by("-is_leader", "pk")
        if inspection.panel
        else [],
        "activities": inspection.activities.prefetch_related("evidence").order_by("occurred_on", "pk"),
        "findings": inspection.findings.select_related("section").order_by("kind", "pk"),
        "rectifications": inspection.rectifications.select_related("owner").prefetch_related("evidence"),
        "today": today,
        "scoring_open": inspection.round.status == RoundStatus.IN_PROGRESS
        and inspection.status != InspectionStatus.FINALISED,
        **_forms(inspection, access),
    }
    return render(request, "inspections/inspection_detail.html", context)


@login_required
@require_POST
def inspection_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_managed_inspection(request.user, pk)
    form = PlanForm(request.POST, panels=inspection.round.panels.all())
    actor = Actor.from_request(request)
    if form.is_valid():
        try:
            if form.cleaned_data["panel"] != inspection.panel:
                round_services.assign_panel(actor=actor, inspection=inspection, panel=form.cleaned_data["panel"])
            round_services.schedule_visit(
                actor=actor,
                inspection=inspection,
                visit_on=form.cleaned_data["visit_on"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, pgettext("inspections", "Saved."))
    else:
        messages.error(request, pgettext("inspections", "Please check the panel and the visit date."))
    return redirect("inspections:inspection-detail", pk=inspection.pk)


@login_required
@require_POST
def inspection_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_managed_inspection(request.user, pk)
    round_pk = inspection.round_id
    try:
        round_services.remove_inspection(actor=Actor.from_request(request), inspection=inspection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inspections:inspection-detail", pk=inspection.pk)
    messages.success(request, pgettext("inspections", "The project has been taken out of the round."))
    return redirect("inspections:round-detail", pk=round_pk)


@login_required
def inspection_score(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The expert's own scoresheet: save as a draft, or submit (then it is final)."""
    inspection, expert = get_inspection_to_score(request.user, pk)
    indicators = scoresheet_services.indicators_of(inspection)
    sheet = own_scoresheet(inspection, expert)
    initial: dict[str, object] = {}
    if sheet is not None:
        initial["comment"] = sheet.comment
        for score in sheet.scores.all():
            initial[f"indicator_{score.indicator_id}"] = score.points
            initial[f"note_{score.indicator_id}"] = score.note
    form = ScoresheetForm(request.POST or None, indicators=indicators, initial=initial)
    submitted = sheet is not None and sheet.submitted_at is not None
    if request.method == "POST" and not submitted and form.is_valid():
        submit = "submit" in request.POST
        try:
            scoresheet_services.save_scoresheet(
                actor=Actor.from_request(request),
                inspection=inspection,
                expert=expert,
                points=form.points(),
                notes=form.notes(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                pgettext("inspections", "Your scores have been submitted.")
                if submit
                else pgettext("inspections", "Draft saved."),
            )
            if submit:
                return redirect("inspections:inspection-detail", pk=inspection.pk)
            return redirect("inspections:inspection-score", pk=inspection.pk)
    sections: list[dict[str, object]] = []
    for row in form.rows():
        section = row["indicator"].section
        if not sections or sections[-1]["section"] != section:
            sections.append({"section": section, "rows": []})
        sections[-1]["rows"].append(row)  # type: ignore[attr-defined]
    context = {
        "inspection": inspection,
        "expert": expert,
        "form": form,
        "sections": sections,
        "sheet": sheet,
        "submitted": submitted,
        "open": inspection.round.status == RoundStatus.IN_PROGRESS and inspection.status != InspectionStatus.FINALISED,
    }
    return render(request, "inspections/inspection_score.html", context)


@login_required
@require_POST
def inspection_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_managed_inspection(request.user, pk)
    actor = Actor.from_request(request)
    try:
        if request.POST.get("to") == InspectionStatus.FINALISED:
            round_services.finalise_inspection(actor=actor, inspection=inspection)
            messages.success(
                request, pgettext("inspections", "The inspection is finalised; the agency can now see the results.")
            )
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            round_services.reopen_inspection(actor=actor, inspection=inspection, reason=reason)
            messages.success(request, pgettext("inspections", "The inspection has been reopened."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("inspections:inspection-detail", pk=inspection.pk)


@login_required
@require_POST
def scoresheet_reopen(request: AuthenticatedRequest, pk: int, sheet_pk: int) -> HttpResponse:
    inspection = get_managed_inspection(request.user, pk)
    sheet = get_or_404(inspection.scoresheets, sheet_pk)
    form = ReasonForm(request.POST)
    try:
        scoresheet_services.reopen_scoresheet(
            actor=Actor.from_request(request),
            scoresheet=sheet,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, pgettext("inspections", "The scoresheet has been given back to the expert."))
    return redirect("inspections:inspection-detail", pk=inspection.pk)


def _require_panel_or_manager(access: InspectionAccess) -> None:
    if not (access.manages or access.expert):
        raise PermissionDenied


@login_required
@require_POST
def activity_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    _require_panel_or_manager(access_to(request.user, inspection))
    form = ActivityForm(request.POST, request.FILES)
    run_form_action(
        request,
        form,
        lambda data: finding_services.record_activity(actor=Actor.from_request(request), inspection=inspection, **data),
        invalid=pgettext("inspections", "Enter the kind, the date and the notes of the activity."),
        done=pgettext("inspections", "The activity has been recorded."),
    )
    return redirect(reverse("inspections:inspection-detail", args=[inspection.pk]) + "#activities")


@login_required
@require_POST
def finding_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    _require_panel_or_manager(access_to(request.user, inspection))
    form = FindingForm(request.POST, sections=inspection.round.rubric.sections.all())
    run_form_action(
        request,
        form,
        lambda data: finding_services.add_finding(actor=Actor.from_request(request), inspection=inspection, **data),
        invalid=pgettext("inspections", "Write the finding."),
        done=pgettext("inspections", "The finding has been recorded."),
    )
    return redirect(reverse("inspections:inspection-detail", args=[inspection.pk]) + "#findings")


@login_required
@require_POST
def rectification_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_managed_inspection(request.user, pk)
    form = RectificationForm(request.POST, findings=inspection.findings.all(), owners=_agency_staff(inspection))
    run_form_action(
        request,
        form,
        lambda data: finding_services.create_rectification(
            actor=Actor.from_request(request), inspection=inspection, **data
        ),
        invalid=pgettext("inspections", "Describe what must be put right and check the due date."),
        done=pgettext("inspections", "The rectification item has been created."),
    )
    return redirect(reverse("inspections:inspection-detail", args=[inspection.pk]) + "#rectification")


@login_required
def rectification_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The agency (or the association) closes an item with a note and evidence."""
    item = get_rectification_for_user(request.user, pk)
    access = access_to(request.user, item.inspection)
    if not (access.agency or access.manages):
        raise PermissionDenied
    form = CloseRectificationForm(request.POST or None, request.FILES or None)
    if item.status == RectificationStatus.OPEN and save_form(
        request,
        form,
        lambda data: finding_services.close_rectification(
            actor=Actor.from_request(request), item=item, closing_note=data["closing_note"], files=data["attachments"]
        ),
    ):
        messages.success(request, pgettext("inspections", "The rectification item is closed."))
        return redirect(reverse("inspections:inspection-detail", args=[item.inspection_id]) + "#rectification")
    context = {"item": item, "form": form, "evidence": item.evidence.all()}
    return render(request, "inspections/rectification_close.html", context)


@login_required
@require_POST
def rectification_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_rectification_for_user(request.user, pk)
    if not access_to(request.user, item.inspection).manages:
        raise Http404
    form = ReopenRectificationForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: finding_services.reopen_rectification(actor=Actor.from_request(request), item=item, **data),
        invalid=pgettext("inspections", "Give the reason and the new due date."),
        done=pgettext("inspections", "The rectification item has been reopened."),
    )
    return redirect(reverse("inspections:inspection-detail", args=[item.inspection_id]) + "#rectification")


@login_required
def rectification_list(request: AuthenticatedRequest) -> HttpResponse:
    items = rectifications_visible_to(request.user)
    status = request.GET.get("status", RectificationStatus.OPEN)
    if status in RectificationStatus.values:
        items = items.filter(status=status)
    context = {
        "items": items.order_by("due_on", "pk")[:500],
        "status": status,
        "statuses": RectificationStatus.choices,
        "today": timezone.localdate(),
    }
    return render(request, "inspections/rectification_list.html", context)


@login_required
def evidence_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    evidence = get_evidence_for_user(request.user, pk)
    record_event(request, action=Action.EXPORT, target=evidence.inspection, detail={"evidence": evidence.pk})
    return stored_file_response(evidence.file, evidence.original_name)


@login_required
def project_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, pk)
    access = access_to(request.user, inspection)
    if not (access.manages or inspection.status == InspectionStatus.FINALISED):
        raise Http404
    content = render_project_report(inspection)
    record_event(request, action=Action.EXPORT, target=inspection, detail={"report": "project_report"})
    filename = pgettext("inspections", "inspection-report-%(pk)s.docx") % {"pk": inspection.pk}
    return download_response(content, filename, DOCX)
