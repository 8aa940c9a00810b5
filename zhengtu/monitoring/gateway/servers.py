"""The device gateway: asyncio listeners for JT/T 808, GT06, the watch protocol and OsmAnd HTTP.

Each connection is an `asyncio.Protocol`: received bytes are framed into the connection's own
buffer and decoded at once, in the event loop's read callback (no stream reader, task or timer
per connection or per read). What every connection decoded during one turn of the event loop
goes to the ingestor as ONE submission; when the ingestor says it is stored, each connection
writes its replies. A connection has up to SUBMISSIONS_IN_FLIGHT submissions in flight, so the
next one is on its way to the writer while the previous one is being stored; replies are
written in the order of the frames whatever order the submissions come back in; frames that
arrive past that wait in the connection and go with the next turn. Nothing is acknowledged to a
device before it is stored. A bad frame is logged with its
raw bytes and dropped; the connection and the rest of its data carry on.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from ..handoff import Answer, Deliveries, deliveries
from ..ingest import Ingestor
from ..processing import Outcome, Report
from ..protocols.base import FrameError
from ..rules import rule
from .http import HttpRequestReader
from .sessions import SESSIONS, BadFrameLog, DecodedFrame, GatewayReport, Session

logger = logging.getLogger("zhengtu.monitoring.gateway")

# Frames a connection may hold while its previous submission is being stored; past this it
# stops reading (TCP flow control then slows the device down) until the submission is done.
# Kept modest so that the event loop cannot run far ahead of the writer: decoding thousands of
# frames the writer cannot store yet would only take the interpreter lock away from it.
BACKLOG_FRAMES = 32
# Frames of one connection in one submission (the rest wait in its backlog, counted there), so
# that what is in flight stays near the gateway's bound however much one read brought.
SUBMISSION_FRAMES = BACKLOG_FRAMES
# Bytes decoded at a time when a read brought more than that (a few dozen frames of any protocol).
READ_SLICE_BYTES = 4096
# Submissions a connection may have in flight at once. With one, a device's next frames waited
# for the whole round trip (the writer's batch, its commit, the answer back through the event
# loop) before they even went to the writer, so the gateway and the writer took turns instead
# of working at once. Two let the next submission travel while the previous one commits; the
# writer stores submissions in the order it gets them, so a device's fixes keep their order.
SUBMISSIONS_IN_FLIGHT = 2
SWEEP_SECONDS_MAX = 30.0
SUBMISSION_REPORTS = 200

Pending = list[tuple[DecodedFrame, list[GatewayReport]]]
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(slots=True, eq=False)
class Submission:
    """Frames of one connection handed to the ingestor together; answered in the order submitted."""

    pending: Pending
    barrier: bool = False  # its last frame is a barrier: nothing after it goes until it is answered
    outcomes: list[Outcome] | None = None  # set when stored


@dataclass
class GatewayCounters:
    connections: int = 0
    open_connections: int = 0
    frames: int = 0
    bad_frames: int = 0
    reports: int = 0
    submissions: int = 0
    refused_connections: int = 0  # over a connection cap: closed at once
    closed_unproven: int = 0  # no registered device's frame within HANDSHAKE_SECONDS
    closed_hostile: int = 0  # too many bad frames or frames of unknown devices
    overloads: int = 0  # times every connection stopped reading because the writer was behind
    by_protocol: dict[str, int] = field(default_factory=dict)


class Gateway:
    def __init__(self, ingestor: Ingestor, *, host: str | None = None, ports: dict[str, int] | None = None) -> None:
        self.ingestor = ingestor
        self.host = host or rule("LISTEN_HOST")
        self.ports = dict(ports if ports is not None else rule("PORTS"))
        self.bound: dict[str, int] = {}
        self.counters = GatewayCounters()
        self.max_frame_bytes = int(rule("MAX_FRAME_BYTES"))
        self.idle_seconds = float(rule("IDLE_SECONDS"))
        self.handshake_seconds = float(rule("HANDSHAKE_SECONDS"))
        self.max_connections = int(rule("MAX_CONNECTIONS"))
        self.max_unproven = int(rule("MAX_UNPROVEN_CONNECTIONS"))
        self.max_unproven_per_address = int(rule("MAX_UNPROVEN_PER_ADDRESS"))
        self.max_bad_frames = int(rule("MAX_BAD_FRAMES_PER_CONNECTION"))
        self.max_unknown_frames = int(rule("MAX_UNKNOWN_FRAMES_PER_CONNECTION"))
        self.bad_frames = BadFrameLog(int(rule("BAD_FRAME_LOG_SAMPLES")))
        self.connections: set[Connection] = set()
        self.unproven: dict[str, int] = {}  # address → connections without a registered device yet
        self.unproven_total = 0
        self.max_in_flight = int(rule("MAX_IN_FLIGHT_REPORTS"))
        self.in_flight_reports = 0
        self.overloaded = False
        self._servers: list[asyncio.Server] = []
        self._pending: list[tuple[Connection, Submission]] = []
        self._pending_reports = 0
        self._flush_scheduled = False
        self._flushing = False
        # Ingestors that can call back on this loop as soon as a submission is stored (see
        # handoff.Deliveries): answers do not wait behind the next round of reads.
        self._submit_now = getattr(ingestor, "submit_now", None)
        # Ingestors that take reports in their hand-off form (the writer process): the usual
        # location frames are decoded straight into it (packed.py).
        self.takes_packed = bool(getattr(ingestor, "takes_packed", False))
        self._answers: Deliveries | None = None
        self._answering = 0  # submissions handed over through `submit_now`, not answered yet
        self._stores: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        loop = self._loop = asyncio.get_running_loop()
        self._answers = deliveries(loop)
        for protocol, port in self.ports.items():
            if protocol == "osmand":
                server = await loop.create_server(lambda: HttpConnection(self), self.host, port, backlog=4096)
            else:
                session_class = SESSIONS[protocol]
                server = await loop.create_server(
                    lambda s=session_class: DeviceConnection(self, s),  # type: ignore[misc]
                    self.host,
                    port,
                    backlog=4096,
                )
            self._servers.append(server)
            self.bound[protocol] = server.sockets[0].getsockname()[1]
            logger.info("Monitoring gateway: %s listening on %s:%s", protocol, self.host, self.bound[protocol])
        self._sweeper = loop.call_later(self._sweep_interval(), self._sweep)

    async def stop(self) -> None:
        """Stop listening, let submissions in flight finish, and close every device connection."""
        for server in self._servers:
            server.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self._pending:
            self._flush()
        if self._stores:
            await asyncio.wait(list(self._stores), timeout=5)
        deadline = time.monotonic() + 5
        while self._answering and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for connection in list(self.connections):
            connection.close()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
        self._servers.clear()

    # -- one submission per turn of the event loop ------------------------------------------

    def submit(self, connection: Connection, submission: Submission) -> None:
        self._pending.append((connection, submission))
        pending = submission.pending
        if len(pending) == 1:
            self._pending_reports += len(pending[0][1])
        else:
            for _frame, reports in pending:
                self._pending_reports += len(reports)
        if self._pending_reports >= SUBMISSION_REPORTS and self._submit_now is not None and not self._flushing:
            # At once, not at the end of the turn: under load uvloop's turn of reads lasts
            # seconds (see handoff.Deliveries), and the writer would wait for all of it. Only
            # where the answers also come back inside the read path (`submit_now`: the writer
            # process, and Redis since its answers are read by a thread): answered only after the
            # turn, leaving early would only cut each connection's submissions small and fill its
            # SUBMISSIONS_IN_FLIGHT with a frame or two each (the scaled shape, when its answers
            # came through an asyncio task, stored 12,300–14,500 fixes/s instead of 17,400–18,000).
            self._flush()
        elif not self._flush_scheduled:
            self._flush_scheduled = True
            assert self._loop is not None
            self._loop.call_soon(self._flush)

    def take_answers(self, reading: Connection) -> bool:
        """Answer what the writer has stored meanwhile (called from the read callbacks); True when
        that closed the connection reading (a failed submission of its own): what it just read
        is dropped, as the bytes a closed connection would not have read."""
        answers = self._answers
        if answers is not None and answers.items:
            answers.run()
            transport = reading.transport
            return transport is None or transport.is_closing()
        return False

    def _flush(self) -> None:
        """Everything decoded in this turn, cut into submissions of about SUBMISSION_REPORTS reports
        (the writer joins submissions into its batches; one huge submission would hold every
        connection in it until the whole of it is stored)."""
        self._flush_scheduled = False
        batch, self._pending = self._pending, []
        self._pending_reports = 0
        self._flushing = True
        try:
            self._flush_batch(batch)
        finally:
            self._flushing = False

    def _flush_batch(self, batch: list[tuple[Connection, Submission]]) -> None:
        chunk: list[tuple[Connection, Submission, int]] = []
        reports: list[GatewayReport] = []
        owners: list[Connection] = []  # each report's connection
        for connection, submission in batch:
            before = len(reports)
            for _frame, frame_reports in submission.pending:
                reports += frame_reports
            count = len(reports) - before
            if not count:  # nothing to store (e.g. a terminal's acknowledgement)
                connection.stored(submission, [])
                continue
            chunk.append((connection, submission, count))
            owners += [connection] * count
            if len(reports) >= SUBMISSION_REPORTS:
                self._start_store(chunk, reports, owners)
                chunk, reports, owners = [], [], []
        if chunk:
            self._start_store(chunk, reports, owners)

    def _start_store(
        self, chunk: list[tuple[Connection, Submission, int]], reports: list[GatewayReport], owners: list[Connection]
    ) -> None:
        self.counters.submissions += 1
        self.counters.reports += len(reports)
        self.in_flight_reports += len(reports)
        if self.in_flight_reports > self.max_in_flight and not self.overloaded:
            self._set_overloaded(True)

        def wanted() -> list[bool]:
            # Asked by the ingestor just before the reports go to the writer: a device that gave
            # up (closed its connection) gets no answer, so nothing of it may be stored.
            return [not owner.lost for owner in owners]

        if self._submit_now is not None:

            def answered(outcomes: list[Outcome] | None, error: BaseException | None) -> None:
                self._answering -= 1
                self._stored(chunk, reports, outcomes, error)

            if self._submit_now(reports, wanted=wanted, answer=Answer(answered)):
                self._answering += 1
                return
        assert self._loop is not None
        task = self._loop.create_task(self._store(chunk, reports, wanted))
        self._stores.add(task)
        task.add_done_callback(self._stores.discard)

    async def _store(
        self,
        batch: list[tuple[Connection, Submission, int]],
        reports: list[GatewayReport],
        wanted: Callable[[], list[bool]],
    ) -> None:
        try:
            # Packed reports only where the ingestor takes them (`takes_packed`).
            outcomes = await self.ingestor.submit(cast("list[Report]", reports), wanted=wanted)
        except Exception as error:
            self._stored(batch, reports, None, error)
            return
        self._stored(batch, reports, outcomes, None)

    def _stored(
        self,
        batch: list[tuple[Connection, Submission, int]],
        reports: list[GatewayReport],
        outcomes: list[Outcome] | None,
        error: BaseException | None,
    ) -> None:
        self.in_flight_reports -= len(reports)
        if self.overloaded and self.in_flight_reports <= self.max_in_flight // 2:
            self._set_overloaded(False)
        if outcomes is None:
            # Nothing was stored, so nothing is acknowledged: close and let the devices send again
            # (whatever else of theirs is in flight gets no answer either: see Connection.failed).
            logger.error(
                "Storing %d reports failed; closing their %d connections",
                len(reports),
                len(batch),
                exc_info=error,
            )
            for connection, _submission, _count in batch:
                connection.failed()
            return
        index = 0
        for connection, submission, count in batch:
            connection.stored(submission, outcomes[index : index + count])
            index += count

    # -- back-pressure ------------------------------------------------------------------------

    def _set_overloaded(self, overloaded: bool) -> None:
        """The writer is behind (more than MAX_IN_FLIGHT_REPORTS submitted and not yet stored):
        stop reading from every connection, new ones included, until half of that is stored.
        The devices' data then waits in their TCP buffers and in the devices, not in this
        process, and nothing is decoded that the writer cannot store soon."""
        self.overloaded = overloaded
        if overloaded:
            self.counters.overloads += 1
        for connection in list(self.connections):
            connection._update_reading()
            if not overloaded:
                connection._submit_backlog()

    # -- idle connections ----------------------------------------------------------------------

    def _sweep_interval(self) -> float:
        return max(0.05, min(SWEEP_SECONDS_MAX, self.idle_seconds / 4, self.handshake_seconds / 4))

    def _sweep(self) -> None:
        assert self._loop is not None
        now = time.monotonic()
        idle_limit = now - self.idle_seconds
        handshake_limit = now - self.handshake_seconds
        for connection in list(self.connections):
            if connection.in_flight:
                continue
            if not connection.proven and connection.opened_at < handshake_limit:
                self.counters.closed_unproven += 1
                connection.abort()
            elif connection.last_activity < idle_limit:
                connection.close()
        self._sweeper = self._loop.call_later(self._sweep_interval(), self._sweep)

    # -- connection caps ---------------------------------------------------------------------

    def admit(self, connection: Connection, address: str) -> bool:
        """Whether a new connection may stay: under the total cap, and under the caps of
        connections that have not yet carried a registered device's frame."""
        if (
            len(self.connections) >= self.max_connections
            or self.unproven_total >= self.max_unproven
            or self.unproven.get(address, 0) >= self.max_unproven_per_address
        ):
            self.counters.refused_connections += 1
            return False
        self.unproven[address] = self.unproven.get(address, 0) + 1
        self.unproven_total += 1
        return True

    def release_unproven(self, address: str) -> None:
        left = self.unproven.get(address, 0) - 1
        if left > 0:
            self.unproven[address] = left
        else:
            self.unproven.pop(address, None)
        self.unproven_total -= 1


