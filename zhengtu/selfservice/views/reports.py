"""Written reports and messages in the app (both go through the phone's outbox: they work offline)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengtu.audit.services import Actor

from ..access import SuperviseeRequest, supervisee_required
from ..idempotency import idempotent
from ..selectors import own_messages, own_reports
from ..services.messages import mark_read, send_message
from ..services.reports import submit_report
from .common import answer, refusal


@supervisee_required
@require_http_methods(["GET", "POST"])
@idempotent
def reports(request: SuperviseeRequest) -> HttpResponse | JsonResponse:
    if request.method == "POST":
        seconds = request.POST.get("voice_seconds", "")
        try:
            report = submit_report(
                actor=Actor.from_request(request),
                supervisee=request.supervisee,
                text=request.POST.get("text", ""),
                photos=request.FILES.getlist("photos"),
                voice=request.FILES.get("voice"),
                voice_seconds=int(seconds) if seconds.isdigit() else None,
            )
        except ValidationError as error:
            return refusal(error)
        return answer(
            {
                "id": report.pk,
                "message": _("Your written report was received."),
                "redirect": reverse("selfservice:reports"),
            },
            status=201,
        )
    return render(request, "selfservice/reports.html", {"reports": own_reports(request.supervisee)[:20]})


@supervisee_required
@require_http_methods(["GET", "POST"])
@idempotent
def messages(request: SuperviseeRequest) -> HttpResponse | JsonResponse:
    if request.method == "POST":
        try:
            message = send_message(
                actor=Actor.from_request(request), supervisee=request.supervisee, body=request.POST.get("body", "")
            )
        except ValidationError as error:
            return refusal(error)
        return answer(
            {"id": message.pk, "message": _("Sent."), "redirect": reverse("selfservice:messages")}, status=201
        )
    thread = own_messages(request.supervisee)
    mark_read(reader=request.user, messages=thread)
    return render(request, "selfservice/messages.html", {"thread": list(thread.order_by("-sent_at")[:100])[::-1]})
