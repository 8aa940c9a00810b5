"""Per-connection protocol sessions: framing, decoding, and the answer once the data is stored.

A session turns received bytes into frames and each frame into reports, plus a function that
builds the reply from the storage outcome (e.g. JT/T 808 registration succeeds only for a
registered terminal; nothing is acknowledged for an unknown device).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..handoff import PackedReport
from ..processing import Outcome, Report
from ..protocols import gt06, jt808, watch
from ..protocols.base import DeviceMessage, FrameError, MessageKind
from . import packed

# What a connection submits: reports as objects, or (the usual location frames, when the
# ingestor takes them) already in their hand-off form (packed.py).
GatewayReport = Report | PackedReport

logger = logging.getLogger("zhengtu.monitoring.gateway")

ReplyBuilder = Callable[[list[Outcome]], bytes | None]


@dataclass(slots=True)
class DecodedFrame:
    messages: list[DeviceMessage]
    reply: ReplyBuilder
    close: bool = False  # close the connection once the reply is written (HTTP refusals)
    barrier: bool = False  # later frames of the connection wait until this one is answered


SAMPLE_BYTES = 64
SAMPLE_WINDOW_SECONDS = 60.0


class BadFrameLog:
    """Bad frames are counted (by protocol and reason) and only sampled into the log: at most
    `samples` a minute, each with its first SAMPLE_BYTES bytes, then one line saying how many
    were left out. (Logging each whole frame let an attacker turn 76 MB of input into 517 MB of
    log in 19 s.)"""

    def __init__(self, samples: int) -> None:
        self.samples = samples
        self.counts: dict[tuple[str, str], int] = {}
        self.total = 0
        self.suppressed = 0
        self._window_start = -SAMPLE_WINDOW_SECONDS
        self._logged_in_window = 0

    def record(self, protocol: str, peer: str, error: FrameError, *, now: float | None = None) -> None:
        key = (protocol, error.reason)
        self.counts[key] = self.counts.get(key, 0) + 1
        self.total += 1
        moment = time.monotonic() if now is None else now
        if moment - self._window_start >= SAMPLE_WINDOW_SECONDS:
            if self.suppressed:
                logger.warning("%d more bad device frames in the last minute were counted, not logged", self.suppressed)
            self._window_start, self._logged_in_window, self.suppressed = moment, 0, 0
        if self._logged_in_window >= self.samples:
            self.suppressed += 1
            return
        self._logged_in_window += 1
        raw = error.raw
        logger.warning(
            "Dropped %s frame from %s: %s; %d bytes, first %d: %s",
            protocol,
            peer,
            error.reason[:200],
            len(raw),
            min(len(raw), SAMPLE_BYTES),
            raw[:SAMPLE_BYTES].hex(),
        )


class Session:
    protocol = ""

    def __init__(self, peer: str, max_bytes: int) -> None:
        self.peer = peer
        self.max_bytes = max_bytes
        self.buffer = bytearray()

    def frames(self, data: bytes) -> list[bytes | FrameError]:
        """The frames completed by `data`; an incomplete one stays in the buffer. Cut at offsets
        into the read (see jt808.split_frames): the buffer is used only when a frame spans reads."""
        buffer = self.buffer
        if buffer:
            buffer += data
            items, consumed = self.split(bytes(buffer))
            del buffer[:consumed]
        else:
            items, consumed = self.split(data)
            if consumed < len(data):
                buffer += data[consumed:]
        return items

    def split(self, data: bytes) -> tuple[list[bytes | FrameError], int]:
        """The protocol's framing: complete frames (and junk) at the start of `data`, bytes taken."""
        raise NotImplementedError

    def decode(self, frame: bytes) -> DecodedFrame:
        raise NotImplementedError

    def reports(
        self, messages: list[DeviceMessage], received_at: dt.datetime, received_monotonic: float
    ) -> list[GatewayReport]:
        return [Report(self.protocol, m, received_at, received_monotonic, self.peer) for m in messages]

    def decode_packed(
        self, frame: bytes, received_us: int, received_monotonic: float
    ) -> tuple[DecodedFrame, list[GatewayReport]] | None:
        """The frame with its reports already packed (packed.py), or None: decode it with `decode`."""
        return None

    def prepare(self, reports: list[GatewayReport]) -> None:
        """Just before the reports are submitted (after the previous submission was answered)."""