class Connection(asyncio.Protocol):
    """What every device connection shares: submissions in order, replies after storage, flow control."""

    protocol = ""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.transport: asyncio.Transport | None = None
        self.peer = ""
        self.submissions: collections.deque[Submission] = collections.deque()  # in flight, in frame order
        self.backlog: Pending = []
        self._unread = bytearray()  # read from the socket, not decoded yet (see data_received)
        self.last_activity = 0.0
        self.opened_at = 0.0
        self.address = ""
        self.proven = False  # a registered device's frame was stored from this connection
        self.admitted = False
        self.lost = False
        self.bad_frames = 0
        self.unknown_frames = 0
        self._paused_for_backlog = False
        self._paused_for_writes = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not derive from it
        self.peer = _peer(transport)
        self.address = self.peer.rsplit(":", 1)[0]
        self.opened_at = self.last_activity = time.monotonic()
        if not self.gateway.admit(self, self.address):
            self.transport.abort()
            return
        self.admitted = True
        self.gateway.connections.add(self)
        self.gateway.counters.connections += 1
        self.gateway.counters.open_connections += 1
        if self.gateway.overloaded:
            self._update_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self in self.gateway.connections:
            self.gateway.connections.discard(self)
            self.gateway.counters.open_connections -= 1
        if self.admitted and not self.proven:
            self.gateway.release_unproven(self.address)
        self.admitted = False
        self.backlog = []
        self._unread.clear()

    @property
    def in_flight(self) -> bool:
        return bool(self.submissions)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def abort(self) -> None:
        """Close without flushing what is buffered for a peer that may not be reading."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()

    def _prove(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.known and not outcome.refused:
                if not self.proven and self.admitted:
                    self.proven = True
                    self.gateway.release_unproven(self.address)
                return
        if outcomes:
            self.unknown_frames += len(outcomes)
            if self.unknown_frames >= self.gateway.max_unknown_frames and not self.proven:
                self.gateway.counters.closed_hostile += 1
                self.abort()

    def accept(self, pending: Pending) -> None:
        """Decoded frames with their reports: submit now, or once a submission in flight is answered."""
        if self.backlog:
            self.backlog.extend(pending)
            pending, self.backlog = self.backlog, []
        if not self.submissions or self._may_submit():
            self._submit(pending)  # what is past SUBMISSION_FRAMES (or a barrier) stays in the backlog
            while self.backlog and self._may_submit():
                pending, self.backlog = self.backlog, []
                self._submit(pending)
        else:
            self.backlog = pending
        if len(self.backlog) >= BACKLOG_FRAMES and not self._paused_for_backlog:
            self._paused_for_backlog = True
            self._update_reading()

    def _decode_unread(self) -> None:
        """Decode what was read and not decoded yet, as the backlog allows (framed protocols)."""

    def _may_submit(self) -> bool:
        submissions = self.submissions
        if not submissions:
            return True
        # A second submission only while the writer keeps up (past the gateway's bound, what is
        # decoded waits here, counted in the backlog), and never past a barrier in flight.
        return len(submissions) < SUBMISSIONS_IN_FLIGHT and not submissions[-1].barrier and not self.gateway.overloaded

    def _submit(self, pending: Pending) -> None:
        # Frames after a barrier (JT/T 808 authentication) wait until it is answered: whether
        # they are accepted depends on that answer. So do frames after one whose answer closes
        # the connection (an HTTP refusal): they would be stored and never answered.
        # At most SUBMISSION_FRAMES at a time: one read can hold thousands of frames (the kernel
        # buffers what a device sent while reading was paused), and submitted whole they went past
        # the gateway's bound on reports in flight by orders of magnitude: in the scaled shape a
        # connection's single submission of 1,000 reports waited behind a million others, for
        # longer than the gateway waits for its answer.
        if len(pending) > SUBMISSION_FRAMES:
            self.backlog[:0] = pending[SUBMISSION_FRAMES:]
            pending = pending[:SUBMISSION_FRAMES]
        if len(pending) == 1:  # the usual case
            frame = pending[0][0]
            barrier = frame.barrier or frame.close
        else:
            barrier = False
            for index, (frame, _reports) in enumerate(pending):
                if frame.barrier or frame.close:
                    barrier = True
                    if index + 1 < len(pending):
                        self.backlog[:0] = pending[index + 1 :]
                        pending = pending[: index + 1]
                    break
        submission = Submission(pending, barrier)
        self.submissions.append(submission)
        self.prepare(pending)
        self.gateway.submit(self, submission)

    def _submit_backlog(self) -> None:
        """Submit what waited, as far as the limits allow; read again once the backlog is short."""
        while self.backlog and self._may_submit() and not self.lost:
            backlog, self.backlog = self.backlog, []
            self._submit(backlog)
        if self._unread:
            self._decode_unread()
        if self._paused_for_backlog and len(self.backlog) < BACKLOG_FRAMES and not self._unread:
            self._paused_for_backlog = False
            self._update_reading()

    def prepare(self, pending: Pending) -> None:
        """Last look at the reports before they go (JT/T 808: stamp the authentication)."""

    def stored(self, submission: Submission, outcomes: list[Outcome]) -> None:
        """A submission is stored: answer it and every stored one after it, in the order they
        were submitted (an earlier one still in flight holds the later ones' answers back),
        then submit what waited meanwhile."""
        submission.outcomes = outcomes
        submissions = self.submissions
        while submissions and submissions[0].outcomes is not None:
            done = submissions.popleft()
            transport = self.transport
            if transport is None or transport.is_closing():
                submissions.clear()
                return
            if not self._answer(transport, done.pending, done.outcomes or []):
                submissions.clear()
                return
        if self.backlog or self._unread or self._paused_for_backlog:
            self._submit_backlog()

    def failed(self) -> None:
        """A submission of this connection was not stored: close without answering it or any
        other in flight (an answer for a later frame would tell the device the earlier one was
        stored too). The device sends them again; what of them was stored meanwhile is
        recognised as a duplicate."""
        self.submissions.clear()
        self.backlog = []
        self._unread.clear()
        self.close()

    def _answer(self, transport: asyncio.Transport, pending: Pending, outcomes: list[Outcome]) -> bool:
        """Write the replies of one stored submission; False when the connection is to close."""
        self._prove(outcomes)
        if transport.is_closing():  # refused as hostile
            return False
        if len(pending) == 1:  # the usual submission: one frame, and all the outcomes are its own
            frame = pending[0][0]
            answer = frame.reply(outcomes)
            if answer:
                transport.write(answer)
            if frame.close:
                transport.close()
                return False
            return True
        replies = []
        close = False
        index = 0
        for frame, frame_reports in pending:
            count = len(frame_reports)
            answer = frame.reply(outcomes[index : index + count])
            index += count
            if answer:
                replies.append(answer)
            if frame.close:
                close = True
                break
        if replies:
            transport.write(b"".join(replies) if len(replies) > 1 else replies[0])
        if close:
            transport.close()
            return False
        return True

    # A device that does not read its replies must not make the gateway buffer without end.
    def pause_writing(self) -> None:
        self._paused_for_writes = True
        self._update_reading()

    def resume_writing(self) -> None:
        self._paused_for_writes = False
        self._update_reading()

    def _update_reading(self) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self._paused_for_backlog or self._paused_for_writes or self.gateway.overloaded:
            if transport.is_reading():
                transport.pause_reading()
        elif not transport.is_reading():
            transport.resume_reading()

    def bad_frame(self, error: FrameError) -> None:
        self.gateway.counters.bad_frames += 1
        self.gateway.bad_frames.record(self.protocol, self.peer, error)
        self.bad_frames += 1
        if self.bad_frames >= self.gateway.max_bad_frames and not self.proven:
            self.gateway.counters.closed_hostile += 1
            self.abort()


class DeviceConnection(Connection):
    """JT/T 808, GT06 or the watch protocol over TCP."""

    def __init__(self, gateway: Gateway, session_class: type[Session]) -> None:
        super().__init__(gateway)
        self.session_class = session_class
        self.protocol = session_class.protocol
        self.session: Session | None = None
        self._decode_packed: Callable[[bytes, int, float], tuple[DecodedFrame, list[GatewayReport]] | None] | None = (
            None
        )
        # Only JT/T 808 looks at the reports before they go (its authentication).
        self._prepares = session_class.prepare is not Session.prepare

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.session = session = self.session_class(self.peer, self.gateway.max_frame_bytes)
        if self.gateway.takes_packed and self.session_class.decode_packed is not Session.decode_packed:
            self._decode_packed = session.decode_packed

    def prepare(self, pending: Pending) -> None:
        if not self._prepares:
            return
        assert self.session is not None
        if len(pending) == 1:
            self.session.prepare(pending[0][1])
        else:
            self.session.prepare([report for _frame, reports in pending for report in reports])

    def data_received(self, data: bytes) -> None:
        # Decoded only while fewer than BACKLOG_FRAMES frames wait in the connection: one read can
        # bring up to 256 KiB (thousands of frames the device sent while reading was paused), and
        # decoding them all at once stamped each with a receive time and queued it here, behind the
        # writer, for tens of seconds; it also held the event loop for as long. What is not decoded
        # stays as bytes, reading is paused, and it is decoded a slice at a time as the backlog drains.
        self.last_activity = time.monotonic()
        if self.gateway.take_answers(self):
            return
        if not self._unread and len(data) <= READ_SLICE_BYTES and len(self.backlog) < BACKLOG_FRAMES:
            self._decode(data)  # the usual case: a frame or a few
            return
        self._unread += data
        self._decode_unread()

    def _decode_unread(self) -> None:
        unread = self._unread
        while unread and len(self.backlog) < BACKLOG_FRAMES and not self.lost:
            chunk = bytes(unread[:READ_SLICE_BYTES])
            del unread[:READ_SLICE_BYTES]
            self._decode(chunk)
        if unread and not self._paused_for_backlog and not self.lost:
            self._paused_for_backlog = True
            self._update_reading()

    def _decode(self, data: bytes) -> None:
        # Received, for the timings, when decoded: bytes not decoded yet wait as they would in the socket.
        now_monotonic = time.monotonic()
        session = self.session
        assert session is not None
        items = session.frames(data)
        if not items:
            return
        # One receive time for the read, in integer microseconds (a datetime only when a frame
        # needs the general decoder).
        received_us = time.time_ns() // 1000
        received_at: dt.datetime | None = None
        decode_packed = self._decode_packed
        pending: Pending = []
        for item in items:
            if type(item) is not bytes:
                assert isinstance(item, FrameError)
                self.bad_frame(item)
                continue
            try:
                entry = decode_packed(item, received_us, now_monotonic) if decode_packed is not None else None
                if entry is None:
                    frame = session.decode(item)
                    if received_at is None:
                        received_at = _EPOCH + received_us * _MICROSECOND
                    entry = (frame, session.reports(frame.messages, received_at, now_monotonic))
            except FrameError as error:
                self.bad_frame(error)
                continue
            except Exception as error:  # a decoder bug must not take the connection down
                self.bad_frame(FrameError(f"decoder failure: {type(error).__name__}: {error}", item))
                continue
            pending.append(entry)
        if pending:
            self.gateway.counters.frames += len(pending)
            self.accept(pending)


class HttpConnection(Connection):
    """OsmAnd over HTTP/1.1 (keep-alive and pipelined requests answered in order)."""

    protocol = "osmand"

    def __init__(self, gateway: Gateway) -> None:
        super().__init__(gateway)
        self.reader = HttpRequestReader()

    def data_received(self, data: bytes) -> None:
        self.last_activity = time.monotonic()
        if self.gateway.take_answers(self):
            return
        pending = self.reader.feed(data, self)
        if pending:
            self.gateway.counters.frames += sum(1 for _frame, reports in pending if reports)
            self.accept(pending)


def _peer(transport: asyncio.BaseTransport) -> str:
    address = transport.get_extra_info("peername")
    return f"{address[0]}:{address[1]}" if isinstance(address, tuple) else str(address)
