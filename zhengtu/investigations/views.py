"""Pages of the pre-sentence investigation: the list, a new commission, and one investigation with its steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability
from zhengtu.core.downloads import content_disposition
from zhengtu.core.pages import save_form
from zhengtu.core.private_files import private_file_response
from zhengtu.orgs.models import OrganisationKind

from . import selectors, services
from .forms import AssignForm, CommissionForm, DecisionForm, InterviewForm, OpinionForm, OutcomeForm
from .models import Investigation, InvestigationStatus


def _actor(request: AuthenticatedRequest) -> Actor:
    return Actor.from_request(request)


@login_required
def investigation_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.SUPERVISE)
    queryset = selectors.investigations_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in InvestigationStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "investigations/list.html",
        {
            "page": page,
            "status": status,
            "statuses": InvestigationStatus.choices,
            "can_receive": can(request.user, Capability.APPROVE_BUREAU)
            and request.user.organisation is not None
            and request.user.organisation.kind == OrganisationKind.COUNTY_BUREAU,
        },
    )


@login_required
def commission_new(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.APPROVE_BUREAU)
    bureau = request.user.organisation
    if bureau is None or bureau.kind != OrganisationKind.COUNTY_BUREAU:
        raise PermissionDenied
    form = CommissionForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> Investigation:
        return services.receive_commission(actor=_actor(request), bureau=bureau, **data)

    if saved := save_form(request, form, save):
        messages.success(
            request,
            _("Commission registered: answer by %(date)s.") % {"date": saved.result.due_on.isoformat()},
        )
        return redirect("investigations:detail", pk=saved.result.pk)
    return render(request, "investigations/form.html", {"form": form, "title": _("Register a commission")})


@login_required
def investigation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.SUPERVISE)
    investigation = selectors.get_investigation_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=investigation)
    user = request.user
    is_bureau = can(user, Capability.APPROVE_BUREAU) and user.organisation_id == investigation.bureau_id
    is_office = investigation.office_id is not None and user.organisation_id == investigation.office_id
    status = investigation.status
    investigating = status in (InvestigationStatus.INVESTIGATING, InvestigationStatus.RETURNED)
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "interviews": investigation.interviews.all(),
            "documents": investigation.documents.all(),
            "assign_form": AssignForm(bureau=investigation.bureau)
            if is_bureau and status in (InvestigationStatus.RECEIVED, InvestigationStatus.INVESTIGATING)
            else None,
            "interview_form": InterviewForm() if (is_office or is_bureau) and investigating else None,
            "opinion_form": OpinionForm(
                initial={
                    "home_circumstances": investigation.home_circumstances,
                    "attitude": investigation.attitude,
                    "opinion": investigation.opinion,
                    "opinion_text": investigation.opinion_text,
                }
            )
            if (is_office or is_bureau) and investigating
            else None,
            "decision_form": DecisionForm() if is_bureau and status == InvestigationStatus.SUBMITTED else None,
            "outcome_form": OutcomeForm() if status == InvestigationStatus.ANSWERED else None,
        },
    )


@login_required
def commission_documents(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The files that arrived with the commission, each to open or download."""
    require_capability(request.user, Capability.SUPERVISE)
    investigation = selectors.get_investigation_for_user(request.user, pk)
    documents = list(investigation.documents.all())
    record_event(request, action=Action.VIEW, target=investigation, detail={"page": "commission_documents"})
    return render(request, "investigations/documents.html", {"investigation": investigation, "documents": documents})


# Types a browser shows without running anything: opened in place; any other upload is saved, never rendered.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg")


@login_required
def commission_document(request: AuthenticatedRequest, pk: int, document_pk: int) -> FileResponse:
    require_capability(request.user, Capability.SUPERVISE)
    investigation = selectors.get_investigation_for_user(request.user, pk)
    document = selectors.get_commission_document(investigation, document_pk)
    response = private_file_response(
        request,
        document.file,
        audit_target=investigation,
        what=document.title,
        detail={"commission_document": document.pk},
    )
    inline = response["Content-Type"] in INLINE_TYPES
    response["Content-Disposition"] = content_disposition(document.file_name, inline=inline)
    return response


def _step(
    request: AuthenticatedRequest,
    pk: int,
    form_class: Callable[..., forms.Form],
    action: Callable[[Investigation, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    require_capability(request.user, Capability.SUPERVISE)
    investigation = selectors.get_investigation_for_user(request.user, pk)
    form = form_class(request.POST)
    if saved := save_form(request, form, lambda data: action(investigation, data)):
        del saved
        messages.success(request, done)
    else:
        problems = [str(message) for errors in form.errors.values() for message in errors]
        messages.error(request, " ".join(problems) or _("Check the form."))
    return redirect("investigations:detail", pk=investigation.pk)


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    investigation = selectors.get_investigation_for_user(request.user, pk)
    return _step(
        request,
        pk,
        lambda data: AssignForm(data, bureau=investigation.bureau),
        lambda inv, data: services.assign(actor=_actor(request), investigation=inv, office=data["office"]),
        _("Assigned to the justice office."),
    )


@login_required
@require_POST
def interview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        InterviewForm,
        lambda inv, data: services.record_interview(actor=_actor(request), investigation=inv, **data),
        _("Interview recorded."),
    )


@login_required
@require_POST
def opinion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        OpinionForm,
        lambda inv, data: services.submit_opinion(actor=_actor(request), investigation=inv, **data),
        _("Opinion submitted to the bureau."),
    )


@login_required
@require_POST
def decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        DecisionForm,
        lambda inv, data: services.decide_opinion(
            actor=_actor(request), investigation=inv, approve=data["decision"] == "approve", comment=data["comment"]
        ),
        _("Decision recorded."),
    )


@login_required
@require_POST
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        OutcomeForm,
        lambda inv, data: services.record_outcome(actor=_actor(request), investigation=inv, **data),
        _("Outcome recorded."),
    )
