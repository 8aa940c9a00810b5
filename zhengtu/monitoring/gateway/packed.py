"""Location frames decoded straight into the hand-off records of the writer process.

At saturation the gateway's CPU per fix bounds the embedded shape (issue 15), and most of it
went into objects built only to be taken apart again: a Fix, a DeviceMessage, a set of alarms, a
Decoded and a Report per frame (and two aware datetimes), then `pack_reports` walking them into
bytes for the pipe. The usual frames (JT/T 808 0x0200, GT06 0x12/0x22, the watch protocol's
UD/UD2/UD3/AL) are decoded here into the same record `pack_reports` writes for them
(`handoff.REPORT_AND_FIX`), once, without those objects; device times become integer
microseconds through a cache keyed by the frame's own time bytes.

Each function returns None for anything it does not take on (another message, a 2019 header, an
additional-information item cut short, a bad checksum, a coordinate out of range…): the gateway
then decodes the frame the general way, which gives the answer, the error and its reason as
before. So a frame decoded here gives exactly the record the general decoder and `pack_reports`
give (tests/protocols/test_packed.py holds them against each other), and a frame not taken here
is treated as it always was.

Used only when the ingestor takes packed reports (the writer process, `ProcessIngestor`); the
in-process writer and the Redis streams keep the objects they read.
"""

from __future__ import annotations

import datetime as dt
import math
import struct

from ..handoff import ALARM_BITS, KIND_CODES, PROTOCOL_CODES, REPORT_AND_FIX, STATUS_FLAG
from ..protocols import gt06, jt808, osmand, watch
from ..protocols.base import BCD_VALUES, FrameError, MessageKind, make_utc

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_NAN = math.nan
_LOCATION = KIND_CODES[MessageKind.LOCATION]
_pack = REPORT_AND_FIX.pack

# Device times → µs since the epoch, keyed by the frame's own time bytes or fields (most fixes
# decoded in a second share one of a few times). Bounded: cleared when full.
_TIMES_MAX = 4096
_jt808_times: dict[bytes, int] = {}
_gt06_times: dict[tuple[bytes, int], int] = {}
_watch_times: dict[tuple[str, str], int] = {}


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _remember(cache: dict, key: object, value: int) -> int:  # type: ignore[type-arg]
    if len(cache) >= _TIMES_MAX:
        cache.clear()
    cache[key] = value
    return value


# -- JT/T 808 --------------------------------------------------------------------------------

_JT808 = PROTOCOL_CODES["jt808"]
_JT808_HEAD = struct.Struct(">HH6sH")  # 2011/2013 header: id, properties, terminal number, serial
_JT808_LOCATION = struct.Struct(">IIIIhHH")  # alarm flags, status, latitude, longitude, altitude, speed, course
_JT808_ALARMS = tuple((1 << bit, ALARM_BITS[alarm]) for bit, alarm in jt808.ALARM_BITS.items())


def _alarm_bits(flags: int, table: tuple[tuple[int, int], ...]) -> int:
    """The hand-off's alarm bits for a protocol's flags, through (protocol mask, hand-off bit) pairs."""
    alarms = 0
    for mask, bit in table:
        if flags & mask:
            alarms |= bit
    return alarms


_JT808_FIXED = jt808.STATUS_FIXED
_terminal_numbers = jt808._terminal_numbers  # the decoder's own cache of terminal numbers


def _jt808_time(stamp: bytes) -> int | None:
    year, month, day, hour, minute, second = (BCD_VALUES[byte] for byte in stamp)
    if min(year, month, day, hour, minute, second) < 0:
        return None
    try:
        moment = make_utc(2000 + year, month, day, hour, minute, second, offset_minutes=jt808.BEIJING_OFFSET_MINUTES)
    except FrameError:
        return None
    return _remember(_jt808_times, stamp, _micros(moment))


def jt808_location(frame: bytes, received_us: int, monotonic: float) -> tuple[bytes, str, bytes, int] | None:
    """A 0x0200 location report with a 2011/2013 header → (record, terminal number, its BCD,
    frame serial), or None when the general decoder is to take the frame."""
    content = frame[1:-1]
    if b"\x7d" in content:
        try:
            content = jt808.unescape(content)
        except FrameError:
            return None
    end = len(content) - 1  # the checksum byte
    if end < 40 or frame[0] != 0x7E or frame[-1] != 0x7E:
        return None
    message_id, properties, phone, serial = _JT808_HEAD.unpack_from(content)
    # Not 0x0200, or a 2019 header, a sub-package, an encrypted body, a length that does not match.
    if message_id != 0x0200 or properties & 0xFC00 or properties != end - 12:
        return None
    if jt808.xor_checksum(content[:end]) != content[end]:
        return None
    identifier = _terminal_numbers.get(phone)
    if identifier is None:
        try:
            identifier = jt808.terminal_number(phone)
        except FrameError:
            return None
    alarm_flags, status, raw_lat, raw_lon, altitude, raw_speed, course = _JT808_LOCATION.unpack_from(content, 12)
    latitude, longitude = jt808.coordinates(raw_lat, raw_lon, status)
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    stamp = content[34:40]
    time_us = _jt808_times.get(stamp)
    if time_us is None:
        time_us = _jt808_time(stamp)
        if time_us is None:
            return None
    satellites = -1
    index = 40
    while index + 2 <= end:  # additional information items
        item_id, item_length = content[index], content[index + 1]
        if index + 2 + item_length > end:
            return None
        if item_id == jt808.ADDITIONAL_SATELLITES and item_length == 1:
            satellites = content[index + 2]
        index += 2 + item_length
    alarms = _alarm_bits(alarm_flags, _JT808_ALARMS) if alarm_flags else 0
    record = _pack(
        _JT808, _LOCATION, STATUS_FLAG, alarms, -1, 1, received_us, monotonic,
        time_us, latitude, longitude, raw_speed / 10.0, float(course % 360), float(altitude), _NAN, satellites,
        status & _JT808_FIXED != 0,
    )  # fmt: skip
    return record, identifier, phone, serial


