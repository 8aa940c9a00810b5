"""Leave, transfer, monitoring and sanction requests, and the approval pages where they are decided."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.pages import save_form
from zhengtu.supervisees.models import Supervisee

from .. import selectors
from ..approval_kinds import registry, subject_of
from ..forms import (
    DecisionForm,
    LeaveForm,
    LeaveReturnForm,
    MonitoringExtensionForm,
    MonitoringForm,
    SanctionForm,
    TransferForm,
)
from ..models import ApprovalStatus, Permit
from ..rules import leave_rules, monitoring_rules
from ..services import approvals as approval_services
from ..services import leave as leave_services
from ..services import monitoring as monitoring_services
from ..services import sanctions as sanction_services
from ..services import transfer as transfer_services
from ..services.approvals import can_decide
from .common import actor_of, capability_required


def _request_page(request: AuthenticatedRequest, supervisee: Any, form: Any, title: str, intro: str) -> HttpResponse:
    return render(
        request,
        "supervision/form.html",
        {"supervisee": supervisee, "form": form, "title": title, "intro": intro, "multipart": True},
    )


def _request_for_approval(
    request: AuthenticatedRequest,
    supervisee: Supervisee,
    form: forms.Form,
    submit: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str],
    title: str,
    intro: str,
) -> HttpResponse:
    """The page of a request decided through an approval chain; once submitted, the approval's page."""
    if saved := save_form(request, form, submit):
        messages.success(request, done(saved.result) if callable(done) else done)
        return redirect("supervision:approval", pk=saved.result.approval_id)
    return _request_page(request, supervisee, form, title, intro)


@login_required
@capability_required(Capability.SUPERVISE)
def leave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    rules = leave_rules()
    intro = _(
        "Up to %(office)d days the justice office approves; longer, the county bureau; more than %(single)d days, "
        "or more than %(window)d days within %(months)d months, the level above."
    ) % {
        "office": rules.office_max_days,
        "single": rules.single_approval_max_days,
        "window": rules.window_max_days,
        "months": rules.window_months,
    }
    return _request_for_approval(
        request,
        supervisee,
        LeaveForm(request.POST or None),
        lambda data: leave_services.request_leave(actor=actor_of(request), supervisee=supervisee, **data),
        done=lambda created: _("Leave request submitted: %(reason)s") % {"reason": created.approval.routing_reason},
        title=_("Request leave"),
        intro=intro,
    )


@login_required
@capability_required(Capability.SUPERVISE)
def leave_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    leave_request = selectors.get_leave_for_user(request.user, pk)
    form = LeaveReturnForm(request.POST or None)
    if save_form(
        request, form, lambda data: leave_services.record_return(actor=actor_of(request), leave=leave_request, **data)
    ):
        messages.success(request, _("Return recorded."))
        return redirect("supervision:file", pk=leave_request.supervisee_id)
    return _request_page(request, leave_request.supervisee, form, _("Record the return from leave"), str(leave_request))


@login_required
@capability_required(Capability.SUPERVISE)
def transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    return _request_for_approval(
        request,
        supervisee,
        TransferForm(request.POST or None),
        lambda data: transfer_services.request_transfer(actor=actor_of(request), supervisee=supervisee, **data),
        done=_("Transfer request submitted."),
        title=_("Transfer the place of execution"),
        intro=_("The county bureau approves; the receiving county bureau then accepts the person."),
    )


