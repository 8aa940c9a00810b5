"""Staff pages about the app: the panel on the supervision file, a check-in's detail (accept a flagged one), the
map of a check-in, devices, spot checks, and the per-office count of people using the app."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.private_files import private_file_response
from zhengtu.monitoring.coords import to_display
from zhengtu.monitoring.rules import tile_source
from zhengtu.supervisees.permissions import capability_required
from zhengtu.supervisees.selectors import get_supervisee_for_user

from .. import selectors
from ..models import Message
from ..services.checkin import accept_flagged
from ..services.devices import revoke_device
from ..services.messages import can_write_to, mark_read, send_message
from ..services.reports import VOICE_TYPES
from ..services.requests import file_app_request, return_app_request
from ..services.spotchecks import request_spot_check


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def file_panel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The app's part of the supervision file (loaded into the file page)."""
    supervisee = get_supervisee_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "app_panel"})
    check_ins = list(selectors.app_check_ins_visible_to(request.user).filter(supervisee=supervisee)[:10])
    return render(
        request,
        "selfservice/staff/file_panel.html",
        {
            "supervisee": supervisee,
            "check_ins": check_ins,
            "devices": selectors.devices_of(request.user, supervisee)[:10],
            "spot_checks": selectors.spot_checks_of(request.user, supervisee)[:5],
            "reports": selectors.reports_visible_to(request.user).filter(supervisee=supervisee)[:10],
            "can_supervise": can(request.user, Capability.SUPERVISE),
        },
    )


@capability_required(Capability.VIEW_SUPERVISEES)
def check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.get_app_check_in_for_user(request.user, pk)
    if request.method == "POST":
        if not can(request.user, Capability.SUPERVISE):
            raise Http404
        try:
            accept_flagged(actor=Actor.from_request(request), check_in=item, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The check-in is accepted and entered in the ledger."))
        return redirect("appstaff:check_in", pk=item.pk)
    record_event(request, action=Action.VIEW, target=item, detail={"supervisee": item.supervisee_id})
    return render(
        request,
        "selfservice/staff/check_in.html",
        {"item": item, "can_supervise": can(request.user, Capability.SUPERVISE)},
    )


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def check_in_map(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A small map of one check-in's position with its accuracy circle (framed in the file page)."""
    item = selectors.get_app_check_in_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=item, detail={"page": "app_check_in_map"})
    tiles = tile_source()
    latitude, longitude = to_display(item.latitude, item.longitude, tiles["crs"])
    response = render(
        request,
        "selfservice/staff/map.html",
        {"tiles": tiles, "point": {"lat": latitude, "lon": longitude, "accuracy": item.accuracy_m}},
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def report_file(request: AuthenticatedRequest, pk: int, what: str) -> FileResponse:
    """A voice note (`voice`) or a photo (`photo-<id>`) of a written report, scoped and audited."""
    report = selectors.get_report_for_user(request.user, pk)
    if what == "voice":
        extension = report.voice_note.name.rsplit(".", 1)[-1]
        content_type = {ext: kind for kind, ext in VOICE_TYPES.items()}.get(extension, "application/octet-stream")
        return private_file_response(
            request, report.voice_note, audit_target=report, what="report_voice", content_type=content_type
        )
    if what.startswith("photo-") and what[6:].isdigit():
        photo = report.photos.filter(pk=int(what[6:])).first()
        if photo is not None:
            return private_file_response(request, photo.photo, audit_target=report, what="report_photo")
    raise Http404


@capability_required(Capability.SUPERVISE)
@require_POST
def device_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    device = selectors.get_device_for_user(request.user, pk)
    revoke_device(actor=Actor.from_request(request), device=device)
    messages.success(request, _("The device is revoked: the person must confirm it with a face check again."))
    return redirect("supervision:file", pk=device.supervisee_id)


@capability_required(Capability.SUPERVISE)
@require_POST
def spot_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = get_supervisee_for_user(request.user, pk)
    try:
        item = request_spot_check(actor=Actor.from_request(request), supervisee=supervisee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Spot check sent: %(name)s must check in by %(time)s.")
            % {"name": supervisee.name, "time": timezone.localtime(item.due_at).strftime("%H:%M")},
        )
    return redirect("supervision:file", pk=supervisee.pk)


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """Per office: people under supervision and how many of them use the app (定位服务 APP 安装人次)."""
    rows = selectors.app_activity_by_office(request.user)
    return render(
        request,
        "selfservice/staff/overview.html",
        {
            "rows": rows,
            "total": sum(int(str(r["total"])) for r in rows),
            "active": sum(int(str(r["active"])) for r in rows),
            "flagged": selectors.flagged_check_ins_for(request.user)[:50],
        },
    )


@capability_required(Capability.VIEW_SUPERVISEES)
def messages_thread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The staff side of a person's message thread (the officer and social workers who can see them)."""
    supervisee = get_supervisee_for_user(request.user, pk)
    if request.method == "POST":
        try:
            send_message(actor=Actor.from_request(request), supervisee=supervisee, body=request.POST.get("body", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("Sent."))
        return redirect("appstaff:messages", pk=supervisee.pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "app_messages"})
    thread = Message.objects.filter(supervisee=supervisee).select_related("author")
    mark_read(reader=request.user, messages=thread)
    return render(
        request,
        "selfservice/staff/messages.html",
        {
            "supervisee": supervisee,
            "thread": list(thread.order_by("-sent_at")[:200])[::-1],
            "can_write": can_write_to(request.user, supervisee),
        },
    )


@capability_required(Capability.VIEW_SUPERVISEES)
def app_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A request from the app: enter it into the approval engine, or return it with a reason."""
    item = selectors.get_app_request_for_user(request.user, pk)
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            if request.POST.get("action") == "file":
                file_app_request(actor=actor, item=item)
                messages.success(request, _("The request is in approval."))
            else:
                return_app_request(actor=actor, item=item, reason=request.POST.get("reason", ""))
                messages.success(request, _("The request is returned to the person."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404 from error
        return redirect("appstaff:request", pk=item.pk)
    record_event(request, action=Action.VIEW, target=item, detail={"supervisee": item.supervisee_id})
    return render(
        request,
        "selfservice/staff/request.html",
        {"item": item, "can_supervise": can(request.user, Capability.SUPERVISE)},
    )
