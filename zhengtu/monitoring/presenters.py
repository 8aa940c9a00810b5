"""Monitoring data shaped for the map (coordinates converted to the tiles' system) and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from zhengtu.accounts.models import User

from .coords import to_display
from .models import Alert, AlertStatus, Fence, FenceShape
from .rules import tile_source
from .selectors import alerts_visible_to, fences_visible_to, latest_states_visible_to


def _point(lat: float | None, lon: float | None, crs: str) -> list[float] | None:
    if lat is None or lon is None:
        return None
    display = to_display(lat, lon, crs)
    return [round(display[0], 7), round(display[1], 7)]


def fence_data(fence: Fence, crs: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": fence.pk,
        "name": fence.name,
        "kind": fence.kind,
        "kind_label": fence.get_kind_display(),
        "shape": fence.shape,
        "scheduled": fence.has_schedule,
        "schedule": f"{fence.active_from:%H:%M}–{fence.active_until:%H:%M}" if fence.has_schedule else "",  # type: ignore[str-format]
        "url": reverse("monitoring:fence_detail", args=[fence.pk]),
    }
    if fence.shape == FenceShape.CIRCLE:
        data["center"] = _point(fence.center_latitude, fence.center_longitude, crs)
        data["radius_m"] = fence.radius_m
    else:
        polygons = (
            fence.geometry["coordinates"]
            if fence.geometry and fence.geometry["type"] == "MultiPolygon"
            else [(fence.geometry or {}).get("coordinates", [])]
        )
        data["polygons"] = [
            [[_point(lat, lon, crs) for lon, lat, *_ in ring] for ring in polygon] for polygon in polygons
        ]
    return data


def alert_data(alert: Alert, crs: str) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": alert.get_kind_display(),
        "status": alert.status,
        "status_label": alert.get_status_display(),
        "supervisee_id": alert.supervisee_id,
        "supervisee_name": alert.supervisee.name,
        "point": _point(alert.latitude, alert.longitude, crs),
        "raised_at": alert.raised_at.isoformat(),
        "detail": alert.detail,
        "escalated": alert.escalated_at is not None,
        "url": reverse("monitoring:alert_detail", args=[alert.pk]),
    }


def map_data(user: User, *, now: dt.datetime) -> dict[str, Any]:
    source = tile_source()
    crs = source["crs"]
    positions = []
    for binding, state in latest_states_visible_to(user, at=now):
        positions.append(
            {
                "supervisee_id": binding.supervisee_id,
                "supervisee_name": binding.supervisee.name,
                "device_id": binding.device_id,
                "device_kind": binding.device.kind,
                "device_label": str(binding.device),
                "point": _point(state.latitude, state.longitude, crs) if state else None,
                "fix_time": state.fix_time.isoformat() if state and state.fix_time else None,
                "last_seen_at": state.last_seen_at.isoformat() if state and state.last_seen_at else None,
                "battery_percent": state.battery_percent if state else None,
                "track_url": reverse("monitoring:track", args=[binding.supervisee_id]),
            }
        )
    fences = [
        fence_data(f, crs) for f in fences_visible_to(user).filter(is_active=True).select_related("organisation")[:500]
    ]
    alerts = [
        alert_data(a, crs)
        for a in alerts_visible_to(user)
        .exclude(status=AlertStatus.CLOSED)
        .select_related("supervisee")
        .order_by("-raised_at")[:200]
    ]
    return {"crs": crs, "positions": positions, "fences": fences, "alerts": alerts}
