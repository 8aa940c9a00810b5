"""The hand-off between the gateway and the writer process: reports and outcomes as packed bytes.

Pickling a submission cost the gateway about a third of its CPU at saturation (a tuple per
report, a tuple and two datetimes per fix, each an object for pickle to walk), and rebuilding
the objects in the writer about a fifth of the writer's. Here every report is one fixed-size
`struct` record and every fix another, written into one `bytearray`; the few strings
(terminal number, peer address) go in one list and the rare protocol details (`extra`: an
authentication code, an OsmAnd secret's hash) in a dict by report index. Pickle then sees three
objects per submission, whatever its size. Times travel as integer microseconds since the epoch
(exact: a float would lose the last microsecond of some times). Both ends run the same code, so
the layout is private and carries no version.

Pure Python: no Django (the writer child imports it before Django is set up).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import logging
import math
import struct
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .protocols.base import Alarm, DeviceMessage, Fix, MessageKind

if TYPE_CHECKING:
    from .processing import Outcome, Report

PROTOCOLS = ("jt808", "gt06", "watch", "osmand")
OTHER_PROTOCOL = 255  # named in the strings, after the identifier and the address
KINDS = tuple(MessageKind)
ALARMS = tuple(Alarm)

logger = logging.getLogger("zhengtu.monitoring.gateway")

_PROTOCOL_CODES = {name: code for code, name in enumerate(PROTOCOLS)}
_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
_ALARM_BITS = {alarm: 1 << bit for bit, alarm in enumerate(ALARMS)}
_BITS_TO_ALARMS: tuple[frozenset[Alarm], ...] = tuple(
    frozenset(alarm for bit, alarm in enumerate(ALARMS) if mask & (1 << bit)) for mask in range(1 << len(ALARMS))
)

# Report: protocol, kind, flags, alarm bits, battery (-1: none), fixes, received at (µs), received (monotonic).
_REPORT = struct.Struct("<BBBBhHqd")
# Fix: time (µs), latitude, longitude, speed, course, altitude, accuracy (NaN: none), satellites (-1: none), valid.
_FIX = struct.Struct("<qddddddiB")
_STATUS, _AUTHENTICATED = 1, 2
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)

# Outcome: known, stored, rejected, refused, authenticated, registration (the auth code apart).
_OUTCOME = struct.Struct("<BHHBBB")

PackedReports = tuple[bytes, list[str], dict[int, dict[str, object]]]
PackedOutcomes = tuple[bytes, dict[int, str]]

# A report of one fix, record and fix together (the same bytes as the two packed one after the other).
REPORT_AND_FIX = struct.Struct(_REPORT.format + _FIX.format[1:])
PROTOCOL_CODES = _PROTOCOL_CODES
KIND_CODES = _KIND_CODES
ALARM_BITS = _ALARM_BITS
STATUS_FLAG = _STATUS  # the report carries the device's status bits


class PackedReport:
    """A report the gateway decoded straight into its hand-off record (gateway/packed.py): no
    Fix, DeviceMessage or Report objects on the way to the writer process, which reads the same
    bytes `pack_reports` writes for a `Report`. `record` is the report's record and its fixes with
    the authentication flag clear; `authenticated` is set when the report is submitted (JT/T 808)
    and written into the flags then."""

    __slots__ = ("record", "identifier", "remote_address", "extra", "authenticated")

    def __init__(
        self,
        record: bytes,
        identifier: str,
        remote_address: str,
        extra: dict[str, object] | None = None,
        authenticated: bool = True,
    ) -> None:
        self.record = record
        self.identifier = identifier
        self.remote_address = remote_address
        self.extra = extra
        self.authenticated = authenticated


def identity(report: Report | PackedReport) -> tuple[str, str]:
    """(protocol, device identifier) of a report in either form."""
    if isinstance(report, PackedReport):
        return PROTOCOLS[report.record[0]], report.identifier
    return report.protocol, report.message.identifier


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def pack_reports(reports: Sequence[Report | PackedReport]) -> PackedReports:
    buffer = bytearray()
    strings: list[str] = []
    extras: dict[int, dict[str, object]] = {}
    pack_report, pack_fix = _REPORT.pack, _FIX.pack
    nan = math.nan
    for index, report in enumerate(reports):
        if isinstance(report, PackedReport):
            if report.authenticated:
                start = len(buffer)
                buffer += report.record
                buffer[start + 2] |= _AUTHENTICATED
            else:
                buffer += report.record
            strings.append(report.identifier)
            strings.append(report.remote_address)
            if report.extra:
                extras[index] = report.extra
            continue
        message = report.message
        code = _PROTOCOL_CODES.get(report.protocol, OTHER_PROTOCOL)
        alarms = 0
        for alarm in message.alarms:
            alarms |= _ALARM_BITS[alarm]
        battery = message.battery_percent
        fixes = message.fixes
        buffer += pack_report(
            code,
            _KIND_CODES[message.kind],
            (_STATUS if message.carries_status else 0) | (_AUTHENTICATED if report.authenticated else 0),
            alarms,
            -1 if battery is None else battery,
            len(fixes),
            _micros(report.received_at),
            report.received_monotonic,
        )
        for fix in fixes:
            buffer += pack_fix(
                _micros(fix.time),
                fix.latitude,
                fix.longitude,
                fix.speed_kmh,
                fix.course,
                fix.altitude,
                nan if fix.accuracy is None else fix.accuracy,
                -1 if fix.satellites is None else fix.satellites,
                fix.valid,
            )
        strings.append(message.identifier)
        strings.append(report.remote_address)
        if code == OTHER_PROTOCOL:
            strings.append(report.protocol)
        if message.extra:
            extras[index] = message.extra
    return bytes(buffer), strings, extras


def unpack_reports(packed: PackedReports) -> list[Report]:
    from .processing import Report

    data, strings, extras = packed
    unpack_report, unpack_fix = _REPORT.unpack_from, _FIX.unpack_from
    report_size, fix_size = _REPORT.size, _FIX.size
    epoch, microsecond = _EPOCH, _MICROSECOND
    reports: list[Report] = []
    # Fix times are mostly whole seconds, so a submission holds few distinct ones: one datetime each.
    times: dict[int, dt.datetime] = {}
    offset = text = 0
    end = len(data)
    while offset < end:
        code, kind, flags, alarms, battery, count, received_us, monotonic = unpack_report(data, offset)
        offset += report_size
        fixes = []
        for _ in range(count):
            at, lat, lon, speed, course, altitude, accuracy, satellites, valid = unpack_fix(data, offset)
            offset += fix_size
            moment = times.get(at)
            if moment is None:
                moment = times[at] = epoch + at * microsecond
            fixes.append(
                Fix(
                    moment,
                    lat,
                    lon,
                    bool(valid),
                    speed,
                    course,
                    altitude,
                    None if satellites < 0 else satellites,
                    None if accuracy != accuracy else accuracy,  # NaN: none
                )
            )
        identifier, address = strings[text], strings[text + 1]
        text += 2
        if code == OTHER_PROTOCOL:
            protocol = strings[text]
            text += 1
        else:
            protocol = PROTOCOLS[code]
        index = len(reports)
        message = DeviceMessage(
            identifier,
            KINDS[kind],
            fixes,
            set(_BITS_TO_ALARMS[alarms]) if alarms else set(),
            None if battery < 0 else battery,
            bool(flags & _STATUS),
            extras.get(index) or {},
        )
        reports.append(
            Report(
                protocol, message, epoch + received_us * microsecond, monotonic, address, bool(flags & _AUTHENTICATED)
            )
        )
    return reports


def pack_outcomes(outcomes: list[Outcome]) -> PackedOutcomes:
    pack = _OUTCOME.pack
    codes = {index: o.auth_code for index, o in enumerate(outcomes) if o.auth_code}
    data = b"".join([pack(o.known, o.stored, o.rejected, o.refused, o.authenticated, o.registration) for o in outcomes])
    return data, codes


# The gateway only reads outcomes, and most are alike ("known, one fix stored"): one object each.
_interned: dict[tuple[Any, ...], Outcome] = {}


def unpack_outcomes(packed: PackedOutcomes) -> list[Outcome]:
    from .processing import Outcome

    data, codes = packed
    outcomes: list[Outcome] = []
    interned = _interned
    for index, values in enumerate(_OUTCOME.iter_unpack(data)):
        if index in codes:
            known, stored, rejected, refused, authenticated, registration = values
            outcomes.append(
                Outcome(bool(known), codes[index], stored, rejected, bool(refused), bool(authenticated), registration)
            )
            continue
        outcome = interned.get(values)
        if outcome is None:
            known, stored, rejected, refused, authenticated, registration = values
            outcome = Outcome(bool(known), "", stored, rejected, bool(refused), bool(authenticated), registration)
            if len(interned) < 4096:
                interned[values] = outcome
        outcomes.append(outcome)
    return outcomes


# -- answers from the writer's threads to the gateway's event loop ----------------------------
#
# uvloop runs every read callback that epoll reports (up to 48 × 1,024 in one turn) before any
# callback queued with `call_soon[_threadsafe]`. At saturation thousands of connections stay
# readable, so one turn of reading lasted seconds: the gateway decoded every frame of the
# benchmark's saturation phase (about 184,000) before the first submission left, while the
# writer waited, and the writer then stored them while the gateway waited (timeline of both
# processes' CPU, 2026-12-07). The stages took turns instead of overlapping. So answers are
# also put in a box that the gateway empties from its own read callbacks (`Deliveries.run`),
# besides the queued callback that empties it when the loop is otherwise idle.


class Deliveries:
    """Calls handed to one event loop from other threads, run on that loop in the order given:
    by a callback queued on the loop, or sooner by the loop's own code calling `run`."""

    __slots__ = ("loop", "items", "scheduled", "lock")

    def __init__(self, loop: Any) -> None:
        self.loop = loop
        self.items: collections.deque[tuple[Any, tuple[Any, ...]]] = collections.deque()
        self.scheduled = False
        self.lock = threading.Lock()

    def put(self, function: Any, *args: Any) -> None:
        """From any thread."""
        self.items.append((function, args))
        with self.lock:
            if self.scheduled:
                return
            self.scheduled = True
        with contextlib.suppress(RuntimeError):  # that event loop has closed: nobody is waiting any more
            self.loop.call_soon_threadsafe(self._scheduled_run)

    def _scheduled_run(self) -> None:
        with self.lock:
            self.scheduled = False
        self.run()

    def run(self) -> None:
        """On the loop's thread: run what was handed over so far."""
        items = self.items
        while items:
            function, args = items.popleft()
            try:
                function(*args)
            except Exception:  # noqa: BLE001 - one answer's failure must not fail the read that ran it
                logger.exception("Handing a stored submission back to its connections failed")


