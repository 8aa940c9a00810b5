"""The OsmAnd HTTP protocol of the Traccar Client app (and of many phone location apps).

Query form: GET or POST /?id=…&lat=…&lon=…&timestamp=…&speed=(knots)&bearing=…&altitude=…
&accuracy=…&batt=…&valid=…, parameters also accepted form-encoded in the body. JSON form
(Traccar Client 9+): POST with Content-Type application/json,
{"device_id": …, "location": {"timestamp": ISO-8601, "coords": {latitude, longitude, speed
(m/s), heading, accuracy, altitude}, "battery": {"level": 0..1}, "extras"/"alarm"}}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

from .base import Alarm, DeviceMessage, Fix, FrameError, MessageKind, check_coordinates

KNOT_KMH = 1.852
ALARMS = {"sos": Alarm.SOS, "lowBattery": Alarm.LOW_BATTERY, "tampering": Alarm.TAMPER, "removing": Alarm.TAMPER}


def decode(target: str, headers: dict[str, str], body: bytes, *, now: dt.datetime) -> DeviceMessage:
    """A request → its message. A device secret (parameter or JSON field `secret`, or the header
    `Authorization: Bearer …`) travels on only as its SHA-256 in `extra["secret_hash"]`."""
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/json"):
        message, secret = _decode_json(body, now=now)
    else:
        params = query_parameters(target)
        if not params and body:
            params = {
                k: v[-1] for k, v in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items()
            }
        message, secret = _decode_query(params, now=now), params.get("secret", "")
    authorization = headers.get("authorization", "")
    if not secret and authorization[:7].lower() == "bearer ":
        secret = authorization[7:].strip()
    if secret:
        message.extra["secret_hash"] = secret_hash(secret)
    return message


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", errors="replace")).hexdigest()


def query_parameters(target: str) -> dict[str, str]:
    """The query of a request target as {name: last value}, as urllib's urlsplit and parse_qs give it,
    without their generality for the usual printable ASCII target (a phone reports every few seconds)."""
    if not (target.isascii() and target.isprintable()):
        return {k: v[-1] for k, v in parse_qs(urlsplit(target).query, keep_blank_values=True).items()}
    query = target.partition("#")[0].partition("?")[2]
    params: dict[str, str] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = unquote_plus(name, errors="replace"), unquote_plus(value, errors="replace")
        params[name] = value
    return params


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FrameError(f"{name} is not a number") from None
    if not math.isfinite(number):
        raise FrameError(f"{name} is not finite")
    return number


def parse_time(value: str, *, now: dt.datetime) -> dt.datetime:
    value = value.strip()
    if not value:
        return now
    try:
        stamp = int(value)
    except ValueError:
        pass
    else:
        seconds = stamp / 1000 if stamp >= 2**31 - 1 else stamp
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise FrameError("timestamp out of range") from None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FrameError("unreadable timestamp") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _decode_query(params: dict[str, str], *, now: dt.datetime) -> DeviceMessage:
    identifier = (params.get("id") or params.get("deviceid") or "").strip()
    if not identifier or len(identifier) > 64:
        raise FrameError("missing device id")
    message = DeviceMessage(identifier, MessageKind.HEARTBEAT)
    if "batt" in params and params["batt"]:
        message.battery_percent = int(max(0, min(100, _number(params["batt"], "batt"))))
    alarm = ALARMS.get(params.get("alarm", ""))
    if alarm is not None:
        message.alarms.add(alarm)
    if "location" in params:
        lat_text, _, lon_text = params["location"].partition(",")
        params = {**params, "lat": lat_text, "lon": lon_text}
    if params.get("lat") and params.get("lon"):
        latitude, longitude = _number(params["lat"], "lat"), _number(params["lon"], "lon")
        check_coordinates(latitude, longitude)
        valid_text = params.get("valid", "true").lower()
        fix = Fix(
            time=parse_time(params.get("timestamp", ""), now=now),
            latitude=latitude,
            longitude=longitude,
            valid=valid_text in ("true", "1"),
            speed_kmh=_number(params["speed"], "speed") * KNOT_KMH if params.get("speed") else 0.0,
            course=_number(params.get("bearing") or params.get("heading") or 0, "bearing") % 360,
            altitude=_number(params.get("altitude") or 0, "altitude"),
            accuracy=_number(params["accuracy"], "accuracy") if params.get("accuracy") else None,
        )
        message.kind = MessageKind.LOCATION
        message.fixes.append(fix)
    return message


def _decode_json(body: bytes, *, now: dt.datetime) -> tuple[DeviceMessage, str]:
    try:
        root = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FrameError("invalid JSON") from None
    if not isinstance(root, dict):
        raise FrameError("JSON body is not an object")
    identifier = str(root.get("device_id") or "").strip()
    if not identifier or len(identifier) > 64:
        raise FrameError("missing device_id")
    location = root.get("location")
    if not isinstance(location, dict):
        raise FrameError("missing location")
    message = DeviceMessage(identifier, MessageKind.HEARTBEAT)
    battery = location.get("battery")
    if isinstance(battery, dict) and battery.get("level") is not None:
        level = _number(battery["level"], "battery level")
        if level >= 0:
            message.battery_percent = int(round(min(level, 1.0) * 100))
    raw_extras = location.get("extras")
    extras: dict[str, Any] = raw_extras if isinstance(raw_extras, dict) else {}
    alarm = ALARMS.get(str(location.get("alarm") or extras.get("alarm") or ""))
    if alarm is not None:
        message.alarms.add(alarm)
    coords = location.get("coords")
    if isinstance(coords, dict):
        latitude = _number(coords.get("latitude"), "latitude")
        longitude = _number(coords.get("longitude"), "longitude")
        check_coordinates(latitude, longitude)
        speed = _number(coords.get("speed", -1), "speed")
        heading = _number(coords.get("heading", -1), "heading")
        accuracy = coords.get("accuracy")
        fix = Fix(
            time=parse_time(str(location.get("timestamp") or ""), now=now),
            latitude=latitude,
            longitude=longitude,
            valid=True,
            speed_kmh=speed * 3.6 if speed >= 0 else 0.0,
            course=heading % 360 if heading >= 0 else 0.0,
            altitude=_number(coords.get("altitude", 0), "altitude"),
            accuracy=_number(accuracy, "accuracy") if accuracy is not None else None,
        )
        message.kind = MessageKind.LOCATION
        message.fixes.append(fix)
    secret = root.get("secret") or extras.get("secret") or ""
    return message, str(secret)