_REPLY_TAIL = struct.Struct(">HHHB")  # platform serial, reply serial, reply message id, result


def jt808_reply_prefix(phone: bytes) -> tuple[bytes, int]:
    """The fixed start of a 0x8001 to this terminal (2011/2013 header) and its XOR."""
    prefix = _JT808_HEAD.pack(jt808.MSG_PLATFORM_REPLY, 5, phone, 0)[:-2]
    return prefix, jt808.xor_checksum(prefix)


def jt808_platform_reply(
    prefix: bytes, prefix_xor: int, serial: int, reply_serial: int, message_id: int, result: int
) -> bytes:
    """0x8001 as `jt808.platform_reply` builds it for a 2011/2013 header, from the precomputed prefix."""
    checksum = (
        prefix_xor ^ (serial >> 8) ^ (serial & 0xFF) ^ (reply_serial >> 8) ^ (reply_serial & 0xFF)
        ^ (message_id >> 8) ^ (message_id & 0xFF) ^ result
    )  # fmt: skip
    payload = prefix + _REPLY_TAIL.pack(serial, reply_serial, message_id, result) + bytes((checksum,))
    return b"\x7e" + jt808.escape(payload) + b"\x7e"


# -- GT06 ----------------------------------------------------------------------------------

_GT06 = PROTOCOL_CODES["gt06"]
_GT06_GPS = struct.Struct(">6sBIIBH")  # time, satellites, latitude, longitude, speed, course and flags
_GT06_LOCATIONS = (gt06.MSG_GPS_LBS, gt06.MSG_GPS_LBS_2)


def gt06_location(frame: bytes, offset_minutes: int, received_us: int, monotonic: float) -> bytes | None:
    """A short-form 0x12/0x22 GPS message → its record (never answered), or None."""
    # Short form: 78 78, length, protocol, information (GPS 18 bytes, LBS 8 or more), serial, CRC, 0D 0A.
    if len(frame) < 36 or frame[:2] != b"\x78\x78" or frame[3] not in _GT06_LOCATIONS or frame[-2:] != b"\r\n":
        return None
    if gt06.crc_itu(frame[2:-4]) != int.from_bytes(frame[-4:-2], "big"):
        return None
    stamp, satellites, raw_lat, raw_lon, speed, flags = _GT06_GPS.unpack_from(frame, 4)
    latitude = raw_lat / 30000.0 / 60.0
    longitude = raw_lon / 30000.0 / 60.0
    if not flags & (1 << 10):  # bit 10 set: north latitude
        latitude = -latitude
    if flags & (1 << 11):  # bit 11 set: west longitude
        longitude = -longitude
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    key = (stamp, offset_minutes)
    time_us = _gt06_times.get(key)
    if time_us is None:
        try:
            moment = make_utc(
                2000 + stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5], offset_minutes=offset_minutes
            )
        except FrameError:
            return None
        time_us = _remember(_gt06_times, key, _micros(moment))
    return _pack(
        _GT06, _LOCATION, 0, 0, -1, 1, received_us, monotonic,
        time_us, latitude, longitude, float(speed), float((flags & 0x03FF) % 360), 0.0, _NAN, satellites & 0x0F,
        flags & (1 << 12) != 0,
    )  # fmt: skip


# -- the watch protocol ----------------------------------------------------------------------

_WATCH = PROTOCOL_CODES["watch"]
_WATCH_KEYWORDS = frozenset(("UD", "UD2", "UD3", "AL"))
_WATCH_ALARMS = tuple((1 << bit, ALARM_BITS[alarm]) for bit, alarm in watch.STATUS_ALARMS.items())
_HEADER_MATCH = watch.HEADER.match


def _watch_time(date: str, time: str) -> int | None:
    if len(date) != 6 or len(time) != 6 or not (date.isdigit() and time.isdigit()):
        return None
    try:
        moment = make_utc(
            2000 + int(date[4:6]), int(date[2:4]), int(date[0:2]), int(time[0:2]), int(time[2:4]), int(time[4:6])
        )
    except FrameError:
        return None
    return _remember(_watch_times, (date, time), _micros(moment))


