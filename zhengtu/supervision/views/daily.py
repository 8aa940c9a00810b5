"""Check-ins, written reports, visits and the files attached to them."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event

from .. import selectors
from ..forms import CheckInForm, VisitForm
from ..services import daily
from .common import actor_of, add_service_errors, capability_required, file_response


@login_required
@capability_required(Capability.SUPERVISE)
def check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = CheckInForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            daily.record_check_in(actor=actor_of(request), supervisee=supervisee, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Record a check-in or written report"),
            "history": [
                (str(item), item.content, item.recorded_by) for item in selectors.check_ins_of(supervisee)[:20]
            ],
            "multipart": True,
        },
    )


@login_required
@capability_required(Capability.SUPERVISE)
def visit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            daily.record_visit(actor=actor_of(request), supervisee=supervisee, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Record a visit"),
            "history": [
                (str(item), f"{item.place} · {item.notes}", item.recorded_by)
                for item in selectors.visits_of(supervisee)[:20]
            ],
            "multipart": True,
        },
    )


@login_required
@capability_required(Capability.VIEW_SUPERVISEES)
def attachment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.get_attachment_for_user(request.user, pk)
    record_event(request, action=Action.EXPORT, target=item, detail={"supervisee": item.supervisee_id})
    with item.file.open("rb") as handle:
        content = handle.read()
    name = item.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return file_response(content, name, content_type, inline=content_type.startswith("image/"))
