"""How the gateway hands decoded reports to storage, in both shapes of deployment.

- Embedded: ONE writer stores each batch in one transaction (SQLite has one writer), and
  `submit` returns only after the batch is committed, so the gateway never acknowledges a device
  before its data is stored. By default the writer is a child process (`writer_process.py`, a
  core of its own); `InProcessIngestor` here runs it as a thread of the gateway's process
  (`INGEST_TRANSPORT = "memory"`, and where a second process cannot open the database).
- Scaled (`RedisStreamIngestor`): the gateway appends reports to a Redis stream (append-only
  file on, so an acknowledged report survives a restart) and answers from its own copy of the
  device directory; `manage.py run_ingest` consumes the stream with the same BatchProcessor.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

from .processing import REGISTER_ALREADY, BatchProcessor, Outcome, Report, warm_up
from .protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from .rules import rule
from .writer_process import Wanted, expand, fail_future, resolve_all, still_wanted

logger = logging.getLogger(__name__)


class Ingestor(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def submit(self, reports: list[Report], *, wanted: Wanted = None) -> list[Outcome]: ...


_Item = tuple[list[Report], "asyncio.Future[list[Outcome]]", asyncio.AbstractEventLoop, Wanted]


class InProcessIngestor:
    """One writer thread; callers on any event loop await their batch's commit."""

    def __init__(self, processor: BatchProcessor | None = None) -> None:
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._processor = processor
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.reports = 0
        self.dropped = 0  # reports not stored: their device had closed its connection

    async def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="monitoring-ingest-writer", daemon=True)
            self._thread.start()

    async def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            await asyncio.to_thread(self._thread.join, 30)
            self._thread = None

    async def submit(self, reports: list[Report], *, wanted: Wanted = None) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[Outcome]] = loop.create_future()
        self._queue.put((reports, future, loop, wanted))
        return await future

    def _run(self) -> None:
        warm_up()
        processor = self._processor or BatchProcessor()
        limit = int(rule("BATCH_MAX"))
        wait = float(rule("BATCH_WAIT_MS")) / 1000
        with writer_session():
            while True:
                first = self._queue.get()
                if first is None:
                    return
                items = [first]
                count = len(first[0])
                deadline = time.monotonic() + wait
                stopping = False
                while count < limit:
                    try:
                        remaining = deadline - time.monotonic()
                        item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        stopping = True
                        break
                    items.append(item)
                    count += len(item[0])
                self._handle(processor, items)
                if stopping:
                    return

    def _handle(self, processor: BatchProcessor, items: list[_Item]) -> None:
        sent: list[tuple[int, asyncio.Future[list[Outcome]], asyncio.AbstractEventLoop, list[bool] | None]] = []
        reports: list[Report] = []
        for batch, future, loop, wanted in items:
            going, mask = still_wanted(batch, wanted)
            self.dropped += len(batch) - len(going)
            sent.append((len(going), future, loop, mask))
            reports.extend(going)
        keep_connection_usable()
        try:
            outcomes = processor.process(reports) if reports else []
        except Exception as error:  # noqa: BLE001 - reported to every waiting connection
            logger.exception("Ingest batch failed")
            for _count, future, loop, _mask in sent:
                loop.call_soon_threadsafe(fail_future, future, error)
            return
        self.batches += 1
        self.reports += len(reports)
        index = 0
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[list[Outcome]], list[Outcome]]]] = {}
        for count, future, loop, mask in sent:
            by_loop.setdefault(loop, []).append((future, expand(outcomes[index : index + count], mask)))
            index += count
        for loop, results in by_loop.items():
            loop.call_soon_threadsafe(resolve_all, results)


def keep_connection_usable() -> None:
    """The writer keeps ONE database connection for as long as it works. (`close_old_connections`
    would honour CONN_MAX_AGE, which is 0 in the embedded settings: a new connection for every
    batch, which on PostgreSQL costs a server process start each time.)"""
    if connection.connection is not None and connection.errors_occurred:
        if connection.is_usable():
            connection.errors_occurred = False
        else:
            connection.close()


