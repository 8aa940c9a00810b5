"""Sealed records: asking to read a sealed case with a legal basis, and deciding such requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import run_action, save_form

from ..forms import SealedReadForm
from ..models import SealedReadRequest
from ..selectors import my_read_requests, read_requests_to_decide
from ..services.sealing import decide_sealed_read, request_sealed_read


@login_required
def sealed(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_JUVENILE_CASES)
    form = SealedReadForm(request.POST or None)
    saved = save_form(request, form, lambda d: request_sealed_read(actor=Actor.from_request(request), **d))
    if saved is not None:
        messages.success(request, _("Your request has been recorded and goes to an approver."))
        return redirect("juvenile:sealed")
    to_decide = (
        read_requests_to_decide(request.user).order_by("status", "-created_at")
        if can(request.user, Capability.APPROVE_JUVENILE)
        else SealedReadRequest.objects.none()
    )
    return render(
        request,
        "juvenile/sealed.html",
        {"form": form, "mine": my_read_requests(request.user), "to_decide": to_decide},
    )


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_capability(request.user, Capability.APPROVE_JUVENILE)
    read_request = get_or_404(read_requests_to_decide(request.user), pk)
    approve = request.POST.get("decision") == "approve"
    run_action(
        request,
        lambda: decide_sealed_read(actor=Actor.from_request(request), request=read_request, approve=approve),
        done=_("The request has been decided."),
    )
    return redirect("juvenile:sealed")
