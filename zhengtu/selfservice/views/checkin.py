"""Check-in pages of the app: the camera + location page, the challenge, the submission, the result."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengtu.audit.services import Actor
from zhengtu.core.lookups import get_or_404

from ..access import SuperviseeRequest, supervisee_required
from ..idempotency import idempotent
from ..models import AppCheckIn, CheckInStatus
from ..selectors import own_check_ins, own_pending_spot_check
from ..services.checkin import issue_challenge, submit_check_in
from ..services.common import read_upload
from .common import answer, float_field, refusal, time_field


@supervisee_required
@require_GET
def checkin_page(request: SuperviseeRequest) -> HttpResponse:
    return render(
        request,
        "selfservice/checkin.html",
        {
            "supervisee": request.supervisee,
            "recent": own_check_ins(request.supervisee)[:5],
            "spot_check": own_pending_spot_check(request.supervisee),
        },
    )


@supervisee_required
@require_POST
def checkin_challenge(request: SuperviseeRequest) -> JsonResponse:
    try:
        challenge = issue_challenge(actor=Actor.from_request(request), supervisee=request.supervisee)
    except ValidationError as error:
        return refusal(error)
    return answer({"nonce": challenge.nonce, "issued_at": challenge.issued_at.isoformat()})


def describe(check_in: AppCheckIn) -> dict[str, object]:
    """What the phone shows after a check-in (and the API returns)."""
    if check_in.status == CheckInStatus.ACCEPTED:
        message = _("Check-in accepted.")
    else:
        message = _("Check-in received. Your officer will verify it: %(flags)s") % {
            "flags": "；".join(check_in.flag_labels)
        }
    return {
        "id": check_in.pk,
        "status": check_in.status,
        "status_label": str(check_in.get_status_display()),
        "flags": check_in.flags,
        "flag_labels": check_in.flag_labels,
        "similarity": check_in.face_check.similarity,
        "received_at": check_in.received_at.isoformat(),
        "message": message,
    }


@supervisee_required
@require_POST
@idempotent
def checkin_submit(request: SuperviseeRequest) -> JsonResponse:
    upload = request.FILES.get("photo")
    latitude, longitude = float_field(request, "latitude"), float_field(request, "longitude")
    accuracy = float_field(request, "accuracy")
    if upload is None:
        return refusal(ValidationError(_("Take the photo with the camera first.")))
    if latitude is None or longitude is None or accuracy is None:
        return refusal(ValidationError(_("Your location is missing. Allow location for this site and try again.")))
    try:
        check_in = submit_check_in(
            actor=Actor.from_request(request),
            supervisee=request.supervisee,
            nonce=request.POST.get("nonce", ""),
            photo=read_upload(upload, what=_("The photo")),
            latitude=latitude,
            longitude=longitude,
            accuracy_m=accuracy,
            position_at=time_field(request, "position_time"),
            device=request.app_device,
        )
    except ValidationError as error:
        return refusal(error)
    return answer(
        {**describe(check_in), "redirect": reverse("selfservice:checkin_result", args=[check_in.pk])}, status=201
    )


@supervisee_required
@require_GET
def checkin_result(request: SuperviseeRequest, pk: int) -> HttpResponse:
    check_in = get_or_404(own_check_ins(request.supervisee), pk)
    return render(request, "selfservice/checkin_result.html", {"check_in": check_in, "result": describe(check_in)})