def _all_known(outcomes: list[Outcome]) -> bool:
    return bool(outcomes) and all(o.known for o in outcomes)


def _no_reply(outcomes: list[Outcome]) -> bytes | None:
    return None


class Jt808Session(Session):
    """JT/T 808 with its handshake: registration (0x0100 → 0x8100 with the authentication code,
    once per terminal) and authentication (0x0102 → 0x8001) on each connection before any other
    message is accepted. Data from a connection that has not authenticated the terminal is
    answered 0x8001 with "failed" and not stored (unless the device is set to skip it)."""

    protocol = "jt808"

    def __init__(self, peer: str, max_bytes: int) -> None:
        super().__init__(peer, max_bytes)
        self.serial = 0
        self.authenticated: str | None = None  # the terminal number this connection authenticated
        self._reply_prefix: tuple[bytes, bytes, int] | None = None  # terminal BCD, 0x8001 prefix, its XOR

    def frames(self, data: bytes) -> list[bytes | FrameError]:
        # The usual case: exactly one whole frame in the segment and nothing buffered.
        if (
            not self.buffer
            and data[:1] == b"\x7e"
            and data.find(b"\x7e", 1) == len(data) - 1 > 1
            and len(data) <= self.max_bytes
        ):
            return [data]
        return super().frames(data)

    def split(self, data: bytes) -> tuple[list[bytes | FrameError], int]:
        return jt808.split_frames(data, self.max_bytes)

    def prepare(self, reports: list[GatewayReport]) -> None:
        # Stamped at submission, not at decoding: frames that waited behind the authentication
        # in this connection are submitted only once its answer has been worked out.
        authenticated = self.authenticated
        for report in reports:
            if isinstance(report, PackedReport):
                report.authenticated = report.identifier == authenticated
            else:
                report.authenticated = report.message.identifier == authenticated

    def _next_serial(self) -> int:
        self.serial = (self.serial + 1) & 0xFFFF
        return self.serial

    def decode_packed(
        self, frame: bytes, received_us: int, received_monotonic: float
    ) -> tuple[DecodedFrame, list[GatewayReport]] | None:
        decoded = packed.jt808_location(frame, received_us, received_monotonic)
        if decoded is None:
            return None
        record, identifier, phone, serial = decoded

        def reply(outcomes: list[Outcome]) -> bytes | None:
            # As `decode`'s reply for a 0x0200 (nothing unsupported in it): one report, one outcome.
            if len(outcomes) == 1:
                outcome = outcomes[0]
                if not outcome.known:
                    return None
                failed = outcome.refused
            elif not _all_known(outcomes):
                return None
            else:
                failed = any(o.refused for o in outcomes)
            return self._platform_reply(phone, serial, jt808.RESULT_FAILED if failed else jt808.RESULT_OK)

        return DecodedFrame([], reply), [PackedReport(record, identifier, self.peer, None, False)]

    def _platform_reply(self, phone: bytes, reply_serial: int, result: int) -> bytes:
        """0x8001 to a 0x0200 of a 2011/2013 header: what `jt808.platform_reply` gives, from a prefix
        worked out once per connection."""
        prefix = self._reply_prefix
        if prefix is None or prefix[0] != phone:
            prefix = self._reply_prefix = (phone, *packed.jt808_reply_prefix(phone))
        return packed.jt808_platform_reply(
            prefix[1], prefix[2], self._next_serial(), reply_serial, jt808.MSG_LOCATION, result
        )

    def decode(self, frame: bytes) -> DecodedFrame:
        header, decoded = jt808.decode(frame)
        messages = decoded.messages

        def reply(outcomes: list[Outcome]) -> bytes | None:
            if header.message_id == jt808.MSG_TERMINAL_REPLY:
                return None
            known = _all_known(outcomes)
            if header.message_id == jt808.MSG_REGISTER:
                if not known:
                    return jt808.register_reply(header, self._next_serial(), jt808.REGISTER_UNKNOWN_TERMINAL)
                result = outcomes[0].registration
                return jt808.register_reply(header, self._next_serial(), result, outcomes[0].auth_code)
            if not known:
                return None
            if header.message_id == jt808.MSG_AUTH:
                if outcomes[0].authenticated:
                    self.authenticated = header.identifier
                    return jt808.platform_reply(header, self._next_serial(), jt808.RESULT_OK)
                if self.authenticated == header.identifier:
                    self.authenticated = None
                return jt808.platform_reply(header, self._next_serial(), jt808.RESULT_FAILED)
            if any(o.refused for o in outcomes):
                return jt808.platform_reply(header, self._next_serial(), jt808.RESULT_FAILED)
            if any(m.extra.get("unsupported") for m in messages):
                return jt808.platform_reply(header, self._next_serial(), jt808.RESULT_UNSUPPORTED)
            return jt808.platform_reply(header, self._next_serial(), jt808.RESULT_OK)

        return DecodedFrame(messages, reply, barrier=header.message_id == jt808.MSG_AUTH)


