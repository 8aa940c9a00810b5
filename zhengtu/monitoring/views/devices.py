"""Device registry, unknown devices, and binding a device to a supervisee for a period."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.pages import add_service_errors
from zhengtu.supervisees.models import Status
from zhengtu.supervisees.selectors import organisations_visible_to, supervisees_visible_to

from ..forms import BindingForm, DeviceForm, UnbindForm
from ..selectors import (
    bindings_visible_to,
    devices_visible_to,
    get_binding_for_user,
    get_device_for_user,
    unknown_devices_visible_to,
)
from ..services import bind_device, register_device, unbind_device
from .access import management_view


@management_view
def device_list(request: AuthenticatedRequest) -> HttpResponse:
    devices = devices_visible_to(request.user).select_related("organisation", "state").order_by("identifier")
    query = request.GET.get("q", "").strip()
    if query:
        devices = devices.filter(Q(identifier__icontains=query) | Q(sim_number__icontains=query))
    now = timezone.now()
    page = Paginator(devices, 50).get_page(request.GET.get("page"))
    in_force = bindings_visible_to(request.user).filter(
        device__in=[device.pk for device in page], unbound_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    )
    current = {binding.device_id: binding for binding in in_force.select_related("supervisee")}
    rows = [(device, current.get(device.pk)) for device in page]
    unknown = unknown_devices_visible_to(request.user).count()
    return render(
        request, "monitoring/device_list.html", {"page": page, "rows": rows, "query": query, "unknown": unknown}
    )


@management_view
def unknown_devices(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(unknown_devices_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "monitoring/unknown_devices.html", {"page": page})


@management_view
def device_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = organisations_visible_to(request.user)
    initial = {k: request.GET[k] for k in ("identifier", "protocol") if k in request.GET}
    if request.user.organisation is not None:
        initial["organisation"] = request.user.organisation.pk  # type: ignore[assignment]
    form = DeviceForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            device = register_device(actor=Actor.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Device registered."))
            return redirect("monitoring:device_detail", pk=device.pk)
    return render(request, "monitoring/device_form.html", {"form": form})


@management_view
def device_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    device = get_device_for_user(request.user, pk)
    people = supervisees_visible_to(request.user).exclude(status__in=[Status.RELEASED, Status.TERMINATED])
    now = timezone.localtime()
    initial = {
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + dt.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M"),
    }
    form = BindingForm(request.POST or None, supervisees=people.order_by("name"), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bind_device(actor=Actor.from_request(request), device=device, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Device bound."))
            return redirect("monitoring:device_detail", pk=device.pk)
    visible_people = supervisees_visible_to(request.user)
    bindings = device.bindings.filter(supervisee__in=visible_people).select_related(
        "supervisee", "created_by", "unbound_by"
    )
    state = getattr(device, "state", None)
    context = {"device": device, "bindings": bindings, "form": form, "state": state, "unbind_form": UnbindForm()}
    return render(request, "monitoring/device_detail.html", context, status=400 if form.errors else 200)


@management_view
@require_POST
def binding_unbind(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    binding = get_binding_for_user(request.user, pk)
    form = UnbindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for unbinding."))
    else:
        try:
            unbind_device(actor=Actor.from_request(request), binding=binding, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Device unbound; the binding stays in the history."))
    return redirect("monitoring:device_detail", pk=binding.device_id)
