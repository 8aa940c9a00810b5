"""GT06 (Concox and compatible wristbands): framing, CRC-ITU, decoding and acknowledgements.

Frame: 0x78 0x78 | length (1) | protocol number | information | serial (2) | CRC (2) | 0x0D 0x0A;
the long form starts 0x79 0x79 with a 2-byte length. The length counts protocol number through
CRC; the CRC-ITU (CRC-16/X-25) covers length through serial. Device times are GMT unless the
login message carries a time-zone extension.
"""

from __future__ import annotations

import binascii

from .base import Alarm, Decoded, DeviceMessage, Fix, FrameError, MessageKind, bcd_digits, check_coordinates, make_utc

MSG_LOGIN = 0x01
MSG_GPS_LBS = 0x12
MSG_STATUS = 0x13
MSG_GPS_LBS_STATUS = 0x16
MSG_GPS_LBS_2 = 0x22
MSG_GPS_LBS_STATUS_2 = 0x26

ACKNOWLEDGED = {MSG_LOGIN, MSG_STATUS, MSG_GPS_LBS_STATUS, MSG_GPS_LBS_STATUS_2}

# Terminal information byte, bits 3–5.
STATUS_ALARMS = {2: Alarm.TAMPER, 3: Alarm.LOW_BATTERY, 4: Alarm.SOS, 7: Alarm.TAMPER}
# Alarm byte of 0x16/0x26 messages.
ALARM_CODES = {
    0x01: Alarm.SOS,
    0x02: Alarm.TAMPER,  # power cut
    0x0C: Alarm.TAMPER,
    0x0E: Alarm.LOW_BATTERY,
    0x0F: Alarm.LOW_BATTERY,
    0x13: Alarm.TAMPER,
    0x18: Alarm.TAMPER,  # removed
    0x19: Alarm.LOW_BATTERY,
}


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _crc_table()


def crc_itu_bytewise(data: bytes) -> int:
    """CRC-16/X-25 (reflected 0x1021, init and final XOR 0xFFFF), table-driven (kept to cross-check
    the fast path in tests)."""
    crc = 0xFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc ^ 0xFFFF


_REFLECTED = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def crc_itu(data: bytes) -> int:
    """CRC-16/X-25 through the C implementation of the unreflected CRC-CCITT (binascii.crc_hqx):
    the reflected CRC of the data is the reflection of the plain CRC of the bit-reversed bytes."""
    crc = binascii.crc_hqx(data.translate(_REFLECTED), 0xFFFF)
    return ((_REFLECTED[crc & 0xFF] << 8) | _REFLECTED[crc >> 8]) ^ 0xFFFF


def extract_frames(buffer: bytearray, max_bytes: int) -> list[bytes | FrameError]:
    out, consumed = split_frames(bytes(buffer), max_bytes)
    del buffer[:consumed]
    return out


def split_frames(data: bytes, max_bytes: int) -> tuple[list[bytes | FrameError], int]:
    """The complete frames (and junk) at the start of `data`, and how many bytes they took (see
    jt808.split_frames)."""
    out: list[bytes | FrameError] = []
    pos, size = 0, len(data)
    while pos < size:
        short, long = data.find(b"\x78\x78", pos), data.find(b"\x79\x79", pos)
        if short < 0 and long < 0:
            keep = 1 if data[-1:] in (b"\x78", b"\x79") else 0
            if size - pos > keep:
                out.append(FrameError("bytes outside a frame", data[pos : size - keep]))
                pos = size - keep
            break
        start = short if long < 0 or 0 <= short < long else long
        if start > pos:
            out.append(FrameError("bytes outside a frame", data[pos:start]))
            pos = start
        long_form = data[pos] == 0x79
        head = 4 if long_form else 3
        if size - pos < head:
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big") if long_form else data[pos + 2]
        total = head + length + 2
        if total > max_bytes:
            out.append(FrameError("oversized frame", data[pos : pos + min(size - pos, max_bytes)]))
            pos += 2
            continue
        if size - pos < total:
            break
        frame = data[pos : pos + total]
        if frame[-2:] != b"\r\n" or length < 5:
            # Not a frame after all (or a corrupted length): skip this start and resynchronise.
            out.append(FrameError("frame without stop bytes", frame))
            pos += 2
            continue
        pos += total
        out.append(frame)
    return out, pos


def acknowledgement(protocol: int, serial: int) -> bytes:
    body = bytes([5, protocol]) + serial.to_bytes(2, "big")
    return b"\x78\x78" + body + crc_itu(body).to_bytes(2, "big") + b"\r\n"


