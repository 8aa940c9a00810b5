"""JT/T 808 (2011/2013 and 2019 headers): framing, escaping, checksum, decoding and replies.

Frame: 0x7E | header | body | XOR checksum | 0x7E, with 0x7E → 0x7D 0x02 and 0x7D → 0x7D 0x01
inside. Header: message id (2), properties (2: body length in bits 0–9, encryption 10–12,
sub-package 13, 2019 version flag 14), [2019: protocol version (1)], terminal phone number in
BCD (6 bytes, 2019: 10 bytes), serial number (2), [sub-package total (2), index (2)].
Times in location reports are BCD YYMMDDhhmmss in Beijing time (GMT+8).
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from .base import (
    BCD_VALUES,
    Alarm,
    Decoded,
    DeviceMessage,
    Fix,
    FrameError,
    MessageKind,
    bcd_digits,
    check_coordinates,
    make_utc,
)

FLAG = 0x7E
ESCAPE = 0x7D

MSG_TERMINAL_REPLY = 0x0001
MSG_HEARTBEAT = 0x0002
MSG_REGISTER = 0x0100
MSG_AUTH = 0x0102
MSG_LOCATION = 0x0200
MSG_BATCH = 0x0704
MSG_PLATFORM_REPLY = 0x8001
MSG_REGISTER_REPLY = 0x8100

RESULT_OK = 0
RESULT_FAILED = 1
RESULT_UNSUPPORTED = 3
REGISTER_OK = 0
REGISTER_UNKNOWN_TERMINAL = 4  # 数据库中无该终端

BEIJING_OFFSET_MINUTES = 8 * 60

# Alarm bits (table 24) the platform acts on. Wristband makers report strap removal through the
# power-cut bit (8) or the tamper bits (16, 17) that Traccar also reads as tampering.
ALARM_BITS: dict[int, Alarm] = {0: Alarm.SOS, 7: Alarm.LOW_BATTERY, 8: Alarm.TAMPER, 16: Alarm.TAMPER, 17: Alarm.TAMPER}
STATUS_FIXED = 1 << 1
STATUS_SOUTH = 1 << 2
STATUS_WEST = 1 << 3

ADDITIONAL_SATELLITES = 0x31


class Header(NamedTuple):
    message_id: int
    properties: int
    version: int | None  # 2019 protocol version byte, None for 2011/2013 headers
    phone_bcd: bytes
    serial: int
    body_length: int

    @property
    def identifier(self) -> str:
        return terminal_number(self.phone_bcd)


TERMINAL_DIGITS = 12  # 2011/2013 headers: 6 BCD bytes
TERMINAL_DIGITS_2019 = 20  # 2019 headers: 10 BCD bytes


def normalise_terminal_number(number: str) -> str:
    """The one form of a JT/T 808 terminal number everywhere (registry, gateway, unknown
    devices): the BCD digits with their leading zeros, 12 of them (e.g. 012076463279, as many
    wristbands send). A 2019 header's 20 digits with eight leading zeros are the same 12-digit
    terminal (firmware updated to the 2019 protocol); longer numbers keep all 20 digits.
    Raises ValueError for anything but 1–20 digits."""
    digits = number.strip().replace(" ", "")
    if not digits.isdigit() or not digits.isascii() or len(digits) > TERMINAL_DIGITS_2019:
        raise ValueError(number)
    if len(digits) <= TERMINAL_DIGITS:
        return digits.zfill(TERMINAL_DIGITS)
    digits = digits.zfill(TERMINAL_DIGITS_2019)
    if digits.startswith("0" * (TERMINAL_DIGITS_2019 - TERMINAL_DIGITS)):
        return digits[-TERMINAL_DIGITS:]
    return digits


# A connection sends the same terminal number in every frame: its digits are worked out once.
# Bounded (a sender inventing numbers only makes it start over).
_TERMINAL_NUMBERS_MAX = 65_536
_terminal_numbers: dict[bytes, str] = {}


def terminal_number(phone_bcd: bytes) -> str:
    """The header's BCD terminal number in its one form; FrameError for a nibble above 9."""
    number = _terminal_numbers.get(phone_bcd)
    if number is None:
        number = normalise_terminal_number(bcd_digits(phone_bcd))
        if len(_terminal_numbers) >= _TERMINAL_NUMBERS_MAX:
            _terminal_numbers.clear()
        _terminal_numbers[phone_bcd] = number
    return number


