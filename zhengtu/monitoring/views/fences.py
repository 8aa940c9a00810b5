"""Electronic fences: list, draw or import (GeoJSON), edit, take out of force."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.pages import add_service_errors
from zhengtu.supervisees.selectors import organisations_visible_to, supervisees_visible_to

from ..forms import FenceForm
from ..presenters import fence_data
from ..rules import tile_source
from ..selectors import can_manage, fence_editable_by, fences_visible_to, get_fence_for_user
from ..services import create_fence, import_fences, update_fence
from .access import location_view, management_view

MAX_GEOJSON_BYTES = 5 * 1024 * 1024


@location_view
def fence_list(request: AuthenticatedRequest) -> HttpResponse:
    fences = fences_visible_to(request.user).select_related("organisation", "supervisee").order_by("-is_active", "name")
    return render(request, "monitoring/fence_list.html", {"fences": fences, "can_manage": can_manage(request.user)})


def _form(request: AuthenticatedRequest, **kwargs: object) -> FenceForm:
    return FenceForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations_visible_to(request.user),
        supervisees=supervisees_visible_to(request.user).order_by("name"),
        **kwargs,  # type: ignore[arg-type]
    )


def _shape_fields(form: FenceForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "shape": data["shape"],
        "geometry": data["geometry"],
        "center_latitude": data.get("center_latitude"),
        "center_longitude": data.get("center_longitude"),
        "radius_m": data.get("radius_m"),
    }


@management_view
def fence_create(request: AuthenticatedRequest) -> HttpResponse:
    initial = {"organisation": request.user.organisation.pk} if request.user.organisation else {}
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        data = form.cleaned_data
        try:
            upload = data.get("geojson_file")
            if upload:
                if upload.size > MAX_GEOJSON_BYTES:
                    raise ValidationError({"geojson_file": _("The file is too large (at most 5 MB).")})
                text = upload.read().decode("utf-8", errors="replace")
                created = import_fences(
                    actor=actor, organisation=data["organisation"], text=text, name=data["name"], **form.fence_fields()
                )
                messages.success(request, _("%(n)s fence(s) imported.") % {"n": len(created)})
                return redirect("monitoring:fences")
            fence = create_fence(
                actor=actor,
                organisation=data["organisation"],
                name=data["name"],
                **_shape_fields(form),
                **form.fence_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Fence saved."))
            return redirect("monitoring:fence_detail", pk=fence.pk)
    context = {"form": form, "tiles": tile_source(), "fence_json": None}
    return render(request, "monitoring/fence_form.html", context, status=400 if form.errors else 200)


@location_view
def fence_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    fence = get_fence_for_user(request.user, pk)
    editable = fence_editable_by(request.user, fence)
    tiles = tile_source()
    form = None
    if editable:
        initial = {
            "name": fence.name,
            "kind": fence.kind,
            "shape": fence.shape,
            "organisation": fence.organisation_id,
            "supervisee": fence.supervisee_id,
            "geometry": json.dumps(fence.geometry) if fence.geometry else "",
            "center_latitude": fence.center_latitude,
            "center_longitude": fence.center_longitude,
            "radius_m": fence.radius_m,
            "active_from": fence.active_from,
            "active_until": fence.active_until,
            "weekdays": list(fence.weekdays),
        }
        form = _form(request, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                update_fence(
                    actor=Actor.from_request(request),
                    fence=fence,
                    name=data["name"],
                    organisation=data["organisation"],
                    **_shape_fields(form),
                    **form.fence_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Fence saved."))
                return redirect("monitoring:fence_detail", pk=fence.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {"fence": fence, "form": form, "tiles": tiles, "fence_json": fence_data(fence, tiles["crs"])}
    return render(
        request, "monitoring/fence_form.html", context, status=400 if form is not None and form.errors else 200
    )


@management_view
@require_POST
def fence_toggle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    fence = get_fence_for_user(request.user, pk)
    if not fence_editable_by(request.user, fence):
        raise PermissionDenied
    update_fence(actor=Actor.from_request(request), fence=fence, is_active=not fence.is_active)
    messages.success(request, _("Fence is in force.") if fence.is_active else _("Fence taken out of force."))
    return redirect("monitoring:fence_detail", pk=fence.pk)