def decode(frame: bytes, *, identifier: str | None, offset_minutes: int = 0) -> tuple[int, int, Decoded]:
    """One frame → (protocol number, serial, decoded). `identifier` is the IMEI from this connection's login."""
    long_form = frame[:2] == b"\x79\x79"
    head = 4 if long_form else 3
    if len(frame) < head + 7 or frame[-2:] != b"\r\n":
        raise FrameError("truncated frame", frame)
    checked = frame[2:-4]
    if crc_itu(checked) != int.from_bytes(frame[-4:-2], "big"):
        raise FrameError("CRC mismatch", frame)
    protocol = frame[head]
    info = frame[head + 1 : -6]
    serial = int.from_bytes(frame[-6:-4], "big")
    decoded = Decoded()
    try:
        if protocol == MSG_LOGIN:
            if len(info) < 8:
                raise FrameError("truncated login")
            imei = bcd_digits(info[:8]).lstrip("0") or "0"
            extra: dict[str, object] = {}
            if len(info) >= 12:
                bits = int.from_bytes(info[10:12], "big")
                value = bits >> 4
                zone = (value // 100) * 60 + value % 100
                extra["offset_minutes"] = -zone if bits & 0x08 else zone
            decoded.messages.append(DeviceMessage(imei, MessageKind.LOGIN, extra=extra))
        else:
            if identifier is None:
                raise FrameError("message before login")
            decoded.messages.append(_decode_message(protocol, info, identifier, offset_minutes))
    except FrameError as error:
        raise FrameError(error.reason, frame) from None
    if protocol in ACKNOWLEDGED:
        decoded.reply = acknowledgement(protocol, serial)
    return protocol, serial, decoded


def _decode_message(protocol: int, info: bytes, identifier: str, offset_minutes: int) -> DeviceMessage:
    if protocol in (MSG_GPS_LBS, MSG_GPS_LBS_2):
        fix = _decode_gps(info, offset_minutes)
        if len(info) < 26:
            raise FrameError("truncated LBS block")
        return DeviceMessage(identifier, MessageKind.LOCATION, [fix])
    if protocol == MSG_STATUS:
        if len(info) < 5:
            raise FrameError("truncated status")
        alarms, battery = _terminal_info(info[0], info[1])
        return DeviceMessage(
            identifier, MessageKind.HEARTBEAT, alarms=alarms, battery_percent=battery, carries_status=True
        )
    if protocol in (MSG_GPS_LBS_STATUS, MSG_GPS_LBS_STATUS_2):
        fix = _decode_gps(info, offset_minutes)
        # The LBS length byte counts itself (9 with MCC, MNC, LAC and cell); 0 means no LBS block.
        lbs_length = info[18] if len(info) > 18 else 0
        status_at = 18 + (lbs_length if lbs_length > 0 else 1)
        if len(info) < status_at + 5:
            raise FrameError("truncated alarm")
        alarms, battery = _terminal_info(info[status_at], info[status_at + 1])
        code = ALARM_CODES.get(info[status_at + 3])
        if code is not None:
            alarms.add(code)
        return DeviceMessage(identifier, MessageKind.LOCATION, [fix], alarms, battery, carries_status=True)
    return DeviceMessage(identifier, MessageKind.HEARTBEAT, extra={"unsupported": True})


def _decode_gps(info: bytes, offset_minutes: int) -> Fix:
    if len(info) < 18:
        raise FrameError("truncated GPS block")
    time = make_utc(2000 + info[0], info[1], info[2], info[3], info[4], info[5], offset_minutes=offset_minutes)
    satellites = info[6] & 0x0F
    latitude = int.from_bytes(info[7:11], "big") / 30000.0 / 60.0
    longitude = int.from_bytes(info[11:15], "big") / 30000.0 / 60.0
    speed = float(info[15])
    flags = int.from_bytes(info[16:18], "big")
    if not flags & (1 << 10):  # bit 10 set: north latitude
        latitude = -latitude
    if flags & (1 << 11):  # bit 11 set: west longitude
        longitude = -longitude
    check_coordinates(latitude, longitude)
    return Fix(
        time=time,
        latitude=latitude,
        longitude=longitude,
        valid=bool(flags & (1 << 12)),
        speed_kmh=speed,
        course=float((flags & 0x03FF) % 360),
        satellites=satellites,
    )


def _terminal_info(info: int, voltage_level: int) -> tuple[set[Alarm], int | None]:
    alarms = set()
    alarm = STATUS_ALARMS.get((info >> 3) & 0x07)
    if alarm is not None:
        alarms.add(alarm)
    battery = min(voltage_level, 6) * 100 // 6 if voltage_level <= 6 else None
    return alarms, battery
