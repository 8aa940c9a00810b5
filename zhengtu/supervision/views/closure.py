"""Release and termination pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.core.pages import save_form

from .. import selectors
from ..forms import ReleaseCompleteForm, ReleasePrepareForm, TerminationForm
from ..rules import term_ending_reminder_days
from ..services import closure
from .common import actor_of, capability_required


@login_required
@capability_required(Capability.SUPERVISE)
def release(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    existing = getattr(supervisee, "release", None)
    prepare = ReleasePrepareForm(
        request.POST if request.POST.get("step") == "prepare" else None,
        initial={"self_summary": existing.self_summary, "appraisal": existing.appraisal} if existing else None,
        prefix="prepare",
    )
    complete = ReleaseCompleteForm(
        request.POST if request.POST.get("step") == "complete" else None,
        initial={"released_on": supervisee.term_end},
        prefix="complete",
    )
    actor = actor_of(request)
    # Only the form of the step posted is bound; the other one cannot be valid.
    if save_form(request, prepare, lambda data: closure.prepare_release(actor=actor, supervisee=supervisee, **data)):
        messages.success(request, _("Self-summary and appraisal saved."))
        return redirect("supervision:release", pk=supervisee.pk)
    if save_form(request, complete, lambda data: closure.complete_release(actor=actor, supervisee=supervisee, **data)):
        messages.success(
            request, _("%(name)s is released; the announcement and certificate are issued.") % {"name": supervisee.name}
        )
        return redirect("supervision:file", pk=supervisee.pk)
    days_left = (supervisee.term_end - timezone.localdate()).days
    return render(
        request,
        "supervision/release.html",
        {
            "supervisee": supervisee,
            "prepare": prepare,
            "complete": complete,
            "release": existing,
            "days_left": days_left,
            "reminder_days": term_ending_reminder_days(),
        },
    )


@login_required
@capability_required(Capability.DECIDE_SANCTIONS)
def terminate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_supervisee_for_user(request.user, pk)
    form = TerminationForm(request.POST or None)
    if save_form(
        request,
        form,
        lambda data: closure.terminate_supervision(actor=actor_of(request), supervisee=supervisee, **data),
    ):
        messages.success(request, _("Supervision of %(name)s is terminated.") % {"name": supervisee.name})
        return redirect("supervision:file", pk=supervisee.pk)
    return render(
        request,
        "supervision/form.html",
        {
            "supervisee": supervisee,
            "form": form,
            "title": _("Terminate supervision"),
            "intro": _("Revocation of probation or parole, return to prison, or death. This cannot be undone."),
            "danger": True,
        },
    )