class Gt06Session(Session):
    protocol = "gt06"

    def __init__(self, peer: str, max_bytes: int) -> None:
        super().__init__(peer, max_bytes)
        self.identifier: str | None = None
        self.offset_minutes = 0

    def frames(self, data: bytes) -> list[bytes | FrameError]:
        # The usual case: exactly one whole short-form frame in the segment and nothing buffered.
        if (
            not self.buffer
            and data[:2] == b"\x78\x78"
            and len(data) > 2
            and len(data) == data[2] + 5 <= self.max_bytes
            and data[2] >= 5
            and data[-2:] == b"\r\n"
        ):
            return [data]
        return super().frames(data)

    def split(self, data: bytes) -> tuple[list[bytes | FrameError], int]:
        return gt06.split_frames(data, self.max_bytes)

    def decode_packed(
        self, frame: bytes, received_us: int, received_monotonic: float
    ) -> tuple[DecodedFrame, list[GatewayReport]] | None:
        identifier = self.identifier
        if identifier is None:
            return None
        record = packed.gt06_location(frame, self.offset_minutes, received_us, received_monotonic)
        if record is None:
            return None
        return DecodedFrame([], _no_reply), [PackedReport(record, identifier, self.peer)]

    def decode(self, frame: bytes) -> DecodedFrame:
        _protocol, _serial, decoded = gt06.decode(frame, identifier=self.identifier, offset_minutes=self.offset_minutes)
        for message in decoded.messages:
            if message.kind == MessageKind.LOGIN:
                self.identifier = message.identifier
                offset = message.extra.get("offset_minutes")
                self.offset_minutes = int(offset) if isinstance(offset, int) else 0
        answer = decoded.reply

        def reply(outcomes: list[Outcome]) -> bytes | None:
            return answer if _all_known(outcomes) else None

        return DecodedFrame(decoded.messages, reply)


class WatchSession(Session):
    protocol = "watch"

    def frames(self, data: bytes) -> list[bytes | FrameError]:
        # The usual case: exactly one whole frame in the segment and nothing buffered.
        if not self.buffer and data[:1] == b"[" and data[-1:] == b"]" and len(data) <= self.max_bytes:
            match = watch.HEADER.match(data)
            if match is not None and match.end() + int(match[3], 16) + 1 == len(data):
                return [data]
        return super().frames(data)

    def split(self, data: bytes) -> tuple[list[bytes | FrameError], int]:
        return watch.split_frames(data, self.max_bytes)

    def decode_packed(
        self, frame: bytes, received_us: int, received_monotonic: float
    ) -> tuple[DecodedFrame, list[GatewayReport]] | None:
        decoded = packed.watch_location(frame, received_us, received_monotonic)
        if decoded is None:
            return None
        record, identifier, answer = decoded
        if answer is None:
            return DecodedFrame([], _no_reply), [PackedReport(record, identifier, self.peer)]

        def reply(outcomes: list[Outcome]) -> bytes | None:
            return answer if _all_known(outcomes) else None

        return DecodedFrame([], reply), [PackedReport(record, identifier, self.peer)]

    def decode(self, frame: bytes) -> DecodedFrame:
        decoded = watch.decode(frame)
        answer = decoded.reply

        def reply(outcomes: list[Outcome]) -> bytes | None:
            return answer if _all_known(outcomes) else None

        return DecodedFrame(decoded.messages, reply)


SESSIONS: dict[str, type[Session]] = {"jt808": Jt808Session, "gt06": Gt06Session, "watch": WatchSession}
