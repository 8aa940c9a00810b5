"""The embedded shape on two cores: the ingest writer in a child process of its own.

At full load the gateway's event loop (reading, decoding, answering devices) and the writer
(storing, evaluating fences, raising alerts) each keep most of a core busy. In one process they
share one interpreter lock, so together they get one core. `ProcessIngestor` runs the writer in
a child process instead: a fresh interpreter (`spawn`) that sets Django up on the same settings
and database and takes batches over a pipe.

What stays as in the one-process writer:
- `submit` returns only after the child has committed the batch: nothing is acknowledged to a
  device before it is stored;
- one writer for the database (SQLite has one writer);
- live events (alerts, positions) reach the command-center pages of this process: the child
  relays what it publishes, and this process hands it to its own subscribers;
- a device, binding or fence changed on a page takes effect at once: this process's directory
  invalidations are sent to the child.

If the child dies, the batches it held fail (their connections close and the devices send
again), and the next batch starts a new child.

This module imports nothing of Django at load time: the child imports it before Django is set up.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from .handoff import Answer, deliver, pack_outcomes, pack_reports, unpack_outcomes, unpack_reports

if TYPE_CHECKING:
    from .processing import Outcome, Report

logger = logging.getLogger("zhengtu.monitoring.ingest")

START_SECONDS = 120
_INVALIDATE = ("invalidate",)
_OFFLINE = ("offline",)  # the minute job's offline detection, handed to the writer
# Offline alerts the writer raises between two batches of fixes: one transaction (and one live
# event per office) each, short enough that a fence or SOS alert queued behind it waits little.
WRITER_OFFLINE_CHUNK = 100
_local_writer: ProcessIngestor | None = None


# The collector, in the gateway's and the writer's processes. Each holds a few hundred thousand
# long-lived objects (Django, the apps, thousands of connections or devices) and allocates a few
# short-lived ones per fix; with the default thresholds (a young collection every 700
# allocations) the collections that reach the old generations walked all of them again and again:
# about a quarter of the gateway's CPU per fix in the benchmark. What is loaded at start-up is
# frozen (never walked again) and young collections run every YOUNG_COLLECTION_ALLOCATIONS.
YOUNG_COLLECTION_ALLOCATIONS = 20_000


def tune_collector() -> None:
    """After start-up: freeze what is loaded, collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_ALLOCATIONS, middle, old)


def hand_to_writer(job: str) -> bool:
    """In the process whose gateway runs a writer child: give it `job` ("offline": raise the
    offline alerts due now), to run between its batches. SQLite has one writer, so a storm of
    thousands of offline alerts raised by a job in the web process would hold the write lock
    the fixes (and their fence and SOS alerts) wait on, and the web process's interpreter lock
    the live pages wait on. False when there is no such writer here: the caller runs the job."""
    writer = _local_writer
    if job != "offline" or writer is None or writer._broken or writer._process is None:
        return False
    writer._outbox.put(_OFFLINE)
    return True


# Asked just before reports go to the writer: which of them are still wanted (their device has
# not closed its connection). None: all are.
Wanted = Callable[[], list[bool]] | None
_Item = tuple[list["Report"], "asyncio.Future[list[Outcome]]", asyncio.AbstractEventLoop, Wanted]
# A submission handed to the writer: how many of its reports went, and the mask of those that went.
_Sent = tuple[int, "asyncio.Future[list[Outcome]]", asyncio.AbstractEventLoop, list[bool] | None]


def still_wanted(reports: list[Report], wanted: Wanted) -> tuple[list[Report], list[bool] | None]:
    """The reports whose devices are still connected, and the mask (None when all are)."""
    if wanted is None:
        return reports, None
    mask = wanted()
    if all(mask):
        return reports, None
    return [report for report, keep in zip(reports, mask, strict=True) if keep], mask


def expand(outcomes: list[Outcome], mask: list[bool] | None) -> list[Outcome]:
    """Outcomes of the reports that went, spread over the whole submission (the others: not stored)."""
    if mask is None:
        return outcomes
    from .processing import Outcome

    stored = iter(outcomes)
    return [next(stored) if keep else Outcome(known=False) for keep in mask]


