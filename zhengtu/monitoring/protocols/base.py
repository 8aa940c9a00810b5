"""What every device protocol decodes to. Pure Python: no Django, no I/O.

A decoder turns one frame (bytes) into a `Decoded`: the messages it carried (positions,
alarms, heartbeats, logins) and, separately, what the protocol wants to answer. The gateway
sends the answer only after the messages are stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Alarm(StrEnum):
    """Device-reported conditions the platform acts on (fences are evaluated by the platform itself)."""

    SOS = "sos"
    LOW_BATTERY = "low_battery"
    TAMPER = "tamper"  # strap opened, device removed, power cut


class MessageKind(StrEnum):
    LOCATION = "location"
    HEARTBEAT = "heartbeat"
    LOGIN = "login"  # GT06 login, JT/T 808 authentication
    REGISTER = "register"  # JT/T 808 terminal registration


class FrameError(ValueError):
    """A frame that cannot be decoded: malformed, truncated, oversized or with a wrong checksum."""

    def __init__(self, reason: str, raw: bytes = b"") -> None:
        super().__init__(reason)
        self.reason = reason
        self.raw = raw


@dataclass(slots=True)
class Fix:
    """One position as the device reported it, in WGS-84 with a timezone-aware UTC time."""

    time: dt.datetime
    latitude: float
    longitude: float
    valid: bool = True
    speed_kmh: float = 0.0
    course: float = 0.0
    altitude: float = 0.0
    satellites: int | None = None
    accuracy: float | None = None


@dataclass(slots=True)
class DeviceMessage:
    identifier: str
    kind: MessageKind
    fixes: list[Fix] = field(default_factory=list)
    alarms: set[Alarm] = field(default_factory=set)
    battery_percent: int | None = None
    # True when the message carries the device's status bits, so that an alarm *absent* from
    # `alarms` means the condition is over (not merely unreported).
    carries_status: bool = False
    # Protocol details the gateway needs for its answer (e.g. a JT/T 808 authentication code).
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Decoded:
    messages: list[DeviceMessage] = field(default_factory=list)
    reply: bytes | None = None  # sent once the messages are stored


def bcd_digits(data: bytes) -> str:
    """Packed BCD → digit string; raises FrameError on a nibble above 9."""
    digits = data.hex()
    if not digits.isdigit() and digits:
        raise FrameError("invalid BCD digit", data)
    return digits


def digits_to_bcd(digits: str, size: int) -> bytes:
    digits = digits.rjust(size * 2, "0")[-size * 2 :]
    return bytes(int(digits[i]) << 4 | int(digits[i + 1]) for i in range(0, len(digits), 2))


# Packed BCD byte → its value 0–99, or -1 when a nibble is above 9.
BCD_VALUES: tuple[int, ...] = tuple(
    (byte >> 4) * 10 + (byte & 0x0F) if byte >> 4 < 10 and byte & 0x0F < 10 else -1 for byte in range(256)
)


# Device times carry whole seconds, and at thousands of fixes a second most fixes decoded in a
# second share one of a few times: each is built once (a lookup costs about a third of building
# an aware datetime). Bounded: cleared when full.
_UTC_TIMES: dict[tuple[int, int, int, int, int, int, int], dt.datetime] = {}
_UTC_TIMES_MAX = 4096


def make_utc(
    year: int, month: int, day: int, hour: int, minute: int, second: int, *, offset_minutes: int = 0
) -> dt.datetime:
    """A device's local wall-clock time → aware UTC. Invalid dates raise FrameError."""
    key = (year, month, day, hour, minute, second, offset_minutes)
    moment = _UTC_TIMES.get(key)
    if moment is not None:
        return moment
    try:
        moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        if offset_minutes:
            moment -= dt.timedelta(minutes=offset_minutes)
    except (ValueError, OverflowError) as error:
        raise FrameError(f"invalid date/time: {error}") from error
    if len(_UTC_TIMES) >= _UTC_TIMES_MAX:
        _UTC_TIMES.clear()
    _UTC_TIMES[key] = moment
    return moment


def check_coordinates(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise FrameError("coordinates out of range")