def extract_frames(buffer: bytearray, max_bytes: int) -> list[bytes | FrameError]:
    """Take every complete 0x7E…0x7E frame out of `buffer`; junk between frames is reported."""
    out, consumed = split_frames(bytes(buffer), max_bytes)
    del buffer[:consumed]
    return out


def split_frames(data: bytes, max_bytes: int) -> tuple[list[bytes | FrameError], int]:
    """The complete frames (and junk) at the start of `data`, and how many bytes they took; the
    rest is an incomplete frame to keep. Offsets into the bytes as they came, so that a read of
    several frames is not copied again for each one."""
    out: list[bytes | FrameError] = []
    pos, size = 0, len(data)
    while pos < size:
        start = data.find(FLAG, pos)
        if start < 0:
            out.append(FrameError("bytes outside a frame", data[pos:]))
            pos = size
            break
        if start > pos:
            out.append(FrameError("bytes outside a frame", data[pos:start]))
            pos = start
        end = data.find(FLAG, pos + 1)
        if end < 0:
            if size - pos > max_bytes:
                out.append(FrameError("oversized frame", data[pos:]))
                pos = size
            break
        if end == pos + 1:  # 7E 7E: the first flag closed an earlier frame; resynchronise on the second
            pos += 1
            continue
        frame = data[pos : end + 1]
        pos = end + 1
        if len(frame) > max_bytes:
            out.append(FrameError("oversized frame", frame))
        else:
            out.append(frame)
    return out, pos


def unescape(data: bytes) -> bytes:
    if b"\x7d" not in data:
        return data
    if data.count(b"\x7d") != data.count(b"\x7d\x01") + data.count(b"\x7d\x02"):
        raise FrameError("invalid escape sequence", data)
    return data.replace(b"\x7d\x02", b"\x7e").replace(b"\x7d\x01", b"\x7d")


def _unescape_bytewise(data: bytes) -> bytes:
    """The same, byte by byte (kept to cross-check the fast path in tests)."""
    out = bytearray()
    iterator = iter(range(len(data)))
    for i in iterator:
        byte = data[i]
        if byte == ESCAPE:
            if i + 1 >= len(data):
                raise FrameError("dangling escape byte", data)
            following = data[i + 1]
            if following == 0x01:
                out.append(ESCAPE)
            elif following == 0x02:
                out.append(FLAG)
            else:
                raise FrameError("invalid escape sequence", data)
            next(iterator, None)
        else:
            out.append(byte)
    return bytes(out)


def escape(data: bytes) -> bytes:
    return data.replace(b"\x7d", b"\x7d\x01").replace(b"\x7e", b"\x7d\x02")


def xor_checksum(data: bytes) -> int:
    """XOR of every byte, by folding the bytes as one integer in halves (a few big-integer
    operations instead of a Python loop over each byte); unrolled for the usual frame of up to
    64 bytes. Bits above the part folded into are left as they are and masked off at the end."""
    value = int.from_bytes(data, "little")
    size = len(data)
    if size > 64:
        shift = 4 << (size - 1).bit_length()  # bits, half a power of two ≥ the data's
        while shift > 256:
            value ^= value >> shift
            shift >>= 1
    if size > 32:
        value ^= value >> 256
    if size > 16:
        value ^= value >> 128
    if size > 8:
        value ^= value >> 64
    value ^= value >> 32
    value ^= value >> 16
    value ^= value >> 8
    return value & 0xFF


