"""The command-center map, live events (Server-Sent Events) and track playback."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.sessions import session_still_valid, snapshot_of
from zhengtu.audit.services import Actor, client_ip

from ..coords import to_display
from ..live import bus
from ..live_channels import scope_channels
from ..location_reads import record_location_read
from ..presenters import map_data
from ..rules import rule, tile_source
from ..selectors import can_see_locations, get_monitored_supervisee, monitored_supervisees_visible_to
from ..services import parse_period
from .access import location_view

logger = logging.getLogger("zhengtu.monitoring.live")
KEEPALIVE_SECONDS = 15


def live_recheck_seconds() -> float:
    """How often an open live stream re-checks its session and scope (settings, default 15 s)."""
    return float(getattr(settings, "ZHENGTU_LIVE_SESSION_RECHECK_SECONDS", 15))


@location_view
def command_map(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "monitoring/map.html", {"tiles": tile_source()})


@location_view
def command_map_data(request: AuthenticatedRequest) -> JsonResponse:
    data = map_data(request.user, now=timezone.now())
    shown = [p["supervisee_id"] for p in data["positions"]] + [a["supervisee_id"] for a in data["alerts"]]
    record_location_read(request, what="map_positions", supervisee_ids=shown)
    return JsonResponse(data)


@location_view
def track(request: AuthenticatedRequest, supervisee_pk: int) -> HttpResponse:
    """The playback page. The page asks the track API itself, at the map's zoom and encoded
    (monitoring.js), and again when the zoom changes: a month is drawn from a few thousand
    points instead of being embedded whole in the HTML. Each of those requests is audited
    (services.view_track); this page shows no location before one is made."""
    supervisee = get_monitored_supervisee(request.user, supervisee_pk)
    now = timezone.now()
    error = ""
    track_request = None
    start_text, end_text = request.GET.get("start", ""), request.GET.get("end", "")
    try:
        start, end = parse_period(start_text, end_text, now=now)
    except ValidationError as problem:
        error = " ".join(problem.messages)
        start, end = parse_period("", "", now=now)
    tiles = tile_source()
    if "start" in request.GET and not error:
        track_request = {
            "url": reverse("monitoring-track-detail", args=[supervisee.pk]),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "crs": tiles["crs"],
            # From this zoom the page asks only for its bounds (tracks.track_in_order).
            "boundsFromZoom": rule("TRACK_IN_ORDER_FROM_ZOOM"),
        }
    context = {
        "supervisee": supervisee,
        "tiles": tiles,
        "start": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
        "track_request": track_request,
        "error": error,
    }
    return render(request, "monitoring/track.html", context)


def _sse(event: dict[str, Any], crs: str) -> str:
    data = {name: value for name, value in event.items() if name not in _NOT_SENT}
    if event.get("latitude") is not None and event.get("longitude") is not None:
        lat, lon = to_display(event["latitude"], event["longitude"], crs)
        data["point"] = [round(lat, 7), round(lon, 7)]
    return f"event: {event['type']}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


_NOT_SENT = frozenset({"received_monotonic", "latitude", "longitude"})


async def live_events(request: HttpRequest) -> HttpResponseBase:
    """Server-Sent Events: new alerts, alert status changes and positions of people in the user's scope.

    Everything ready is written in one piece per turn of the event loop (urgent alerts first,
    positions coalesced per device and sent at most every LIVE_POSITION_SECONDS; see
    live.LiveQueue): the loop also serves the devices, and a page that took one event per turn
    fell ever further behind and stopped showing alerts at all."""
    user = await request.auser()  # type: ignore[attr-defined]
    if not user.is_authenticated or not await sync_to_async(can_see_locations)(user):
        return HttpResponse(status=403)
    session = snapshot_of(request, user)
    if session is None:
        return HttpResponse(status=403)

    def scope() -> set[int]:
        return set(monitored_supervisees_visible_to(user).values_list("pk", flat=True))

    def audit_scope(people: set[int], reason: str) -> None:
        record_location_read(
            Actor(user=user, ip_address=client_ip(request)), what="live_stream", supervisee_ids=people, reason=reason
        )

    visible = await sync_to_async(scope)()
    await sync_to_async(audit_scope)(visible, "opened")
    # Scaled shape: follow only the Redis channels of the user's organisations (live_channels.py).
    organisations = await sync_to_async(scope_channels)(user)
    crs = tile_source()["crs"]
    recheck = live_recheck_seconds()

    async def stream() -> AsyncIterator[str]:
        nonlocal visible
        page = bus.open(organisations=organisations, scope=visible)
        opened = time.monotonic()
        next_check = opened + recheck
        last_written = opened
        written = writes = 0
        try:
            yield "retry: 5000\n: connected\n\n"
            while True:
                now = time.monotonic()
                if now >= next_check:
                    # Logout, idle timeout, deactivation or a new role or organisation end the stream.
                    if not await sync_to_async(session_still_valid)(session):
                        yield "event: closed\ndata: {}\n\n"
                        return
                    now_visible = await sync_to_async(scope)()
                    if now_visible != visible:
                        await sync_to_async(audit_scope)(now_visible, "scope_changed")
                        visible = now_visible
                        page.scope = visible
                    next_check = time.monotonic() + recheck
                    continue
                events = page.take(now)
                if events:
                    shown = [_sse(event, crs) for event in events if event.get("supervisee_id") in visible]
                    if shown:
                        written += len(shown)
                        writes += 1
                        yield "".join(shown)
                        last_written = time.monotonic()
                    continue
                if now - last_written >= KEEPALIVE_SECONDS:
                    yield ": keep-alive\n\n"
                    last_written = now
                    continue
                await page.wait(min(next_check, last_written + KEEPALIVE_SECONDS) - now)
        finally:
            bus.close(page)
            logger.info(
                "Live stream of user %s closed after %.0f s: %d events kept for it, %d written in %d writes, "
                "%d positions replaced by a newer one before they went, %d alerts or changes dropped",
                user.pk, time.monotonic() - opened, page.offered, written, writes, page.replaced, page.dropped,
            )  # fmt: skip

    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