_deliveries: dict[Any, Deliveries] = {}
_deliveries_lock = threading.Lock()


def deliveries(loop: Any) -> Deliveries:
    """The box of `loop` (one per event loop, kept while the loop is open)."""
    box = _deliveries.get(loop)
    if box is None:
        with _deliveries_lock:
            box = _deliveries.get(loop)
            if box is None:
                for old in [old for old in _deliveries if old.is_closed()]:
                    del _deliveries[old]
                box = _deliveries[loop] = Deliveries(loop)
    return box


def deliver(loop: Any, function: Any, *args: Any) -> None:
    """Run `function(*args)` on `loop` (from any thread), in order with the loop's other deliveries."""
    deliveries(loop).put(function, *args)


class Answer:
    """Stands for an asyncio future where the submitter wants a plain callback: run at once on
    the loop's thread when the outcomes arrive (a future's waiter would be queued behind the
    reads again). `resolve_all` and `fail_future` take either."""

    __slots__ = ("callback", "_done")

    def __init__(self, callback: Any) -> None:
        self.callback = callback
        self._done = False

    def done(self) -> bool:
        return self._done

    def set_result(self, outcomes: Any) -> None:
        self._done = True
        self.callback(outcomes, None)

    def set_exception(self, error: BaseException) -> None:
        self._done = True
        self.callback(None, error)
