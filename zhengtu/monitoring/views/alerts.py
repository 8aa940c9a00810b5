"""The alert queue and one alert's lifecycle: acknowledge → handle (notes, actions) → close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor

from ..alerts import acknowledge_alert, close_alert, handle_alert
from ..forms import AlertFilterForm, HandleAlertForm, NoteForm
from ..location_reads import record_location_read
from ..models import AlertStatus
from ..selectors import alerts_visible_to, get_alert_for_user
from .access import location_view


@location_view
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    alerts = alerts_visible_to(request.user).select_related("supervisee", "fence").order_by("-raised_at")
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    if status == "":
        alerts = alerts.exclude(status=AlertStatus.CLOSED)
    elif status != "all":
        alerts = alerts.filter(status=status)
    if kind:
        alerts = alerts.filter(kind=kind)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(request, "monitoring/alert_list.html", {"form": form, "page": page})


@location_view
def alert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk)
    record_location_read(request, what="alert", target=alert.supervisee, alert=alert.pk)
    context = {
        "alert": alert,
        "events": alert.events.select_related("actor"),
        "handle_form": HandleAlertForm(),
        "note_form": NoteForm(),
    }
    return render(request, "monitoring/alert_detail.html", context)


@location_view
@require_POST
def alert_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk)
    actor = Actor.from_request(request)
    try:
        if action == "acknowledge":
            acknowledge_alert(actor=actor, alert=alert, note=request.POST.get("note", "")[:500])
            messages.success(request, _("Alert acknowledged."))
        elif action == "handle":
            form = HandleAlertForm(request.POST)
            if not form.is_valid():
                context = {"alert": alert, "events": alert.events.all(), "handle_form": form, "note_form": NoteForm()}
                return render(request, "monitoring/alert_detail.html", context, status=400)
            handle_alert(
                actor=actor,
                alert=alert,
                notes=form.cleaned_data["handling_notes"],
                actions_taken=form.cleaned_data["actions_taken"],
            )
            messages.success(request, _("Handling recorded."))
        elif action == "close":
            close_alert(actor=actor, alert=alert, note=request.POST.get("note", "")[:500])
            messages.success(request, _("Alert closed."))
        else:
            return HttpResponse(status=404)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("monitoring:alert_detail", pk=alert.pk)