# -- the hand-off between the gateway and the writer process ----------------------------------
#
# Reports and outcomes cross the pipe as packed bytes (handoff.py): pickling a tuple per report
# and per fix cost the gateway about a third of its CPU at saturation, and rebuilding them about
# a fifth of the writer's. (Before that, pickled slotted dataclasses cost 62 µs to pickle and over
# 100 µs to unpickle a report.)


class WriterProcessError(RuntimeError):
    pass


# The pipes to and from the writer. Linux's default of 64 KiB holds about 450 packed reports:
# past that the gateway's sender thread blocked until the writer, busy with a batch, came back
# to read, so submissions queued up in the gateway instead of travelling while the writer
# worked. 1 MiB (the default limit for an unprivileged process) holds a few thousand, which is
# about what MAX_IN_FLIGHT_REPORTS lets be in flight anyway.
PIPE_BYTES = 1 << 20
# Below this many reports the writer waits up to BATCH_WAIT_MS for more before it stores them.
SMALL_BATCH_REPORTS = 100


def _widen(end: Connection) -> None:
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setpipe is None:
        return
    with contextlib.suppress(OSError):  # not a pipe here, or over the system's limit: the default stays
        fcntl.fcntl(end.fileno(), setpipe, PIPE_BYTES)


def shareable(database: dict[str, Any]) -> bool:
    """Whether a second process can open this database (an in-memory SQLite database cannot)."""
    if database.get("ENGINE", "").endswith("sqlite3"):
        name = str(database.get("NAME", ""))
        return not (name == ":memory:" or "mode=memory" in name or name == "")
    return True


def child_settings(database: dict[str, Any] | None = None) -> dict[str, Any]:
    """The settings the child must share with this process: the database, the keys (encrypted
    fields read the same), and every Zhengtu setting (rules a site or a test overrides)."""
    from django.conf import settings
    from django.db import connection

    values = {name: getattr(settings, name) for name in dir(settings) if name.startswith("ZHENGTU_")}
    values["SECRET_KEY"] = settings.SECRET_KEY
    values["TIME_ZONE"] = settings.TIME_ZONE
    values["DATABASES"] = {"default": dict(database or connection.settings_dict)}
    return values