def parse_header(content: bytes) -> tuple[Header, bytes]:
    if len(content) < 12:
        raise FrameError("truncated header", content)
    message_id, properties = _ID_AND_PROPERTIES.unpack_from(content)
    body_length = properties & 0x03FF
    if properties & 0x4000:  # 2019
        if len(content) < 17:
            raise FrameError("truncated 2019 header", content)
        version: int | None = content[4]
        phone = content[5:15]
        serial = int.from_bytes(content[15:17], "big")
        offset = 17
    else:
        version = None
        phone = content[4:10]
        serial = int.from_bytes(content[10:12], "big")
        offset = 12
    if properties & 0x2000:
        offset += 4  # sub-package total and index
    if (properties >> 10) & 0x07:
        raise FrameError("encrypted body not supported", content)
    body = content[offset:]
    if len(body) != body_length:
        raise FrameError(f"body length {len(body)} does not match header {body_length}", content)
    phone = bytes(phone)
    terminal_number(phone)  # validates the terminal number
    header = Header(message_id, properties, version, phone, serial, body_length)
    return header, body


_ID_AND_PROPERTIES = struct.Struct(">HH")
_LOCATION = struct.Struct(">IIIIhHHBBBBBB")


def coordinates(raw_lat: int, raw_lon: int, status: int) -> tuple[float, float]:
    """Degrees from a location report's millionths of a degree, signed by the status's
    south and west bits."""
    latitude = raw_lat / 1e6
    longitude = raw_lon / 1e6
    if status & STATUS_SOUTH:
        latitude = -latitude
    if status & STATUS_WEST:
        longitude = -longitude
    return latitude, longitude


def decode_location(body: bytes) -> tuple[Fix, set[Alarm]]:
    if len(body) < 28:
        raise FrameError("truncated location", body)
    alarm_flags, status, raw_lat, raw_lon, altitude, raw_speed, course, *stamp = _LOCATION.unpack_from(body)
    latitude, longitude = coordinates(raw_lat, raw_lon, status)
    check_coordinates(latitude, longitude)
    speed = raw_speed / 10.0
    year, month, day, hour, minute, second = (BCD_VALUES[byte] for byte in stamp)
    if min(year, month, day, hour, minute, second) < 0:
        raise FrameError("invalid BCD digit", body[22:28])
    time = make_utc(2000 + year, month, day, hour, minute, second, offset_minutes=BEIJING_OFFSET_MINUTES)
    satellites = None
    index = 28
    while index + 2 <= len(body):
        item_id, item_length = body[index], body[index + 1]
        value = body[index + 2 : index + 2 + item_length]
        if len(value) != item_length:
            raise FrameError("truncated additional information", body)
        if item_id == ADDITIONAL_SATELLITES and item_length == 1:
            satellites = value[0]
        index += 2 + item_length
    alarms = {alarm for bit, alarm in ALARM_BITS.items() if alarm_flags & (1 << bit)} if alarm_flags else set()
    fix = Fix(
        time=time,
        latitude=latitude,
        longitude=longitude,
        valid=bool(status & STATUS_FIXED),
        speed_kmh=speed,
        course=float(course % 360),
        altitude=float(altitude),
        satellites=satellites,
    )
    return fix, alarms


