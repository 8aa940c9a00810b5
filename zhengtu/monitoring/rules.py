"""Electronic-monitoring defaults. Each is a setting `ZHENGTU_MONITORING_<NAME>` a site may override.

Legal and operational numbers (how long before a device counts as offline, how many fixes
confirm a fence breach, how far apart phone and wristband may be) live here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Gateway: the same default ports as Traccar, so devices configured for it work unchanged.
    "LISTEN_HOST": "127.0.0.1",
    "PORTS": {"jt808": 5015, "gt06": 5023, "watch": 5093, "osmand": 5055},
    "MAX_FRAME_BYTES": 4096,  # a longer frame is dropped as oversized
    "IDLE_SECONDS": 900,  # a connection silent this long is closed
    # Hostile senders. A connection is "unproven" until a frame of a registered device on it has
    # been stored; unproven connections are capped per address and in total and closed after
    # HANDSHAKE_SECONDS, so idle or half-open sockets cannot starve the process (the web server
    # runs in it in the embedded shape). Proven connections are capped only in total: many
    # devices share an address behind a carrier's NAT.
    "MAX_CONNECTIONS": 20_000,
    # After a restart every device reconnects at once, many from one carrier NAT address: the
    # caps leave room for that, and the handshake time empties them again.
    "MAX_UNPROVEN_CONNECTIONS": 10_000,
    "MAX_UNPROVEN_PER_ADDRESS": 256,
    "HANDSHAKE_SECONDS": 60,
    "MAX_BAD_FRAMES_PER_CONNECTION": 16,  # then the connection is closed
    "MAX_UNKNOWN_FRAMES_PER_CONNECTION": 16,  # frames of unregistered devices, then closed
    "BAD_FRAME_LOG_SAMPLES": 10,  # bad frames logged (64 bytes of each) per minute; the rest counted
    "UNKNOWN_DEVICES_MAX": 1_000,  # rows in the list of unknown devices; past it, only counted
    # Ingest: batch writes on one writer.
    "BATCH_MAX": 2000,
    "BATCH_WAIT_MS": 20,
    # Back-pressure: past this many reports submitted and not yet stored, the gateway stops
    # reading from every connection until half of them are stored.
    "MAX_IN_FLIGHT_REPORTS": 8_000,
    "CACHE_SECONDS": 30,  # device, binding and fence caches of the writer
    # "process" (embedded: the writer in a child process, so gateway and writer use a core each),
    # "memory" (embedded: the writer a thread of the gateway's process, one core) or "redis"
    # (scaled: gateway → Redis stream → `run_ingest` worker).
    "INGEST_TRANSPORT": "process",
    "REDIS_URL": "",
    "REDIS_STREAM": "zhengtu:monitoring:fixes",
    # Scaled shape (streams.py): reports go to REDIS_SHARDS streams by device; writer i of
    # INGEST_WRITERS reads shards s % INGEST_WRITERS == i while all run (the live ones take over a
    # stopped writer's shards and give them back). More writers: start one more `run_ingest --writer N`
    # with INGEST_WRITERS = N + 1 (up to REDIS_SHARDS); the others need no restart. Changing REDIS_SHARDS itself moves
    # devices between streams: do it with the gateways stopped and the streams drained.
    "REDIS_SHARDS": 8,
    "INGEST_WRITERS": 1,
    "REDIS_STREAM_MAXLEN": 1_000_000,  # per shard, trimmed approximately (XADD MAXLEN ~)
    "REDIS_REPLY_TIMEOUT_SECONDS": 30,  # a gateway closes the connections whose batch no writer stored by then
    "REDIS_LEASE_SECONDS": 10,  # a shard whose writer died passes to a live writer after this
    "REGISTRY_STREAM": "zhengtu:monitoring:devices",  # device changes pushed to gateways (device_feed.py)
    "REGISTRY_STREAM_MAXLEN": 100_000,
    "REGISTRY_RELOAD_SECONDS": 600,  # a gateway's whole reload, only a safety net
    # Position filters.
    "FILTER_INVALID": True,
    "FILTER_ZERO": True,
    "FILTER_FUTURE_SECONDS": 300,
    "FILTER_PAST_DAYS": 7,
    "FILTER_DUPLICATES": True,
    "FILTER_MAX_SPEED_KMH": 300,
    # Fences: drift must not flood. A breach is confirmed by N consecutive fixes outside, or by
    # being outside for M seconds, whichever comes first.
    "BREACH_CONFIRM_FIXES": 3,
    "BREACH_CONFIRM_SECONDS": 120,
    # Alerts.
    "OFFLINE_MINUTES": {"wristband": 10, "phone": 30},
    "LOW_BATTERY_PERCENT": 20,
    "SEPARATION_METRES": 200,
    "SEPARATION_MAX_AGE_SECONDS": 300,  # both fixes must be this recent to compare them
    "SEPARATION_CONFIRM_FIXES": 2,
    "ESCALATION_MINUTES": 15,  # not acknowledged within this → escalated to the county bureau
    # Pluggable channels beyond in-app notifications: dotted paths of classes in alert_channels.py.
    "ALERT_CHANNELS": [],
    "SMS_GATEWAY_URL": "",
    "SMS_GATEWAY_TOKEN": "",
    "WECOM_WEBHOOK_URL": "",
    # Retention of positions (months). PostgreSQL drops whole monthly partitions.
    "RETENTION_MONTHS": 24,
    "PARTITION_MONTHS_AHEAD": 3,
    # Who may see location data at all (law art. 29: confidential, only for corrections work):
    # staff of corrections institutions, not contracted social workers. Scope still applies.
    "LOCATION_ROLES": ["bureau_admin", "office_officer", "command_center"],
    # Map. "none": no tile server at all, the offline base map (administrative boundaries shipped with
    # Zhengtu, zhengtu/command) is drawn instead. "tianditu", "amap" and "osm" are opt-in: each tile
    # request tells that server which area is being looked at (see docs/operations.md).
    "TILES": "none",
    "TRACK_SIMPLIFY_ABOVE": 2000,  # tracks with more fixes are simplified on the server
    "TRACK_SIMPLIFY_METRES": 5.0,
    "TRACK_MAX_DAYS": 31,
    # From this zoom the map asks only for what it shows (its bounds plus a margin) and the API
    # reads those fixes in time order, cut where the track leaves the bounds (see tracks.py).
    "TRACK_IN_ORDER_FROM_ZOOM": 15,
    # Fixes further apart in time than this (the device was off or out of coverage) and more than
    # two pixels apart on the map are not joined by a line.
    "TRACK_GAP_MINUTES": 10,
    # Live page: positions are sent to a page at most this often (the latest per device), alerts
    # at once. At thousands of fixes a second a page cannot take every position, and alerts
    # must never wait behind them.
    "LIVE_POSITION_SECONDS": 1.0,
}

# Tile sources: URL template, attribution, and the coordinate system their maps are drawn in.
TILE_SOURCES: dict[str, dict[str, Any]] = {
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
        "crs": "wgs84",
        "subdomains": "",
    },
    "tianditu": {
        # 天地图 needs a key (tk) issued to the site: set ZHENGTU_MONITORING_TIANDITU_KEY.
        "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILECOL={x}&TILEROW={y}&TILEMATRIX={z}&tk={key}",
        "attribution": "© 天地图",
        "crs": "wgs84",
        "subdomains": "01234567",
    },
    "amap": {
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attribution": "© 高德地图",
        "crs": "gcj02",
        "subdomains": "1234",
    },
    "none": {"url": "", "attribution": "", "crs": "wgs84", "subdomains": ""},
}


def rule(name: str) -> Any:
    return getattr(settings, f"ZHENGTU_MONITORING_{name}", DEFAULTS[name])


def offline_minutes(kind: str) -> int:
    table = rule("OFFLINE_MINUTES")
    return int(table.get(kind, max(table.values())))


def tile_source() -> dict[str, Any]:
    name = rule("TILES")
    source = dict(TILE_SOURCES.get(name, TILE_SOURCES["none"]))
    source["name"] = name
    source["url"] = source["url"].replace("{key}", getattr(settings, "ZHENGTU_MONITORING_TIANDITU_KEY", ""))
    return source