class ProcessIngestor:
    """Gateway side: hands batches to the writer process and awaits their commit."""

    # The gateway may hand over reports already packed (handoff.PackedReport): they cross the
    # pipe in that form anyway.
    takes_packed = True

    def __init__(self, database: dict[str, Any] | None = None) -> None:
        self._database = database
        self._outbox: queue.SimpleQueue[_Item | tuple[str] | None] = queue.SimpleQueue()
        self._pending: dict[int, list[_Sent]] = {}
        self._lock = threading.Lock()
        self._process: Any = None
        self._to_child: Connection | None = None
        self._from_child: Connection | None = None
        self._threads: list[threading.Thread] = []
        self._remove_listener: Any = None
        self._restarting: asyncio.Lock | None = None
        self._broken = False
        self.pid: int | None = None
        self.batches = 0
        self.reports = 0
        self.fixes_stored = 0
        self.fixes_evaluated = 0
        self.dropped = 0  # reports not stored: their device had closed its connection

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._process is not None:
            return
        settings = child_settings(self._database)
        if not shareable(settings["DATABASES"]["default"]):
            raise WriterProcessError(
                "An in-memory SQLite database cannot be shared with a writer process; "
                'set ZHENGTU_MONITORING_INGEST_TRANSPORT = "memory".'
            )
        await asyncio.to_thread(self._spawn, settings)
        from . import directory

        # A change by id goes to the child as such (it re-reads only that); `None`: reload whole.
        self._remove_listener = directory.on_change(
            lambda changes: self._outbox.put(_INVALIDATE if changes is None else ("changes", changes))  # type: ignore[arg-type]
        )

    async def stop(self) -> None:
        global _local_writer
        if _local_writer is self:
            _local_writer = None
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None
        if self._process is not None:
            self._outbox.put(None)
            await asyncio.to_thread(self._join)

    def _spawn(self, settings: dict[str, Any]) -> None:
        context = multiprocessing.get_context("spawn")
        child_inbox, to_child = context.Pipe(duplex=False)
        from_child, child_outbox = context.Pipe(duplex=False)
        _widen(to_child)
        _widen(child_outbox)
        process = context.Process(
            target=writer_main, args=(child_inbox, child_outbox, settings), name="monitoring-ingest-writer", daemon=True
        )
        process.start()
        child_inbox.close()
        child_outbox.close()
        try:
            if not from_child.poll(START_SECONDS):
                raise WriterProcessError("The ingest writer process did not start in time")
            kind, pid = from_child.recv()
        except (EOFError, OSError, WriterProcessError) as error:
            process.terminate()
            process.join(5)
            raise WriterProcessError(f"The ingest writer process did not start: {error}") from error
        self._process, self._to_child, self._from_child, self.pid = process, to_child, from_child, pid
        self._broken = False
        global _local_writer
        _local_writer = self
        self._threads = [
            threading.Thread(target=self._send_loop, args=(self._outbox, to_child), name="ingest-sender", daemon=True),
            threading.Thread(target=self._read_loop, args=(from_child,), name="ingest-receiver", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        logger.info("Ingest writer process %s started", pid)

    def _join(self) -> None:
        sender, receiver = self._threads
        sender.join(30)
        self._process.join(30)
        if self._process.is_alive():
            logger.error("The ingest writer process did not stop; terminating it")
            self._process.terminate()
            self._process.join(5)
        receiver.join(5)
        for end in (self._to_child, self._from_child):
            if end is not None:
                end.close()
        self._process = self._to_child = self._from_child = None

    async def _restart(self) -> None:
        if self._restarting is None:
            self._restarting = asyncio.Lock()
        async with self._restarting:
            if not self._broken:
                return
            logger.error("The ingest writer process ended unexpectedly; starting a new one")
            self._outbox.put(None)
            await asyncio.to_thread(self._join)
            await asyncio.to_thread(self._spawn, child_settings(self._database))

    # -- batches ---------------------------------------------------------------------------------

    async def submit(self, reports: list[Report], *, wanted: Wanted = None) -> list[Outcome]:
        if self._broken:
            await self._restart()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[Outcome]] = loop.create_future()
        self._outbox.put((reports, future, loop, wanted))
        return await future

    def submit_now(self, reports: list[Report], *, wanted: Wanted, answer: Answer) -> bool:
        """On the event loop: hand the reports over and return; `answer` is called on this loop
        when they are stored (or not). False when the writer must be restarted first (use `submit`)."""
        if self._broken:
            return False
        self._outbox.put((reports, answer, asyncio.get_running_loop(), wanted))  # type: ignore[arg-type]
        return True

    def _send_loop(self, outbox: queue.SimpleQueue[_Item | tuple[str] | None], to_child: Connection) -> None:
        """Everything queued since the last send goes as one message (the child merges what is
        waiting in its pipe into one transaction). The pipe holds PIPE_BYTES, so this thread
        hands the next submissions over while the child stores the previous ones."""
        from .live import bus
        from .rules import rule

        limit = int(rule("BATCH_MAX"))
        batch_id = 0
        while True:
            first = outbox.get()
            items: list[_Item] = []
            stopping = invalidate = offline = False
            entry: _Item | tuple[str] | None = first
            count = 0
            while True:
                if entry is None:
                    stopping = True
                    break
                if entry == _INVALIDATE:
                    invalidate = True
                elif entry[0] == "changes":
                    with contextlib.suppress(OSError):  # a dead child: the next one loads whole anyway
                        to_child.send(entry)
                elif entry == _OFFLINE:
                    offline = True
                else:
                    items.append(entry)  # type: ignore[arg-type]
                    count += len(entry[0])
                if count >= limit:
                    break
                try:
                    entry = outbox.get_nowait()
                except queue.Empty:
                    break
            sent: list[_Sent] = []
            reports: list[Report] = []
            for batch, future, loop, wanted in items:
                going, mask = still_wanted(batch, wanted)
                self.dropped += len(batch) - len(going)
                if going:
                    sent.append((len(going), future, loop, mask))
                    reports.extend(going)
                else:  # the device is gone: nothing to store, nobody to answer
                    deliver(loop, resolve_all, [(future, expand([], mask))])
            try:
                if invalidate:
                    to_child.send(_INVALIDATE)
                if sent:
                    batch_id += 1
                    with self._lock:
                        self._pending[batch_id] = sent
                    to_child.send(("batch", batch_id, len(reports), pack_reports(reports), bus.has_local_subscribers))
                if offline:  # after the batch: fixes first
                    to_child.send(_OFFLINE)
                if stopping:
                    to_child.send(None)
                    return
            except (OSError, ValueError) as error:  # the child is gone; the receiver fails what it held
                logger.error("Could not hand a batch to the ingest writer process: %s", error)
                if sent:
                    self._fail([batch_id], WriterProcessError(str(error)))
                if stopping:
                    return

    def _read_loop(self, from_child: Connection) -> None:
        from .live import bus

        while True:
            try:
                message = from_child.recv()
            except (EOFError, OSError):
                break
            if message[0] == "done":
                _kind, results, events, stored, evaluated = message
                self.fixes_stored, self.fixes_evaluated = stored, evaluated
                if events:
                    bus.deliver_local(events)
                self._resolve(results)
            elif message[0] == "failed":
                _kind, batch_ids, reason = message
                self._fail(batch_ids, WriterProcessError(reason))
        with self._lock:
            held = list(self._pending)
        if held:
            self._fail(held, WriterProcessError("The ingest writer process ended"))
        self._broken = True

    def _resolve(self, results: list[tuple[int, Any]]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[list[Outcome]], list[Outcome]]]] = {}
        for batch_id, packed in results:
            outcomes = unpack_outcomes(packed)
            with self._lock:
                items = self._pending.pop(batch_id, [])
            self.batches += 1
            self.reports += len(outcomes)
            index = 0
            for count, future, loop, mask in items:
                by_loop.setdefault(loop, []).append((future, expand(outcomes[index : index + count], mask)))
                index += count
        for loop, resolved in by_loop.items():
            deliver(loop, resolve_all, resolved)

    def _fail(self, batch_ids: list[int], error: BaseException) -> None:
        for batch_id in batch_ids:
            with self._lock:
                items = self._pending.pop(batch_id, [])
            for _count, future, loop, _mask in items:
                deliver(loop, fail_future, future, error)


