"""The scaled shape's ingest transport: gateways → sharded Redis streams → writer processes.

- **Shards.** A report goes to the stream `REDIS_STREAM:<shard>`, shard = CRC-32 of the device's
  shard key modulo `REDIS_SHARDS`. The key is the person the device is bound to now (so a
  person's phone and wristband meet in one writer, which compares them for separation and keeps
  the person's fence counters), else the device identifier. One device always lands in the same
  stream while its binding stands, and each stream is read by exactly one writer at a time (a
  lease key per stream), so a device's reports are stored in the order the gateway received them.
  (A binding made or ended moves the device's later reports to another stream; reports still
  waiting in the old one may then be stored after them: only at that moment, and the writer stores
  an older fix as blind-area data, never drops it.) Writer `i` of `INGEST_WRITERS` holds the shards
  `s % INGEST_WRITERS == i` while every writer runs (`preferred_writer`). The live writers are
  listed in Redis (`members_key`); the shards of a writer that stopped or died pass to the live
  ones once its lease lapses (any shard left unleased for a lease is taken by some writer), and
  come back to it between two batches when it returns; a writer numbered beyond the others'
  `INGEST_WRITERS` widens the layout for all. Whoever takes a shard first stores what the previous
  holder read and never acknowledged (XAUTOCLAIM, then its pending entries in stream order).
  Changing `REDIS_SHARDS` itself is guarded (`check_layout`): refused while entries wait in the
  old layout's streams or a gateway still appends with it.
- **Fenced.** Each take of a shard's lease increments the shard's token counter in Redis; the new
  holder writes its token to `monitoring_shard_fence` before reading, and each batch's transaction
  ends by checking, in one statement, that its tokens are still the latest. A writer that stalled
  past its lease is refused at its commit (`BatchRefused`): nothing stored, answered or
  acknowledged, so nothing is stored twice or after the next holder's fixes.
- **Acknowledged after commit.** A gateway appends one entry per (submission, shard) and waits.
  The writer stores the batch in one transaction and only then publishes the outcomes on the
  gateway's reply channel and acknowledges the entries (XACK) in its consumer group; the gateway
  answers the devices from those outcomes. A device is therefore never acknowledged before its fix
  is committed, however the processes are spread. Entries a writer took but did not acknowledge
  (it died) are read again by the next owner of the shard; the writer's duplicate filter (device,
  fix time, place) stores nothing twice.
- **Trimmed.** Every XADD trims its stream to about `REDIS_STREAM_MAXLEN` entries (MAXLEN ~). An
  entry can only be trimmed away unread if the writers are that far behind; its devices were not
  acknowledged (the gateway timed out and closed them) and send it again.
- **Entries.** One entry per (submission, shard): the gateway's id, the submission's key, and
  the reports in the writer process's packed records (`entry_fields`; entries appended in the
  earlier JSON form are still read).
- **Receive time.** Each report carries the gateway's receive time (wall clock) through the
  stream; the writer turns it back into its own monotonic clock, so alerts' `latency_ms` and the
  live events' `received_at` measure from the gateway's socket to the event.

The writer's side (leases, hand-over, fencing, `run_ingest`) is in `stream_writer.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import logging
import queue
import threading
import time
import uuid
import zlib
from collections.abc import Sequence
from typing import Any

from .device_feed import DeviceRegistry
from .handoff import PackedReport, deliver, identity, pack_outcomes, pack_reports, unpack_outcomes, unpack_reports
from .processing import Outcome, Report
from .protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from .rules import rule
from .writer_process import Wanted, expand, fail_future, resolve_all

logger = logging.getLogger(__name__)

REPLY_PREFIX = "zhengtu:monitoring:replies:"
GROUP = "ingest"


# -- shards -----------------------------------------------------------------------------------


def shard_count() -> int:
    return max(1, int(rule("REDIS_SHARDS")))


def shard_of(identifier: str, shards: int) -> int:
    """Stable across processes and restarts (Python's own hash of a str is not)."""
    return zlib.crc32(identifier.encode("utf-8", "replace")) % shards


def stream_name(shard: int) -> str:
    return f"{rule('REDIS_STREAM')}:{shard}"


def writer_shards(index: int, writers: int, shards: int | None = None) -> list[int]:
    """The shards writer `index` (0-based) of `writers` reads."""
    total = shards if shards is not None else shard_count()
    if writers < 1 or not 0 <= index < writers:
        raise ValueError(f"writer {index} of {writers}")
    return [shard for shard in range(total) if shard % writers == index]


# -- the shard layout: a change of REDIS_SHARDS only once nothing waits ------------------------------

_HEARTBEAT_SECONDS = 5  # a gateway's "I append with N shards" lives this long after its last beat


class ShardLayoutError(RuntimeError):
    """REDIS_SHARDS differs from the layout the streams were filled with, and that is not safe now."""


def layout_key() -> str:
    return f"{rule('REDIS_STREAM')}:layout"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def waiting_entries(client: Any, shards: int) -> dict[int, int]:
    """Per shard of a layout of `shards` streams: entries not stored yet (never read by the writers'
    group, or read and not acknowledged). Only shards with something waiting are listed."""
    import redis

    waiting: dict[int, int] = {}
    for shard in range(shards):
        stream = stream_name(shard)
        try:
            groups = client.xinfo_groups(stream)
        except redis.ResponseError:  # no such stream: nothing ever appended
            continue
        group = next((g for g in groups if _text(g.get("name")) == GROUP), None)
        if group is None:
            count = int(client.xlen(stream))
        else:
            lag = group.get("lag")
            if lag is None:  # unknown to Redis (entries deleted or trimmed): count what is after the last read
                lag = len(client.xrange(stream, min=f"({_text(group['last-delivered-id'])}", count=1000))
            count = int(group.get("pending", 0)) + int(lag)
        if count:
            waiting[shard] = count
    return waiting


_ADOPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2]) return 1 end
return 0
"""


def check_layout(client: Any, shards: int | None = None) -> None:
    """Refuse to run with a REDIS_SHARDS other than the one the streams were filled with while
    anything waits in them or a gateway still appends with the old count: a device would then
    have reports in two streams, read by two writers, and could be stored out of order. Once the
    old streams are drained and no gateway of the old count is alive, the new count is adopted.
    Procedure (docs/operations.md): stop the gateways, let the writers drain, restart everything
    with the new count."""
    shards = shards if shards is not None else shard_count()
    key = layout_key()
    for _attempt in range(5):
        stored = client.get(key)
        if stored is None:
            if client.set(key, shards, nx=True):
                return
            continue
        old = int(stored)
        if old == shards:
            return
        waiting = waiting_entries(client, old)
        gateways = [
            _text(name).rsplit(":", 1)[-1]
            for name in client.scan_iter(match=f"{key}:gateway:*", count=1000)
            if _text(client.get(name) or b"") not in ("", str(shards))
        ]
        if waiting or gateways:
            where = ", ".join(f"shard {s}: {n}" for s, n in sorted(waiting.items()))
            raise ShardLayoutError(
                f"REDIS_SHARDS is {shards} here, but the streams hold the layout of {old} shards"
                + (f" and {sum(waiting.values())} report entries wait in them ({where})" if waiting else "")
                + (f"; gateway(s) {', '.join(gateways)} still append with {old}" if gateways else "")
                + ". Changing the number of shards moves devices between streams and could store a device's "
                "reports out of order. Stop the gateways, let the writers (with the old count) store what "
                f"waits, then start everything with {shards} (docs/operations.md, 'Changing the number of shards'). "
                f"Or keep REDIS_SHARDS = {old}; more writers need no change of shards."
            )
        if client.eval(_ADOPT, 1, key, stored, shards):
            logger.warning("Shard layout changed from %s to %s streams (nothing was waiting)", old, shards)
            return
    raise ShardLayoutError("The shard layout kept changing while it was checked; try again")


# -- what goes through a stream ---------------------------------------------------------------


def _report_from_payload(data: dict[str, Any], *, wall_now: float, monotonic_now: float) -> Report:
    """A report of an entry in the JSON form gateways appended before the packed one (`entry_fields`)."""
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
    received = float(data["r"])
    return Report(
        data["p"],
        message,
        dt.datetime.fromtimestamp(received, tz=dt.UTC),
        # The gateway's receive moment on this process's monotonic clock: what alerts time themselves from.
        monotonic_now - max(0.0, wall_now - received),
        remote_address=data["ra"],
        authenticated=bool(data.get("u", True)),
    )


# The protocol details a stream entry carries (the writer checks them); nothing else of `extra`.
_EXTRA_KEYS = ("auth_code", "secret_hash")


def entry_fields(reports: Sequence[Report | PackedReport]) -> dict[str, bytes | str]:
    """Reports as the body of one stream entry: the writer process's packed records (`handoff`),
    not JSON. A JSON object per report and per fix cost the gateway 6.8 µs per report to write
    and the writer 9.1 µs to read back; the packed form costs 1.5 and 3.7 (250 GT06 reports,
    2026-12-07). The strings and the few protocol details go as one small JSON text beside the
    bytes: nothing in an entry is unpickled, so whoever can write to Redis still cannot run code in
    a writer."""
    data, strings, extras = pack_reports(reports)
    details = {
        str(index): {key: value for key, value in extra.items() if key in _EXTRA_KEYS}
        for index, extra in extras.items()
    }
    return {"h": data, "t": json.dumps([strings, {k: v for k, v in details.items() if v}], separators=(",", ":"))}


def report_to_fields(report: Report) -> dict[str, bytes | str]:
    """One report as a stream entry of its own (kept for callers of the single-report form)."""
    return entry_fields([report])


def report_from_fields(fields: dict[bytes, bytes]) -> Report:
    return reports_from_fields(fields)[0]


def reports_from_fields(fields: dict[bytes, bytes]) -> list[Report]:
    wall_now, monotonic_now = time.time(), time.monotonic()
    if b"h" in fields:
        strings, details = json.loads(fields[b"t"])
        reports = unpack_reports((fields[b"h"], strings, {int(index): extra for index, extra in details.items()}))
        for report in reports:
            # The gateway's receive moment on this process's monotonic clock (the gateway's own
            # monotonic reading means nothing on another machine): what alerts time themselves from.
            report.received_monotonic = monotonic_now - max(0.0, wall_now - report.received_at.timestamp())
        return reports
    # Entries a gateway of an earlier version appended (JSON), still waiting in a stream after an upgrade.
    if b"report" in fields:  # written before the streams carried lists
        payloads = [json.loads(fields[b"report"])]
    else:
        payloads = json.loads(fields[b"reports"])
    return [_report_from_payload(p, wall_now=wall_now, monotonic_now=monotonic_now) for p in payloads]


def reply_message(items: list[tuple[str, list[Outcome]]]) -> bytes:
    """A writer's answer to one gateway: for each submission key, its outcomes. A JSON index (key,
    size of its packed outcomes, JT/T 808 codes handed out), a newline, then the outcomes packed as
    for the writer process (`handoff.pack_outcomes`): a JSON row per outcome, read back into an
    object each, cost both sides more than the outcome was worth."""
    index: list[list[Any]] = []
    chunks: list[bytes] = []
    for key, outcomes in items:
        data, codes = pack_outcomes(outcomes)
        index.append([key, len(data), {str(position): code for position, code in codes.items()}])
        chunks.append(data)
    return json.dumps(index, separators=(",", ":")).encode() + b"\n" + b"".join(chunks)


def read_reply(message: bytes) -> list[tuple[str, list[Outcome]]]:
    head, _newline, data = message.partition(b"\n")
    items: list[tuple[str, list[Outcome]]] = []
    offset = 0
    for key, size, codes in json.loads(head):
        packed = (data[offset : offset + size], {int(position): code for position, code in codes.items()})
        items.append((key, unpack_outcomes(packed)))
        offset += size
    return items


# -- the gateway's side -------------------------------------------------------------------------


class _Waiting:
    """One submission waiting for its answers: a part per shard it went to."""

    __slots__ = ("answer", "loop", "mask", "outcomes", "parts", "since")

    def __init__(self, answer: Any, loop: asyncio.AbstractEventLoop, mask: list[bool] | None, size: int) -> None:
        self.answer, self.loop, self.mask = answer, loop, mask
        self.outcomes: list[Outcome | None] = [None] * size
        self.parts: dict[str, list[int]] = {}  # key → indexes in the submission
        self.since = time.monotonic()


class RedisStreamIngestor:
    """Gateway side of the scaled shape: append to the shard streams, answer after the writer's commit.

    Reports of devices the registry does not know (or under another protocol) are answered at
    once and never reach a stream; the registry is pushed to every gateway as devices change
    (`device_feed`), so nothing here reloads the whole registry on the path of a submission.

    The appends leave from a thread of their own, and the writers' answers are read by another,
    which hands them to the gateway's event loop through `handoff.deliver`: the gateway takes them
    from its read callbacks (`submit_now`), as it does the local writer's. Through asyncio tasks,
    both waited until the event loop's turn of reads was over, which under load lasts seconds:
    the writers got nothing while the gateway decoded, and the gateway waited while they stored.
    """

    # The gateway may hand over reports already packed (handoff.PackedReport): entries carry that form.
    takes_packed = True

    def __init__(self, url: str | None = None, *, gateway_id: str | None = None) -> None:
        self.url = url or rule("REDIS_URL")
        self.gateway_id = gateway_id or uuid.uuid4().hex[:12]
        self.reply_channel = REPLY_PREFIX + self.gateway_id
        self.shards = shard_count()
        self.maxlen = int(rule("REDIS_STREAM_MAXLEN"))
        self.timeout = float(rule("REDIS_REPLY_TIMEOUT_SECONDS"))
        self.registry = DeviceRegistry(self.url)
        self._client: Any = None
        self._waiting: dict[str, _Waiting] = {}  # part key → its submission (several keys, one submission)
        self._lock = threading.Lock()
        self._sequence = itertools.count(1)
        self._outbox: queue.SimpleQueue[tuple[str, dict[str, bytes | str], str] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._subscribed = threading.Event()
        self.timeouts = 0
        self._heart: asyncio.Task[None] | None = None
        self.layout_error: str | None = None

    async def start(self) -> None:
        import redis
        import redis.asyncio as aioredis

        await asyncio.to_thread(check_layout, redis.Redis.from_url(self.url), self.shards)
        self._client = aioredis.Redis.from_url(self.url)
        await self._client.ping()
        self._heart = asyncio.get_running_loop().create_task(self._beat())
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=self._send_loop, name="stream-sender", daemon=True),
            threading.Thread(target=self._reply_loop, name="stream-replies", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        # Subscribed before anything is appended: an answer published earlier would be lost.
        await asyncio.to_thread(self._subscribed.wait, 10)
        await self.registry.start()

    async def _beat(self) -> None:
        """Say every second which layout this gateway appends with; stop appending if it changed."""
        key = layout_key()
        while True:
            try:
                pipe = self._client.pipeline(transaction=False)
                pipe.set(f"{key}:gateway:{self.gateway_id}", self.shards, ex=_HEARTBEAT_SECONDS)
                pipe.get(key)
                _ok, stored = await pipe.execute()
                if stored is not None and int(stored) != self.shards:
                    if self.layout_error is None:
                        logger.error(
                            "Shard layout is now %s streams, this gateway has %s: restart it", stored, self.shards
                        )
                    self.layout_error = f"the shard layout changed to {int(stored)} streams; restart this gateway"
                else:
                    self.layout_error = None
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis restarting: beat again
                logger.debug("Gateway heartbeat failed", exc_info=True)
            await asyncio.sleep(1)

    async def stop(self) -> None:
        if self._heart is not None:
            self._heart.cancel()
            await asyncio.gather(self._heart, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self._client.delete(f"{layout_key()}:gateway:{self.gateway_id}")
        await self.registry.stop()
        self._stopping.set()
        self._outbox.put(None)
        for thread in self._threads:
            await asyncio.to_thread(thread.join, 5)
        self._threads = []
        with self._lock:
            waiting = {id(w): w for w in self._waiting.values()}.values()
            self._waiting.clear()
        for submission in waiting:
            deliver(submission.loop, fail_future, submission.answer, ConnectionError("gateway stopping"))
        if self._client is not None:
            await self._client.aclose()

    # -- the two threads ------------------------------------------------------------------------

    def _send_loop(self) -> None:
        """Append what was submitted meanwhile, in one pipeline (submissions of one moment go together)."""
        import redis

        client = redis.Redis.from_url(self.url)
        outbox = self._outbox
        while True:
            entry = outbox.get()
            entries = []
            stopping = False
            while entry is not None:
                entries.append(entry)
                try:
                    entry = outbox.get_nowait()
                except queue.Empty:
                    break
            else:
                stopping = True
            if entries:
                pipe = client.pipeline(transaction=False)
                for stream, fields, _key in entries:
                    pipe.xadd(stream, fields, maxlen=self.maxlen, approximate=True)  # type: ignore[arg-type]
                try:
                    pipe.execute()
                except Exception as error:  # noqa: BLE001 - Redis away: those submissions fail, nothing acknowledged
                    for _stream, _fields, key in entries:
                        self._fail_part(key, error)
            if stopping:
                client.close()
                return

    def _reply_loop(self) -> None:
        """Read the writers' answers on this gateway's channel; fail what waited past the timeout."""
        import redis

        last_sweep = time.monotonic()
        while not self._stopping.is_set():
            pubsub = None
            try:
                pubsub = redis.Redis.from_url(self.url).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.reply_channel)
                pubsub.get_message(timeout=1.0)  # the subscription's confirmation
                self._subscribed.set()
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=0.2)
                    if message is not None and message.get("type") == "message":
                        self._answered(read_reply(message["data"]))
                    now = time.monotonic()
                    if now - last_sweep >= 0.2:
                        last_sweep = now
                        self._sweep(now)
            except Exception:  # noqa: BLE001 - Redis restarted: subscribe again; waiting submissions time out
                logger.exception("Reply channel of gateway %s lost; subscribing again", self.gateway_id)
                self._subscribed.set()  # a gateway starting while Redis is away still starts
                self._stopping.wait(1)
                self._sweep(time.monotonic())
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()

    def _answered(self, items: list[tuple[str, list[Outcome]]]) -> None:
        for key, outcomes in items:
            with self._lock:
                submission = self._waiting.pop(key, None)
                if submission is None:  # timed out meanwhile: its connections are closed already
                    continue
                indexes = submission.parts.pop(key)
                for index, outcome in zip(indexes, outcomes, strict=False):
                    submission.outcomes[index] = outcome
                complete = not submission.parts
            if complete:
                result = [o if o is not None else Outcome(known=False) for o in submission.outcomes]
                deliver(submission.loop, resolve_all, [(submission.answer, expand(result, submission.mask))])

    def _fail_part(self, key: str, error: BaseException) -> None:
        """A part failed: the whole submission fails (its connections close; the devices send again)."""
        with self._lock:
            submission = self._waiting.pop(key, None)
            if submission is None:
                return
            for other in submission.parts:
                self._waiting.pop(other, None)
            submission.parts.clear()
        deliver(submission.loop, fail_future, submission.answer, error)

    def _sweep(self, now: float) -> None:
        limit = now - self.timeout
        with self._lock:
            late = [key for key, submission in self._waiting.items() if submission.since < limit]
        for key in late:
            with self._lock:
                known = key in self._waiting
            if known:
                self.timeouts += 1
                self._fail_part(key, TimeoutError(f"no writer stored the submission within {self.timeout:g} s"))

    # -- submissions ----------------------------------------------------------------------------

    def submit_now(self, reports: Sequence[Report | PackedReport], *, wanted: Wanted, answer: Any) -> bool:
        """On the event loop: append the reports and return; `answer` is called on this loop when
        every shard's writer has committed them (or not). False when the submission must go
        through `submit` (which raises why)."""
        if self.layout_error is not None or not self._threads:
            return False
        loop = asyncio.get_running_loop()
        mask = wanted() if wanted is not None else None
        if mask is not None and all(mask):
            mask = None
        if mask is not None:  # devices that gave up: nothing of theirs kept
            reports = [r for r, keep in zip(reports, mask, strict=True) if keep]
        submission = _Waiting(answer, loop, mask, len(reports))
        by_shard: dict[int, list[int]] = {}
        known = self.registry.known
        for index, report in enumerate(reports):
            protocol, identifier = identity(report)
            entry = known.get(identifier)
            if entry is None or entry.protocol != protocol:
                submission.outcomes[index] = Outcome(known=False)
                continue
            by_shard.setdefault(shard_of(entry.shard_key or identifier, self.shards), []).append(index)
        if not by_shard:  # nothing for a writer: answered at once (after this turn, as a writer's would be)
            result = [o if o is not None else Outcome(known=False) for o in submission.outcomes]
            deliver(loop, resolve_all, [(answer, expand(result, mask))])
            return True
        appends = []
        with self._lock:
            for shard, indexes in by_shard.items():
                key = f"{next(self._sequence)}"
                submission.parts[key] = indexes
                self._waiting[key] = submission  # before the XADD: the answer may come back at once
                fields = {"g": self.gateway_id, "n": key, **entry_fields([reports[i] for i in indexes])}
                appends.append((stream_name(shard), fields, key))
        for append in appends:
            self._outbox.put(append)
        return True

    async def submit(self, reports: Sequence[Report | PackedReport], *, wanted: Wanted = None) -> list[Outcome]:
        if self.layout_error is not None:  # nothing appended: the devices send again to a restarted gateway
            raise ShardLayoutError(self.layout_error)
        future: asyncio.Future[list[Outcome]] = asyncio.get_running_loop().create_future()
        if not self.submit_now(reports, wanted=wanted, answer=future):
            raise ConnectionError("the gateway's stream ingestor is not running")
        return await future