def decode(frame: bytes) -> tuple[Header, Decoded]:
    """One escaped frame (with both flags) → header and decoded messages; reply left to the gateway."""
    if len(frame) < 3 or frame[0] != FLAG or frame[-1] != FLAG:
        raise FrameError("frame must start and end with 0x7E", frame)
    content = unescape(frame[1:-1])
    if len(content) < 2:
        raise FrameError("empty frame", frame)
    payload, checksum = content[:-1], content[-1]
    if xor_checksum(payload) != checksum:
        raise FrameError("checksum mismatch", frame)
    try:
        header, body = parse_header(payload)
    except FrameError as error:
        raise FrameError(error.reason, frame) from None
    identifier = header.identifier
    decoded = Decoded()
    try:
        if header.message_id == MSG_LOCATION:
            fix, alarms = decode_location(body)
            decoded.messages.append(DeviceMessage(identifier, MessageKind.LOCATION, [fix], alarms, carries_status=True))
        elif header.message_id == MSG_BATCH:
            decoded.messages.append(_decode_batch(identifier, body))
        elif header.message_id == MSG_HEARTBEAT:
            battery = body[0] if len(body) >= 1 and body[0] <= 100 else None
            decoded.messages.append(DeviceMessage(identifier, MessageKind.HEARTBEAT, battery_percent=battery))
        elif header.message_id == MSG_REGISTER:
            decoded.messages.append(DeviceMessage(identifier, MessageKind.REGISTER))
        elif header.message_id == MSG_AUTH:
            decoded.messages.append(
                DeviceMessage(identifier, MessageKind.LOGIN, extra={"auth_code": _auth_code(body, header)})
            )
        elif header.message_id == MSG_TERMINAL_REPLY:
            pass  # the terminal acknowledging one of our messages: nothing to store
        else:
            decoded.messages.append(DeviceMessage(identifier, MessageKind.HEARTBEAT, extra={"unsupported": True}))
    except FrameError as error:
        raise FrameError(error.reason, frame) from None
    return header, decoded


def _decode_batch(identifier: str, body: bytes) -> DeviceMessage:
    if len(body) < 3:
        raise FrameError("truncated batch", body)
    count = int.from_bytes(body[0:2], "big")
    index = 3
    message = DeviceMessage(identifier, MessageKind.LOCATION, carries_status=True)
    for _ in range(count):
        if index + 2 > len(body):
            raise FrameError("truncated batch item", body)
        length = int.from_bytes(body[index : index + 2], "big")
        item = body[index + 2 : index + 2 + length]
        if len(item) != length:
            raise FrameError("truncated batch item", body)
        fix, alarms = decode_location(item)
        message.fixes.append(fix)
        message.alarms |= alarms
        index += 2 + length
    if index != len(body):
        raise FrameError("trailing bytes after batch", body)
    return message


def _auth_code(body: bytes, header: Header) -> str:
    if header.version is not None and body:
        length = body[0]
        return body[1 : 1 + length].decode("ascii", errors="replace")
    return body.decode("ascii", errors="replace").rstrip("\x00")


_HEAD_2013 = struct.Struct(">HH")
_HEAD_2019 = struct.Struct(">HHB")
_SERIAL = struct.Struct(">H")
_PLATFORM_REPLY_BODY = struct.Struct(">HHB")


def encode(header: Header, message_id: int, body: bytes, serial: int) -> bytes:
    """A platform message to the terminal, mirroring the terminal's header version and number."""
    properties = len(body) & 0x03FF
    if header.version is not None:
        head = _HEAD_2019.pack(message_id, properties | 0x4000, header.version)
    else:
        head = _HEAD_2013.pack(message_id, properties)
    payload = b"".join((head, header.phone_bcd, _SERIAL.pack(serial & 0xFFFF), body))
    return b"\x7e" + escape(payload + bytes((xor_checksum(payload),))) + b"\x7e"


def platform_reply(header: Header, serial: int, result: int = RESULT_OK) -> bytes:
    """0x8001: reply serial, reply message id, result."""
    return encode(
        header, MSG_PLATFORM_REPLY, _PLATFORM_REPLY_BODY.pack(header.serial, header.message_id, result), serial
    )


def register_reply(header: Header, serial: int, result: int, auth_code: str = "") -> bytes:
    """0x8100: reply serial, result, and the authentication code when registration succeeded."""
    body = header.serial.to_bytes(2, "big") + bytes([result])
    if result == REGISTER_OK:
        body += auth_code.encode("ascii")
    return encode(header, MSG_REGISTER_REPLY, body, serial)