@login_required
@capability_required(Capability.SUPERVISE)
def monitoring(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    intro = _(
        "Only in one of the five situations of article 29 of the Community Corrections Law; approved by the county "
        "bureau head; at most %(months)d months a period."
    ) % {"months": monitoring_rules().max_period_months}
    return _request_for_approval(
        request,
        supervisee,
        MonitoringForm(request.POST or None),
        lambda data: monitoring_services.request_monitoring(actor=actor_of(request), supervisee=supervisee, **data),
        done=_("Electronic monitoring request submitted to the county bureau."),
        title=_("Request electronic monitoring"),
        intro=intro,
    )


@login_required
@capability_required(Capability.SUPERVISE)
def monitoring_extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    current = selectors.get_monitoring_for_user(request.user, pk)
    intro = _("The current period ends on %(date)s; an extension may last at most %(months)d months.") % {
        "date": current.end_date,
        "months": monitoring_rules().max_extension_months,
    }
    return _request_for_approval(
        request,
        current.supervisee,
        MonitoringExtensionForm(request.POST or None, initial={"situation": current.situation}),
        lambda data: monitoring_services.request_monitoring(
            actor=actor_of(request),
            supervisee=current.supervisee,
            situation=data["situation"],
            facts=data["facts"],
            start_date=current.end_date,
            end_date=data["end_date"],
            extends=current,
        ),
        done=_("Extension request submitted to the county bureau."),
        title=_("Extend electronic monitoring"),
        intro=intro,
    )


@login_required
@capability_required(Capability.SUPERVISE)
def sanction(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    return _request_for_approval(
        request,
        supervisee,
        SanctionForm(request.POST or None, request.FILES or None),
        lambda data: sanction_services.propose_sanction(actor=actor_of(request), supervisee=supervisee, **data),
        done=_("Proposal submitted for decision."),
        title=_("Propose a commendation or sanction"),
        intro=_("Commendations and sanctions are proposed by the justice office with the facts and evidence."),
    )


@login_required
@capability_required(Capability.SUPERVISE)
def file_request(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """The page of any registered approval kind filed through the generic entry point."""
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    spec = registry().get(kind)
    if spec is None or not spec.generic_page:
        raise Http404
    return _request_for_approval(
        request,
        supervisee,
        spec.form(request.POST or None),
        lambda data: spec.file(actor=actor_of(request), supervisee=supervisee, **data),
        done=lambda created: _("Request submitted: %(reason)s") % {"reason": created.approval.routing_reason},
        title=str(spec.label),
        intro=spec.limits(),
    )


@login_required
def approvals(request: AuthenticatedRequest) -> HttpResponse:
    awaiting = selectors.steps_awaiting(request.user)
    status = request.GET.get("status", "")
    queryset = selectors.approval_requests_visible_to(request.user).select_related("supervisee", "requested_by")
    if status in ApprovalStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("-requested_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/approvals.html",
        {"awaiting": awaiting, "page": page, "status": status, "statuses": ApprovalStatus.choices},
    )


@login_required
def approval(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval_request = selectors.get_approval_request_for_user(request.user, pk)
    steps = list(approval_request.steps.select_related("organisation", "decided_by").order_by("order"))
    current = next((step for step in steps if step.status == "pending"), None)
    may_decide = current is not None and can_decide(request.user, current)
    form = DecisionForm(request.POST or None)
    if may_decide and save_form(
        request,
        form,
        lambda data: approval_services.decide(
            actor=actor_of(request),
            request=approval_request,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        ),
    ):
        messages.success(request, _("Decision recorded."))
        return redirect("supervision:approval", pk=approval_request.pk)
    if request.method == "GET":
        record_event(request, action=Action.VIEW, target=approval_request)
    subject = subject_of(approval_request)
    evidence = selectors.attachments_of(approval_request.supervisee, subject) if subject is not None else []
    return render(
        request,
        "supervision/approval.html",
        {
            "approval": approval_request,
            "steps": steps,
            "current": current,
            "may_decide": may_decide,
            "is_filer": approval_services.is_filer(request.user, approval_request),
            "form": form,
            "subject": subject,
            "permit": subject if isinstance(subject, Permit) else None,
            "evidence": evidence,
            "can_withdraw": approval_request.status == ApprovalStatus.PENDING
            and approval_request.requested_by_id == request.user.pk,
        },
    )


@login_required
@require_POST
def approval_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval_request = selectors.get_approval_request_for_user(request.user, pk)
    try:
        approval_services.withdraw(actor=actor_of(request), request=approval_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("supervision:approval", pk=approval_request.pk)
