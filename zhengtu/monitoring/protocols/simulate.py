"""Frames as devices send them: used by the tests, the benchmark and the demo simulator.

These encoders mirror the decoders next to them; they are written from the same public
protocol descriptions, so a test that decodes what they build checks both directions.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from . import gt06, jt808
from .base import digits_to_bcd

BEIJING = dt.timezone(dt.timedelta(hours=8))


def _bcd_time(when: dt.datetime, zone: dt.tzinfo) -> bytes:
    local = when.astimezone(zone)
    return digits_to_bcd(local.strftime("%y%m%d%H%M%S"), 6)


def jt808_frame(message_id: int, phone: str, body: bytes, *, serial: int = 1, version_2019: bool = False) -> bytes:
    properties = len(body) & 0x03FF
    head = bytearray(message_id.to_bytes(2, "big"))
    if version_2019:
        head += (properties | 0x4000).to_bytes(2, "big") + bytes([1]) + digits_to_bcd(phone, 10)
    else:
        head += properties.to_bytes(2, "big") + digits_to_bcd(phone, 6)
    head += serial.to_bytes(2, "big")
    payload = bytes(head) + body
    return b"\x7e" + jt808.escape(payload + bytes([jt808.xor_checksum(payload)])) + b"\x7e"


def jt808_location_body(
    when: dt.datetime,
    lat: float,
    lon: float,
    *,
    alarm_bits: int = 0,
    fixed: bool = True,
    speed_kmh: float = 0.0,
    course: int = 0,
    altitude: int = 0,
    satellites: int | None = None,
) -> bytes:
    status = (jt808.STATUS_FIXED if fixed else 0) | (jt808.STATUS_SOUTH if lat < 0 else 0)
    status |= jt808.STATUS_WEST if lon < 0 else 0
    body = alarm_bits.to_bytes(4, "big") + status.to_bytes(4, "big")
    body += round(abs(lat) * 1e6).to_bytes(4, "big") + round(abs(lon) * 1e6).to_bytes(4, "big")
    body += altitude.to_bytes(2, "big", signed=True) + round(speed_kmh * 10).to_bytes(2, "big")
    body += course.to_bytes(2, "big") + _bcd_time(when, BEIJING)
    if satellites is not None:
        body += bytes([jt808.ADDITIONAL_SATELLITES, 1, satellites])
    return body


def jt808_location(
    phone: str, when: dt.datetime, lat: float, lon: float, *, serial: int = 1, **kwargs: object
) -> bytes:
    version_2019 = bool(kwargs.pop("version_2019", False))
    body = jt808_location_body(when, lat, lon, **kwargs)  # type: ignore[arg-type]
    return jt808_frame(jt808.MSG_LOCATION, phone, body, serial=serial, version_2019=version_2019)


def jt808_batch(phone: str, bodies: list[bytes], *, serial: int = 1) -> bytes:
    body = len(bodies).to_bytes(2, "big") + b"\x01"
    for item in bodies:
        body += len(item).to_bytes(2, "big") + item
    return jt808_frame(jt808.MSG_BATCH, phone, body, serial=serial)


def jt808_register(phone: str, *, serial: int = 1) -> bytes:
    body = (43).to_bytes(2, "big") + (1224).to_bytes(2, "big") + b"ZTEST" + b"WB-01".ljust(20, b"\x00")
    body += b"T000001" + b"\x00" + "湘N".encode("gbk")
    return jt808_frame(jt808.MSG_REGISTER, phone, body, serial=serial)


def jt808_auth(phone: str, code: str, *, serial: int = 2) -> bytes:
    return jt808_frame(jt808.MSG_AUTH, phone, code.encode("ascii"), serial=serial)


def jt808_heartbeat(phone: str, *, serial: int = 3) -> bytes:
    return jt808_frame(jt808.MSG_HEARTBEAT, phone, b"", serial=serial)


def gt06_frame(protocol: int, info: bytes, serial: int) -> bytes:
    body = bytes([len(info) + 5, protocol]) + info + serial.to_bytes(2, "big")
    return b"\x78\x78" + body + gt06.crc_itu(body).to_bytes(2, "big") + b"\r\n"


def gt06_login(imei: str, *, serial: int = 1, zone_minutes: int | None = None) -> bytes:
    info = digits_to_bcd(imei, 8)
    if zone_minutes is not None:
        value = (abs(zone_minutes) // 60) * 100 + abs(zone_minutes) % 60
        info += b"\x12\x34" + ((value << 4) | (0x08 if zone_minutes < 0 else 0)).to_bytes(2, "big")
    return gt06_frame(gt06.MSG_LOGIN, info, serial)


def gt06_gps_block(
    when: dt.datetime, lat: float, lon: float, *, speed: int = 0, course: int = 0, fixed: bool = True
) -> bytes:
    utc = when.astimezone(dt.UTC)
    block = bytes([utc.year - 2000, utc.month, utc.day, utc.hour, utc.minute, utc.second, 0xC8])
    block += round(abs(lat) * 60 * 30000).to_bytes(4, "big") + round(abs(lon) * 60 * 30000).to_bytes(4, "big")
    flags = course & 0x03FF | (1 << 10 if lat >= 0 else 0) | (1 << 11 if lon < 0 else 0) | (1 << 12 if fixed else 0)
    return block + bytes([speed]) + flags.to_bytes(2, "big")


LBS = (460).to_bytes(2, "big") + b"\x00" + (0x2805).to_bytes(2, "big") + (0x00A1B2).to_bytes(3, "big")


def gt06_location(when: dt.datetime, lat: float, lon: float, *, serial: int = 2, **kwargs: object) -> bytes:
    return gt06_frame(gt06.MSG_GPS_LBS, gt06_gps_block(when, lat, lon, **kwargs) + LBS, serial)  # type: ignore[arg-type]


def gt06_heartbeat(*, serial: int = 3, terminal_info: int = 0x44, voltage_level: int = 5) -> bytes:
    return gt06_frame(gt06.MSG_STATUS, bytes([terminal_info, voltage_level, 4]) + b"\x00\x02", serial)


def gt06_alarm(
    when: dt.datetime, lat: float, lon: float, *, alarm: int, serial: int = 4, voltage_level: int = 4
) -> bytes:
    info = gt06_gps_block(when, lat, lon) + bytes([9]) + LBS + bytes([0x44, voltage_level, 4, alarm, 0x02])
    return gt06_frame(gt06.MSG_GPS_LBS_STATUS, info, serial)


def watch_frame(identifier: str, content: str, maker: str = "SG") -> bytes:
    return f"[{maker}*{identifier}*{len(content):04X}*{content}]".encode("ascii")


def watch_position(
    identifier: str,
    when: dt.datetime,
    lat: float,
    lon: float,
    *,
    keyword: str = "UD",
    battery: int = 80,
    status: int = 0,
    valid: bool = True,
) -> bytes:
    utc = when.astimezone(dt.UTC)
    content = (
        f"{keyword},{utc:%d%m%y},{utc:%H%M%S},{'A' if valid else 'V'},{abs(lat):.6f},{'N' if lat >= 0 else 'S'},"
        f"{abs(lon):.6f},{'E' if lon >= 0 else 'W'},0.00,0.0,100,7,60,{battery},1000,0,{status:08X},"
        "1,1,460,0,9360,4082,131,0,40"
    )
    return watch_frame(identifier, content)


def watch_link(identifier: str, battery: int = 90) -> bytes:
    return watch_frame(identifier, f"LK,1000,0,{battery}")


def osmand_query(identifier: str, when: dt.datetime, lat: float, lon: float, **extra: object) -> str:
    params = {"id": identifier, "lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "timestamp": str(int(when.timestamp()))}
    params.update({k: str(v) for k, v in extra.items()})
    return "/?" + urlencode(params)


def osmand_json(identifier: str, when: dt.datetime, lat: float, lon: float, *, battery: float = 0.8) -> bytes:
    stamp = when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    body = {
        "device_id": identifier,
        "location": {
            "timestamp": stamp,
            "coords": {"latitude": lat, "longitude": lon, "speed": 1.5, "heading": 90, "accuracy": 8, "altitude": 120},
            "is_moving": True,
            "battery": {"level": battery, "is_charging": False},
        },
    }
    return json.dumps(body).encode()