WAL_CHECKPOINT_SECONDS = 2.0


@contextmanager
def writer_session() -> Iterator[None]:
    """The writer's time on the database (a thread's or a process's): passive WAL checkpoints
    beside it on SQLite, its connection closed at the end."""
    checkpointer = _start_wal_checkpointer()
    try:
        yield
    finally:
        if checkpointer is not None:
            checkpointer.set()
        connection.close()


def _start_wal_checkpointer() -> threading.Event | None:
    """SQLite in WAL mode: a helper thread copies the WAL back into the database (a passive
    checkpoint) every two seconds, outside the writer's commits, so that the checkpoint SQLite
    runs in the writer when the WAL passes 1,000 pages has little left to do.

    The writer keeps its automatic checkpoint: only a checkpoint run between two of its own
    commits lets the WAL start over; with passive checkpoints alone, under continuous ingest the
    WAL would never restart and would grow without bound.
    """
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        row = cursor.fetchone()
        if not row or str(row[0]).lower() != "wal":
            return None
    stop = threading.Event()

    def checkpoint() -> None:
        from django.db import connection as own_connection

        try:
            while not stop.wait(WAL_CHECKPOINT_SECONDS):
                with own_connection.cursor() as cursor:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # noqa: BLE001 - the writer goes on; SQLite checkpoints again at the next start
            logger.exception("WAL checkpoint failed")
        finally:
            own_connection.close()

    threading.Thread(target=checkpoint, name="monitoring-wal-checkpoint", daemon=True).start()
    return stop


# -- the scaled shape: Redis streams -----------------------------------------------------------


def report_to_fields(report: Report) -> dict[str, str]:
    message = report.message
    payload = {
        "p": report.protocol,
        "i": message.identifier,
        "k": message.kind.value,
        "a": sorted(message.alarms),
        "b": message.battery_percent,
        "s": message.carries_status,
        "r": report.received_at.timestamp(),
        "ra": report.remote_address,
        "u": report.authenticated,
        "x": {k: v for k, v in message.extra.items() if k in ("auth_code", "secret_hash")},
        "f": [
            [
                f.time.timestamp(),
                f.latitude,
                f.longitude,
                f.valid,
                f.speed_kmh,
                f.course,
                f.altitude,
                f.satellites,
                f.accuracy,
            ]
            for f in message.fixes
        ],
    }
    return {"report": json.dumps(payload, separators=(",", ":"))}


def report_from_fields(fields: dict[bytes, bytes]) -> Report:
    data: dict[str, Any] = json.loads(fields[b"report"])
    fixes = [
        Fix(dt.datetime.fromtimestamp(f[0], tz=dt.UTC), f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8])
        for f in data["f"]
    ]
    message = DeviceMessage(
        data["i"],
        MessageKind(data["k"]),
        fixes,
        {Alarm(a) for a in data["a"]},
        data["b"],
        bool(data["s"]),
        dict(data.get("x") or {}),
    )
    return Report(
        data["p"],
        message,
        dt.datetime.fromtimestamp(data["r"], tz=dt.UTC),
        remote_address=data["ra"],
        authenticated=bool(data.get("u", True)),
    )