# -- the child process -------------------------------------------------------------------------


def writer_main(inbox: Connection, outbox: Connection, settings_values: dict[str, Any]) -> None:
    """Entry point of the writer process: one thread, reading the pipe between batches (a second
    thread reading it would wait for the interpreter lock behind every batch)."""
    import django
    from django.conf import settings

    for name, value in settings_values.items():
        setattr(settings, name, value)
    django.setup()

    from . import directory
    from .ingest import keep_connection_usable, writer_session
    from .live import bus
    from .processing import BatchProcessor, warm_up
    from .rules import rule

    warm_up()
    processor = BatchProcessor()
    tune_collector()
    relayed: list[dict[str, Any]] = []
    bus.relay_to(relayed.extend)
    limit = int(rule("BATCH_MAX"))
    wait = float(rule("BATCH_WAIT_MS")) / 1000
    outbox.send(("ready", os.getpid()))
    offline = OfflineWork()
    with writer_session(), contextlib.closing(outbox):
        while True:
            if offline.pending and not inbox.poll(0):
                # Nothing waiting to be stored: plan the offline storm, or raise one chunk of it,
                # then look again.
                keep_connection_usable()
                offline.step()
                events = relayed[:]
                relayed.clear()
                if events:
                    outbox.send(("done", [], events, processor.fixes_stored, processor.fixes_evaluated))
                continue
            message = _receive(inbox, None)
            batches: list[tuple[str, int, int, Any, bool]] = []
            count = 0
            stopping = False
            deadline = time.monotonic() + wait
            while True:  # merge what is already waiting in the pipe, up to BATCH_MAX reports
                if message is None:
                    stopping = True
                    break
                if message == _INVALIDATE:
                    directory.invalidate()
                elif message[0] == "changes":
                    directory.invalidate(message[1])
                elif message == _OFFLINE:
                    offline.wanted = True  # planned when no fixes wait, not before this batch
                else:
                    batches.append(message)
                    count += message[2]
                if count >= limit:
                    break
                # A batch of some size starts at once: while it is stored the gateway keeps
                # sending, so the next batch is whatever arrived meanwhile (its size follows the
                # load). Waiting BATCH_WAIT_MS to fill every batch left the writer idle at
                # saturation while the gateway waited for its answers. Only a small batch waits
                # (up to BATCH_WAIT_MS) for more: a transaction's fixed cost spread over a
                # handful of fixes doubled the writer's CPU per fix at low rates.
                if not inbox.poll(max(0.0, deadline - time.monotonic()) if count < SMALL_BATCH_REPORTS else 0):
                    break
                message = _receive(inbox, None)
            if batches:
                bus.relay_wanted = any(live for _kind, _id, _count, _reports, live in batches)
                keep_connection_usable()
                reports = [report for _kind, _id, _count, packed, _live in batches for report in unpack_reports(packed)]
                try:
                    outcomes = processor.process(reports)
                except Exception as error:  # noqa: BLE001 - reported to every waiting connection
                    logging.getLogger("zhengtu.monitoring.ingest").exception("Ingest batch failed")
                    outbox.send(("failed", [batch_id for _kind, batch_id, _c, _r, _l in batches], str(error)))
                    relayed.clear()
                else:
                    results = []
                    index = 0
                    for _kind, batch_id, count, _packed, _live in batches:
                        results.append((batch_id, pack_outcomes(outcomes[index : index + count])))
                        index += count
                    events = relayed[:]
                    relayed.clear()
                    outbox.send(("done", results, events, processor.fixes_stored, processor.fixes_evaluated))
            if stopping:
                return


