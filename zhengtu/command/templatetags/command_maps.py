"""`{% alert_map alert %}`: where an alert happened, on a small map (offline base map unless tiles are configured)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from zhengtu.monitoring.coords import to_display
from zhengtu.monitoring.rules import tile_source

register = template.Library()


@register.simple_tag(takes_context=True)
def alert_map(context: Any, alert: Any) -> SafeString:
    if alert.latitude is None or alert.longitude is None:
        return SafeString("")
    tiles = tile_source()
    lat, lon = to_display(alert.latitude, alert.longitude, tiles["crs"])
    return SafeString(
        render_to_string(
            "command/_alert_map.html",
            {"alert": alert, "point": [round(lat, 7), round(lon, 7)], "tiles": tiles},
            request=context.get("request"),
        )
    )
