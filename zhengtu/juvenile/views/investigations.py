"""Social investigation pages: request, interviews, draft and edit, approval, sending; the prosecutor's inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability
from zhengtu.core.pages import run_action

from ..forms import InterviewForm, InvestigationRequestForm, ReportForm
from ..models import REPORT_SECTIONS, InvestigationStatus
from ..selectors import cases_visible_to, get_case_for_user, get_investigation_for_user, investigations_received_by
from ..services import investigations as services
from ..services.cases import may_handle
from .common import form_page


@login_required
def request_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    return form_page(
        request,
        InvestigationRequestForm(request.POST or None),
        title=_("Request a social investigation"),
        save=lambda d: services.request_investigation(
            actor=Actor.from_request(request), case=case, requesting_organ=d["requesting_organ"], due_on=d["due_on"]
        ),
        next_url=lambda i: reverse("juvenile:investigation", args=[i.pk]),
        done=_("The social investigation has been requested."),
        back=reverse("juvenile:case", args=[case.pk]),
    )


@login_required
def investigation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    investigation = get_investigation_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=investigation.case, detail={"investigation": investigation.pk})
    handler = may_handle(request.user, investigation.case)
    return render(
        request,
        "juvenile/investigation.html",
        {
            "investigation": investigation,
            "case": investigation.case,
            "interviews": investigation.interviews.all(),
            "sections": [(str(title), getattr(investigation, field)) for field, title in REPORT_SECTIONS],
            "handler": handler,
            "editable": handler
            and investigation.status
            in (InvestigationStatus.REQUESTED, InvestigationStatus.DRAFT, InvestigationStatus.AWAITING_APPROVAL),
            "may_approve": can(request.user, Capability.APPROVE_JUVENILE)
            and investigation.status == InvestigationStatus.AWAITING_APPROVAL,
            "may_send": handler and investigation.status == InvestigationStatus.APPROVED,
            "interview_form": InterviewForm(),
        },
    )


@login_required
def interview_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    investigation = get_investigation_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    return form_page(
        request,
        InterviewForm(request.POST or None),
        title=_("Record an interview"),
        save=lambda d: services.record_interview(actor=Actor.from_request(request), investigation=investigation, **d),
        next_url=lambda i: reverse("juvenile:investigation", args=[investigation.pk]),
        done=_("The interview has been recorded."),
        back=reverse("juvenile:investigation", args=[investigation.pk]),
    )


@login_required
def report_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    investigation = get_investigation_for_user(request.user, pk)
    require_capability(request.user, Capability.HANDLE_JUVENILE_CASES)
    initial = {field: getattr(investigation, field) for field, _title in REPORT_SECTIONS}
    return form_page(
        request,
        ReportForm(request.POST or None, initial=initial),
        title=_("Edit the social investigation report"),
        save=lambda d: services.edit_report(actor=Actor.from_request(request), investigation=investigation, sections=d),
        next_url=lambda i: reverse("juvenile:investigation", args=[i.pk]),
        done=_("The report has been saved."),
        back=reverse("juvenile:investigation", args=[investigation.pk]),
    )


ACTIONS = {
    "draft": (services.draft_from_interviews, gettext_lazy("The report has been drafted from the interviews.")),
    "submit": (services.submit_report, gettext_lazy("The report has been submitted for approval.")),
    "approve": (services.approve_report, gettext_lazy("The report has been approved.")),
    "send": (services.send_report, gettext_lazy("The report has been sent to the requesting organ.")),
}


@login_required
@require_POST
def report_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    investigation = get_investigation_for_user(request.user, pk)
    if action not in ACTIONS:
        return redirect("juvenile:investigation", pk=pk)
    service, done = ACTIONS[action]
    run_action(request, lambda: service(actor=Actor.from_request(request), investigation=investigation), done=str(done))
    return redirect("juvenile:investigation", pk=pk)


@login_required
def received(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.REFER_JUVENILES)
    reports = investigations_received_by(request.user).select_related("document").order_by("-sent_at")
    # The conditional non-prosecution cases this procuratorate decided, with the social worker's reports.
    following = (
        cases_visible_to(request.user)
        .filter(referring_organisation=request.user.organisation, non_prosecution__isnull=False)
        .select_related("non_prosecution")
        .annotate(
            report_count=Count("non_prosecution__reports"), last_report=Max("non_prosecution__reports__period_end")
        )
        .order_by("non_prosecution__ends_on")
    )
    return render(request, "juvenile/received.html", {"reports": reports, "following": following})
