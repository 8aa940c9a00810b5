"""The "watch" protocol of children's and elderly watches (3G/SG/CS makers): [XX*id*LLLL*content].

LLLL is the content length in four hexadecimal digits. LK (link keep-alive) and AL (alarm) are
answered with the same keyword; UD (position) and UD2 (blind-area supplement) are not. Position
content: date DDMMYY, time hhmmss (GMT), A/V, latitude, N/S, longitude, E/W, speed km/h,
course, altitude, satellites, GSM signal, battery %, steps, tumbles, status (hex), cells….
"""

from __future__ import annotations

import re

from .base import Alarm, Decoded, DeviceMessage, Fix, FrameError, MessageKind, check_coordinates, make_utc

HEADER = re.compile(rb"\[([A-Za-z0-9]{2})\*([0-9A-Za-z]{1,20})\*([0-9A-Fa-f]{4})\*")

# Status field bits (alarm part in the high word).
STATUS_ALARMS = {0: Alarm.LOW_BATTERY, 14: Alarm.TAMPER, 16: Alarm.SOS, 17: Alarm.LOW_BATTERY, 20: Alarm.TAMPER}


def extract_frames(buffer: bytearray, max_bytes: int) -> list[bytes | FrameError]:
    out, consumed = split_frames(bytes(buffer), max_bytes)
    del buffer[:consumed]
    return out


def split_frames(data: bytes, max_bytes: int) -> tuple[list[bytes | FrameError], int]:
    """The complete frames (and junk) at the start of `data`, and how many bytes they took (see
    jt808.split_frames)."""
    out: list[bytes | FrameError] = []
    pos, size = 0, len(data)
    match_header = HEADER.match
    while pos < size:
        start = data.find(b"[", pos)
        if start < 0:
            out.append(FrameError("bytes outside a frame", data[pos:]))
            pos = size
            break
        if start > pos:
            out.append(FrameError("bytes outside a frame", data[pos:start]))
            pos = start
        match = match_header(data, pos, pos + 48)
        if match is None:
            following = data.find(b"[", pos + 1)
            if size - pos >= 48 or data.find(b"]", pos) >= 0 or following >= 0:
                # Not a header we understand: drop up to the next '[' and resynchronise.
                cut = following if following >= 0 else size
                out.append(FrameError("malformed header", data[pos:cut]))
                pos = cut
                continue
            break
        total = match.end() - pos + int(match[3], 16) + 1
        if total > max_bytes:
            out.append(FrameError("oversized frame", data[pos : match.end()]))
            pos += 1
            continue
        if size - pos < total:
            break
        frame = data[pos : pos + total]
        if frame[-1:] != b"]":
            out.append(FrameError("length does not match the frame", frame))
            pos += 1
            continue
        pos += total
        out.append(frame)
    return out, pos


def reply(maker: str, identifier: str, content: str) -> bytes:
    return f"[{maker}*{identifier}*{len(content):04X}*{content}]".encode("ascii")


def decode(frame: bytes) -> Decoded:
    match = HEADER.match(frame)
    if match is None or frame[-1:] != b"]":
        raise FrameError("malformed frame", frame)
    maker = match.group(1).decode("ascii")
    identifier = match.group(2).decode("ascii")
    content_bytes = frame[match.end() : -1]
    if len(content_bytes) != int(match.group(3), 16):
        raise FrameError("length does not match the content", frame)
    try:
        content = content_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise FrameError("non-ASCII content", frame) from None
    keyword, _, data = content.partition(",")
    decoded = Decoded()
    try:
        if keyword == "LK":
            battery = None
            values = data.split(",") if data else []
            if len(values) >= 3 and values[2].isdigit():
                battery = min(int(values[2]), 100)
            decoded.messages.append(DeviceMessage(identifier, MessageKind.HEARTBEAT, battery_percent=battery))
            decoded.reply = reply(maker, identifier, "LK")
        elif keyword in ("UD", "UD2", "UD3", "AL"):
            fix, alarms, battery = decode_position(data)
            decoded.messages.append(
                DeviceMessage(identifier, MessageKind.LOCATION, [fix], alarms, battery, carries_status=True)
            )
            if keyword == "AL":
                decoded.reply = reply(maker, identifier, "AL")
        else:
            decoded.messages.append(DeviceMessage(identifier, MessageKind.HEARTBEAT, extra={"unsupported": keyword}))
    except FrameError as error:
        raise FrameError(error.reason, frame) from None
    return decoded


def decode_position(data: str) -> tuple[Fix, set[Alarm], int | None]:
    values = data.split(",")
    if len(values) < 16:
        raise FrameError("truncated position")
    try:
        date, time = values[0], values[1]
        if len(date) != 6 or len(time) != 6 or not (date.isdigit() and time.isdigit()):
            raise FrameError("invalid date/time")
        when = make_utc(
            2000 + int(date[4:6]), int(date[2:4]), int(date[0:2]), int(time[0:2]), int(time[2:4]), int(time[4:6])
        )
        latitude, longitude, speed, course, altitude, satellites, battery, status = numbers(values)
        check_coordinates(latitude, longitude)
    except ValueError as error:
        raise FrameError(f"invalid field: {error}") from None
    if not all(map(_finite, (latitude, longitude, speed, course, altitude))):
        raise FrameError("non-finite number")
    alarms = {alarm for bit, alarm in STATUS_ALARMS.items() if status & (1 << bit)}
    fix = Fix(
        time=when,
        latitude=latitude,
        longitude=longitude,
        valid=values[2] == "A",
        speed_kmh=speed,
        course=course % 360,
        altitude=altitude,
        satellites=satellites,
    )
    return fix, alarms, min(max(battery, 0), 100)


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


def numbers(values: list[str]) -> tuple[float, float, float, float, float, int, int, int]:
    """The numbers of a UD/AL item's fields: latitude and longitude (signed by their hemisphere
    letters), speed, course, altitude, satellites, battery, status bits. ValueError for a field
    that is not a number; ranges are the caller's to check."""
    latitude = float(values[3])
    longitude = float(values[5])
    if values[4] == "S":
        latitude = -abs(latitude)
    if values[6] == "W":
        longitude = -abs(longitude)
    return (
        latitude,
        longitude,
        float(values[7] or 0),
        float(values[8] or 0),
        float(values[9] or 0),
        int(values[10] or 0),
        int(values[12] or 0),
        int(values[15] or "0", 16),
    )
