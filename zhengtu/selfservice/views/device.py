"""The face check at sign-in on a new browser."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengtu.audit.services import Actor

from ..access import SuperviseeRequest, needs_device_check, supervisee_required
from ..services.common import read_upload
from ..services.devices import verify_device
from .common import answer, refusal
from .shell import next_url


@supervisee_required(device_check=False)
@require_http_methods(["GET", "POST"])
def device_verify(request: SuperviseeRequest) -> HttpResponse | JsonResponse:
    if request.method == "GET":
        if not needs_device_check(request.supervisee, request.app_device):
            return redirect(next_url(request))
        return render(request, "selfservice/device_verify.html", {"next": next_url(request)})
    upload = request.FILES.get("photo")
    if upload is None:
        return refusal(ValidationError(_("Take the photo with the camera first.")))
    try:
        check = verify_device(
            actor=Actor.from_request(request),
            supervisee=request.supervisee,
            device=request.app_device,
            photo=read_upload(upload, what=_("The photo")),
        )
    except ValidationError as error:
        return refusal(error)
    if not check.matched:
        return refusal(
            ValidationError(
                _("The photo does not match your registered photo (%(outcome)s). Try again, facing the camera.")
                % {"outcome": check.get_outcome_display()}
            ),
            status=422,
        )
    return answer({"message": _("This phone is confirmed."), "redirect": next_url(request)})
