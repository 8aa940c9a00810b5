"""How the gateway hands decoded reports to storage, in both shapes of deployment.

- Embedded: ONE writer stores each batch in one transaction (SQLite has one writer), and
  `submit` returns only after the batch is committed, so the gateway never acknowledges a device
  before its data is stored. By default the writer is a child process (`writer_process.py`, a
  core of its own); `InProcessIngestor` here runs it as a thread of the gateway's process
  (`INGEST_TRANSPORT = "memory"`, and where a second process cannot open the database).
- Scaled (`streams.RedisStreamIngestor`): the gateway appends reports to sharded Redis streams;
  `manage.py run_ingest` writers consume them with the same BatchProcessor and answer the gateway
  after their commit (see streams.py).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import connection
from django.db.backends.signals import connection_created

from .handoff import Answer, deliver
from .processing import BatchProcessor, Outcome, Report, warm_up
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

    def submit_now(self, reports: list[Report], *, wanted: Wanted, answer: Answer) -> bool:
        """On the event loop: hand the reports over and return; `answer` is called on this loop
        when they are stored (or not)."""
        self._queue.put((reports, answer, asyncio.get_running_loop(), wanted))  # type: ignore[arg-type]
        return True

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
                deliver(loop, fail_future, future, error)
            return
        self.batches += 1
        self.reports += len(reports)
        index = 0
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[list[Outcome]], list[Outcome]]]] = {}
        for count, future, loop, mask in sent:
            by_loop.setdefault(loop, []).append((future, expand(outcomes[index : index + count], mask)))
            index += count
        for loop, results in by_loop.items():
            deliver(loop, resolve_all, results)


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
# SQLite's page cache for the writer's connection, in KiB (SQLite's default is 2 MiB). A batch of
# 2,000 fixes from as many devices touches a leaf page of each positions index per device, and the
# device states' pages: with the default cache most of them were read again from the file on every
# batch (about a tenth of the writer's CPU per fix in `python -m bench monitoring_writer`).
WRITER_SQLITE_CACHE_KIB = 65_536


@contextmanager
def writer_session() -> Iterator[None]:
    """The writer's time on the database (a thread's or a process's): passive WAL checkpoints
    beside it on SQLite, a larger page cache for its connection, its connection closed at the end."""
    checkpointer = _start_wal_checkpointer()
    writer_thread = threading.get_ident()

    def larger_cache(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite" and threading.get_ident() == writer_thread:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{int(WRITER_SQLITE_CACHE_KIB)}")

    connection_created.connect(larger_cache, weak=False)
    if connection.connection is not None:  # already open: the signal came before this session
        larger_cache(None, connection)
    try:
        yield
    finally:
        connection_created.disconnect(larger_cache)
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