class RedisStreamIngestor:
    """Gateway side of the scaled shape: a report is acknowledged once Redis has it."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or rule("REDIS_URL")
        self.stream = rule("REDIS_STREAM")
        self._client: Any = None
        self._directory_lock = asyncio.Lock()
        self._known: dict[str, DirectoryRow] = {}
        self._known_at = 0.0

    async def start(self) -> None:
        import redis.asyncio as aioredis

        self._client = aioredis.Redis.from_url(self.url)
        await self._client.ping()

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._known_at:  # the directory was read through asgiref's worker thread: close its connection
            from asgiref.sync import sync_to_async
            from django.db import connections

            await sync_to_async(connections.close_all)()

    async def _directory(self) -> dict[str, DirectoryRow]:
        async with self._directory_lock:
            if time.monotonic() - self._known_at > float(rule("CACHE_SECONDS")):
                from asgiref.sync import sync_to_async

                from .models import Device

                rows = await sync_to_async(
                    lambda: list(
                        Device.objects.filter(is_active=True).values_list(
                            "identifier",
                            "protocol",
                            "auth_code",
                            "jt808_auth_optional",
                            "jt808_registered_at",
                            "osmand_secret_hash",
                        )
                    )
                )()
                self._known = {
                    identifier: DirectoryRow(protocol, code, optional, registered is not None, secret)
                    for identifier, protocol, code, optional, registered, secret in rows
                }
                self._known_at = time.monotonic()
        return self._known

    async def submit(self, reports: list[Report], *, wanted: Wanted = None) -> list[Outcome]:
        if wanted is not None and not all(mask := wanted()):  # devices that gave up: nothing of theirs kept
            gone = [Outcome(known=False) for keep in mask if not keep]
            kept = await self.submit([r for r, keep in zip(reports, mask, strict=True) if keep])
            return expand(kept, mask) if kept or not gone else gone
        known = await self._directory()
        outcomes = []
        accepted = []
        for report in reports:
            outcome = gateway_outcome(report, known.get(report.message.identifier))
            outcomes.append(outcome)
            if not outcome.refused:
                accepted.append(report)
        pipe = self._client.pipeline(transaction=False)
        for report in accepted:
            pipe.xadd(self.stream, report_to_fields(report))
        await pipe.execute()
        return outcomes


@dataclass(slots=True)
class DirectoryRow:
    protocol: str
    auth_code: str
    auth_optional: bool
    registered: bool
    secret_hash: str = ""


def gateway_outcome(report: Report, entry: DirectoryRow | None) -> Outcome:
    """The scaled gateway answers from its own copy of the registry, by the writer's rules
    (processing.BatchProcessor): unknown devices, the JT/T 808 handshake, unauthenticated data."""
    if entry is None or entry.protocol != report.protocol:
        return Outcome(known=False)
    message = report.message
    if message.kind is MessageKind.REGISTER:
        if entry.registered:
            return Outcome(known=True, refused=True, registration=REGISTER_ALREADY)
        entry.registered = True
        return Outcome(known=True, auth_code=entry.auth_code)
    if message.kind is MessageKind.LOGIN and report.protocol == "jt808":
        given = str(message.extra.get("auth_code", ""))
        ok = bool(entry.auth_code) and hmac.compare_digest(given.encode(), entry.auth_code.encode())
        return Outcome(known=True, authenticated=True) if ok else Outcome(known=True, refused=True)
    if entry.secret_hash and not hmac.compare_digest(
        str(message.extra.get("secret_hash", "")).encode(), entry.secret_hash.encode()
    ):
        return Outcome(known=True, refused=True)
    if not (report.authenticated or entry.auth_optional):
        return Outcome(known=True, refused=True)
    return Outcome(known=True, stored=len(message.fixes))


def consume_stream(
    *, url: str | None = None, group: str = "ingest", consumer: str = "ingest-1", stop: threading.Event
) -> None:
    """`manage.py run_ingest`: the single writer of the scaled shape, reading the Redis stream."""
    import redis

    client = redis.Redis.from_url(url or rule("REDIS_URL"))
    stream = rule("REDIS_STREAM")
    try:
        client.xgroup_create(stream, group, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise
    warm_up()
    processor = BatchProcessor()
    pending = "0"  # first re-read what this consumer took but never acknowledged
    while not stop.is_set():
        response: Any = client.xreadgroup(group, consumer, {stream: pending}, count=int(rule("BATCH_MAX")), block=1000)
        entries: list[tuple[bytes, dict[bytes, bytes]]] = response[0][1] if response else []
        if pending == "0" and not entries:
            pending = ">"
            continue
        if not entries:
            continue
        reports = [report_from_fields(fields) for _id, fields in entries]
        keep_connection_usable()
        processor.process(reports)
        client.xack(stream, group, *[entry_id for entry_id, _fields in entries])
    connection.close()
