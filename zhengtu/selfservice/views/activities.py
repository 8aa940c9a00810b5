"""Community-service activities in the app: list, sign up, check in and out on site."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengtu.audit.services import Actor

from ..access import SuperviseeRequest, supervisee_required
from ..idempotency import idempotent
from ..models import ActivitySignup
from ..services.activities import activities_for, attend, sign_up
from ..services.common import read_upload
from .common import answer, float_field, refusal


@supervisee_required
@require_GET
def activities(request: SuperviseeRequest) -> HttpResponse:
    signups = {
        s.activity_id: s
        for s in ActivitySignup.objects.filter(supervisee=request.supervisee).select_related("activity")
    }
    rows = [(activity, signups.get(activity.pk)) for activity in activities_for(request.supervisee)]
    return render(request, "selfservice/activities.html", {"rows": rows})


@supervisee_required
@require_POST
@idempotent
def activity_sign_up(request: SuperviseeRequest, pk: int) -> JsonResponse:
    activity = next((a for a in activities_for(request.supervisee) if a.pk == pk), None)
    if activity is None:
        raise Http404
    try:
        sign_up(actor=Actor.from_request(request), supervisee=request.supervisee, activity=activity)
    except ValidationError as error:
        return refusal(error)
    return answer({"message": _("You are signed up."), "redirect": reverse("selfservice:activities")}, status=201)


@supervisee_required
@require_POST
@idempotent
def activity_attend(request: SuperviseeRequest, pk: int) -> JsonResponse:
    signup = (
        ActivitySignup.objects.filter(supervisee=request.supervisee, activity_id=pk)
        .select_related("activity", "supervisee")
        .first()
    )
    if signup is None:
        raise Http404
    upload = request.FILES.get("photo")
    latitude, longitude = float_field(request, "latitude"), float_field(request, "longitude")
    accuracy = float_field(request, "accuracy")
    if upload is None or latitude is None or longitude is None or accuracy is None:
        return refusal(ValidationError(_("A live photo and your location are needed.")))
    try:
        attend(
            actor=Actor.from_request(request),
            signup=signup,
            photo=read_upload(upload, what=_("The photo")),
            latitude=latitude,
            longitude=longitude,
            accuracy_m=accuracy,
            leaving=request.POST.get("leaving") == "1",
        )
    except ValidationError as error:
        return refusal(error)
    return answer({"message": _("Recorded."), "redirect": reverse("selfservice:activities")}, status=201)