class OfflineWork:
    """The minute job's offline detection in the writer process: planned, then raised one chunk
    at a time, whenever no fixes are waiting (fixes, and their fence and SOS alerts, first)."""

    def __init__(self) -> None:
        self.chunks: collections.deque[Any] = collections.deque()
        self.now: Any = None
        self.raised = 0
        self.wanted = False  # the minute job asked; planned at the next pause between batches

    @property
    def pending(self) -> bool:
        return self.wanted or bool(self.chunks)

    def step(self) -> None:
        if self.wanted:
            self.wanted = False
            self.plan()
        elif self.chunks:
            self.raise_next()

    def plan(self) -> None:
        if self.chunks:
            return  # the last minute's storm is still being raised
        from django.utils import timezone

        from .alerts import plan_offline
        from .ingest import keep_connection_usable

        keep_connection_usable()
        try:
            self.now = timezone.now()
            self.chunks.extend(plan_offline(now=self.now, chunk=WRITER_OFFLINE_CHUNK))
        except Exception:  # noqa: BLE001 - the next minute's job plans again
            logging.getLogger("zhengtu.monitoring.ingest").exception("Planning offline alerts failed")

    def raise_next(self) -> None:
        from .alerts import raise_offline_chunk

        office_id, items = self.chunks.popleft()
        try:
            self.raised += raise_offline_chunk(office_id, items, self.now)
        except Exception:  # noqa: BLE001 - the next minute's job finds these devices again
            logging.getLogger("zhengtu.monitoring.ingest").exception("Raising offline alerts failed")


def _receive(inbox: Connection, default: Any) -> Any:
    try:
        return inbox.recv()
    except (EOFError, OSError):
        return default


def resolve_all(results: list[tuple[asyncio.Future[list[Outcome]] | Answer, list[Outcome]]]) -> None:
    """On the submitting event loop: hand each waiting submission its outcomes."""
    for future, outcomes in results:
        if not future.done():
            future.set_result(outcomes)


def fail_future(future: asyncio.Future[list[Outcome]] | Answer, error: BaseException) -> None:
    """On the submitting event loop: the submission was not stored."""
    if not future.done():
        future.set_exception(error)
