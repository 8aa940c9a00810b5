"""Check-ins, written reports, visits and the files attached to them."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.downloads import download_response
from zhengtu.core.pages import save_form
from zhengtu.supervisees.models import Supervisee

from .. import selectors
from ..forms import CheckInForm, VisitForm
from ..services import daily
from .common import actor_of, capability_required


def _record_page(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    record: Callable[..., object],
    done: str,
    title: str,
    history: Callable[[Supervisee], list[tuple[str, str, object]]],
) -> HttpResponse:
    """A page that records one more check-in or visit of a supervisee, above the latest ones."""
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = form_class(request.POST or None, request.FILES or None)
    if save_form(request, form, lambda data: record(actor=actor_of(request), supervisee=supervisee, **data)):
        messages.success(request, done)
        return redirect("supervision:file", pk=supervisee.pk)
    context = {
        "supervisee": supervisee,
        "form": form,
        "title": title,
        "history": history(supervisee),
        "multipart": True,
    }
    return render(request, "supervision/form.html", context)


@login_required
@capability_required(Capability.SUPERVISE)
def check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=CheckInForm,
        record=daily.record_check_in,
        done=_("Recorded."),
        title=_("Record a check-in or written report"),
        history=lambda supervisee: [
            (str(item), item.content, item.recorded_by) for item in selectors.check_ins_of(supervisee)[:20]
        ],
    )


@login_required
@capability_required(Capability.SUPERVISE)
def visit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=VisitForm,
        record=daily.record_visit,
        done=_("Visit recorded."),
        title=_("Record a visit"),
        history=lambda supervisee: [
            (str(item), f"{item.place} · {item.notes}", item.recorded_by)
            for item in selectors.visits_of(supervisee)[:20]
        ],
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
    return download_response(content, name, content_type, inline=content_type.startswith("image/"))