def watch_location(frame: bytes, received_us: int, monotonic: float) -> tuple[bytes, str, bytes | None] | None:
    """A UD/UD2/UD3/AL position → (record, identifier, reply: AL is answered), or None."""
    match = _HEADER_MATCH(frame)
    if match is None or frame[-1:] != b"]":
        return None
    start = match.end()
    if len(frame) - start - 1 != int(match[3], 16):
        return None
    try:
        content = frame[start:-1].decode("ascii")
    except UnicodeDecodeError:
        return None
    keyword, _, data = content.partition(",")
    if keyword not in _WATCH_KEYWORDS:
        return None
    values = data.split(",")
    if len(values) < 16:
        return None
    try:
        time_us = _watch_times.get((values[0], values[1]))
        if time_us is None:
            time_us = _watch_time(values[0], values[1])
            if time_us is None:
                return None
        latitude, longitude, speed, course, altitude, satellites, battery, status = watch.numbers(values)
        if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
            return None
    except ValueError:
        return None
    if not (math.isfinite(speed) and math.isfinite(course) and math.isfinite(altitude)):
        return None  # latitude and longitude are in range, so finite
    if not -(2**31) <= satellites < 2**31:
        return None  # the record's field is 32 bits; the general path packs (or refuses) it
    alarms = _alarm_bits(status, _WATCH_ALARMS) if status else 0
    record = _pack(
        _WATCH, _LOCATION, STATUS_FLAG, alarms, min(max(battery, 0), 100), 1, received_us, monotonic,
        time_us, latitude, longitude, speed, course % 360, altitude, _NAN, satellites, values[2] == "A",
    )  # fmt: skip
    identifier = match[2].decode("ascii")
    answer = watch.reply(match[1].decode("ascii"), identifier, "AL") if keyword == "AL" else None
    return record, identifier, answer


# -- OsmAnd (HTTP query form) ----------------------------------------------------------------

_OSMAND = PROTOCOL_CODES["osmand"]
_OSMAND_ALARMS = {name: ALARM_BITS[alarm] for name, alarm in osmand.ALARMS.items()}
_osmand_times: dict[str, int] = {}
_isfinite = math.isfinite


def osmand_location(
    target: str, headers: dict[str, str], body: bytes, received_us: int, monotonic: float
) -> tuple[bytes, str, dict[str, object] | None] | None:
    """A position in the query of the request (the form Traccar Client and OsmAnd send) →
    (record, device id, extra: the secret's hash), or None: a JSON or form body, a heartbeat
    without a position, an ISO time, a field that is not a finite number…"""
    if headers.get("content-type", "").startswith("application/json"):
        return None
    params = osmand.query_parameters(target)
    if not params or "location" in params:
        return None
    identifier = (params.get("id") or params.get("deviceid") or "").strip()
    lat_text, lon_text = params.get("lat"), params.get("lon")
    if not identifier or len(identifier) > 64 or not lat_text or not lon_text:
        return None
    try:
        latitude, longitude = float(lat_text), float(lon_text)
        battery = -1
        text = params.get("batt")
        if text:
            level = float(text)
            if not _isfinite(level):
                return None
            battery = int(max(0, min(100, level)))
        text = params.get("speed")
        speed = float(text) if text else None  # knots
        course = float(params.get("bearing") or params.get("heading") or 0)
        altitude = float(params.get("altitude") or 0)
        text = params.get("accuracy")
        accuracy = float(text) if text else None
    except ValueError:
        return None
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None  # NaN too
    if not (_isfinite(course) and _isfinite(altitude)) or (speed is not None and not _isfinite(speed)):
        return None
    if accuracy is not None and not _isfinite(accuracy):
        return None
    stamp = params.get("timestamp", "").strip()
    if not stamp:
        time_us = received_us
    else:
        cached = _osmand_times.get(stamp)
        if cached is None:
            try:
                seconds = int(stamp)
            except ValueError:
                return None  # an ISO time: the general decoder
            try:
                moment = dt.datetime.fromtimestamp(seconds / 1000 if seconds >= 2**31 - 1 else seconds, tz=dt.UTC)
            except (OverflowError, OSError, ValueError):
                return None
            cached = _remember(_osmand_times, stamp, _micros(moment))
        time_us = cached
    record = _pack(
        _OSMAND, _LOCATION, 0, _OSMAND_ALARMS.get(params.get("alarm", ""), 0), battery, 1, received_us, monotonic,
        time_us, latitude, longitude, 0.0 if speed is None else speed * osmand.KNOT_KMH, course % 360, altitude,
        _NAN if accuracy is None else accuracy, -1, params.get("valid", "true").lower() in ("true", "1"),
    )  # fmt: skip
    secret = params.get("secret", "")
    if not secret:
        authorization = headers.get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            secret = authorization[7:].strip()
    return record, identifier, {"secret_hash": osmand.secret_hash(secret)} if secret else None
