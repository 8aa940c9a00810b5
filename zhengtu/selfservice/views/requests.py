"""Requests in the app: choose a kind, fill in its form, follow each approval step's decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengtu.audit.services import Actor

from ..access import SuperviseeRequest, supervisee_required
from ..idempotency import idempotent
from ..models import AppRequest
from ..request_kinds import request_kinds
from ..services.requests import submit_app_request
from .common import answer, refusal


@supervisee_required
@require_http_methods(["GET"])
def requests_list(request: SuperviseeRequest) -> HttpResponse:
    items = (
        AppRequest.objects.filter(supervisee=request.supervisee)
        .select_related("approval")
        .prefetch_related("approval__steps__organisation")[:30]
    )
    return render(request, "selfservice/requests.html", {"items": items, "kinds": request_kinds().values()})


@supervisee_required
@require_http_methods(["GET", "POST"])
@idempotent
def request_new(request: SuperviseeRequest, kind: str) -> HttpResponse | JsonResponse:
    spec = request_kinds().get(kind)
    if spec is None:
        raise Http404
    if request.method == "POST":
        try:
            item = submit_app_request(
                actor=Actor.from_request(request), supervisee=request.supervisee, kind=kind, data=request.POST.dict()
            )
        except ValidationError as error:
            return refusal(error)
        return answer(
            {
                "id": item.pk,
                "message": _("Your request was sent to the office."),
                "redirect": reverse("selfservice:requests"),
            },
            status=201,
        )
    return render(request, "selfservice/request_form.html", {"spec": spec, "form": spec.form()})
