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
- **Receive time.** Each report carries the gateway's receive time (wall clock) through the
  stream; the writer turns it back into its own monotonic clock, so alerts' `latency_ms` and the
  live events' `received_at` measure from the gateway's socket to the event.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import logging
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

from .device_feed import DeviceRegistry, publish_devices, watch_deltas
from .processing import BatchProcessor, BatchRefused, Outcome, Report, warm_up
from .protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from .rules import rule
from .writer_process import Wanted, expand

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


def _report_payload(report: Report) -> dict[str, Any]:
    message = report.message
    return {
        "p": report.protocol,
        "i": message.identifier,
        "k": message.kind.value,
        "a": sorted(message.alarms),
        "b": message.battery_percent,
        "s": message.carries_status,
        "r": report.received_at.timestamp(),  # the gateway's receive time, carried to the live event
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


def _report_from_payload(data: dict[str, Any], *, wall_now: float, monotonic_now: float) -> Report:
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


def report_to_fields(report: Report) -> dict[str, str]:
    """One report as a stream entry of its own (kept for callers of the single-report form)."""
    return {"reports": json.dumps([_report_payload(report)], separators=(",", ":"))}


def report_from_fields(fields: dict[bytes, bytes]) -> Report:
    return reports_from_fields(fields)[0]


def reports_from_fields(fields: dict[bytes, bytes]) -> list[Report]:
    wall_now, monotonic_now = time.time(), time.monotonic()
    if b"report" in fields:  # an entry written before the streams carried lists
        payloads = [json.loads(fields[b"report"])]
    else:
        payloads = json.loads(fields[b"reports"])
    return [_report_from_payload(p, wall_now=wall_now, monotonic_now=monotonic_now) for p in payloads]


def _outcome_row(outcome: Outcome) -> list[Any]:
    return [
        int(outcome.known),
        outcome.auth_code,
        outcome.stored,
        outcome.rejected,
        int(outcome.refused),
        int(outcome.authenticated),
        outcome.registration,
    ]


def _outcome_from_row(row: list[Any]) -> Outcome:
    known, auth_code, stored, rejected, refused, authenticated, registration = row
    return Outcome(
        known=bool(known),
        auth_code=auth_code,
        stored=stored,
        rejected=rejected,
        refused=bool(refused),
        authenticated=bool(authenticated),
        registration=registration,
    )


# -- the gateway's side -------------------------------------------------------------------------


class RedisStreamIngestor:
    """Gateway side of the scaled shape: append to the shard streams, answer after the writer's commit.

    Reports of devices the registry does not know (or under another protocol) are answered at
    once and never reach a stream; the registry is pushed to every gateway as devices change
    (`device_feed`), so nothing here reloads the whole registry on the path of a submission.
    """

    def __init__(self, url: str | None = None, *, gateway_id: str | None = None) -> None:
        self.url = url or rule("REDIS_URL")
        self.gateway_id = gateway_id or uuid.uuid4().hex[:12]
        self.reply_channel = REPLY_PREFIX + self.gateway_id
        self.shards = shard_count()
        self.maxlen = int(rule("REDIS_STREAM_MAXLEN"))
        self.timeout = float(rule("REDIS_REPLY_TIMEOUT_SECONDS"))
        self.registry = DeviceRegistry(self.url)
        self._client: Any = None
        self._pubsub: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._waiting: dict[str, asyncio.Future[list[Outcome]]] = {}
        self._sequence = itertools.count(1)
        self._outbox: list[tuple[str, dict[str, str], asyncio.Future[list[Outcome]]]] = []
        self._sender: asyncio.Task[None] | None = None
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
        self._pubsub = self._client.pubsub()
        await self._pubsub.subscribe(self.reply_channel)
        self._listener = asyncio.get_running_loop().create_task(self._listen())
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
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("gateway stopping"))
        self._waiting.clear()
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._client is not None:
            await self._client.aclose()

    async def _listen(self) -> None:
        while True:
            try:
                async for message in self._pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    for key, rows in json.loads(message["data"]):
                        future = self._waiting.pop(key, None)
                        if future is not None and not future.done():
                            future.set_result([_outcome_from_row(row) for row in rows])
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis restarted: subscribe again; waiting submissions time out
                logger.exception("Reply channel of gateway %s lost; subscribing again", self.gateway_id)
                await asyncio.sleep(1)
                try:
                    await self._pubsub.subscribe(self.reply_channel)
                except Exception:  # noqa: BLE001
                    logger.warning("Redis not reachable yet for gateway %s", self.gateway_id)

    async def _send(self) -> None:
        """Every entry submitted meanwhile, in one pipeline on one connection (submissions of one turn
        of the event loop go together; a pipeline per submission would need a connection each)."""
        while self._outbox:
            entries, self._outbox = self._outbox, []
            pipe = self._client.pipeline(transaction=False)
            for stream, fields, _future in entries:
                pipe.xadd(stream, fields, maxlen=self.maxlen, approximate=True)
            try:
                await pipe.execute()
            except Exception as error:  # noqa: BLE001 - Redis away: those submissions fail, nothing acknowledged
                for _stream, _fields, future in entries:
                    if not future.done():
                        future.set_exception(error)

    async def submit(self, reports: list[Report], *, wanted: Wanted = None) -> list[Outcome]:
        if self.layout_error is not None:  # nothing appended: the devices send again to a restarted gateway
            raise ShardLayoutError(self.layout_error)
        if wanted is not None and not all(mask := wanted()):  # devices that gave up: nothing of theirs kept
            kept = [r for r, keep in zip(reports, mask, strict=True) if keep]
            return expand(await self.submit(kept) if kept else [], mask)
        outcomes: list[Outcome | None] = [None] * len(reports)
        by_shard: dict[int, list[int]] = {}
        known = self.registry.known
        for index, report in enumerate(reports):
            identifier = report.message.identifier
            entry = known.get(identifier)
            if entry is None or entry.protocol != report.protocol:
                outcomes[index] = Outcome(known=False)
                continue
            by_shard.setdefault(shard_of(entry.shard_key or identifier, self.shards), []).append(index)
        if by_shard:
            loop = asyncio.get_running_loop()
            parts: list[tuple[str, list[int], asyncio.Future[list[Outcome]]]] = []
            for shard, indexes in by_shard.items():
                key = f"{next(self._sequence)}"
                future: asyncio.Future[list[Outcome]] = loop.create_future()
                self._waiting[key] = future  # before the XADD: the answer may come back at once
                parts.append((key, indexes, future))
                body = json.dumps([_report_payload(reports[i]) for i in indexes], separators=(",", ":"))
                self._outbox.append((stream_name(shard), {"g": self.gateway_id, "n": key, "reports": body}, future))
            if self._sender is None or self._sender.done():
                self._sender = loop.create_task(self._send())
            try:
                done = await asyncio.wait_for(asyncio.gather(*(f for _k, _i, f in parts)), self.timeout)
            except TimeoutError:
                self.timeouts += 1
                raise
            finally:
                for key, _indexes, _future in parts:
                    self._waiting.pop(key, None)
            for (_key, indexes, _future), part_outcomes in zip(parts, done, strict=True):
                for index, outcome in zip(indexes, part_outcomes, strict=True):
                    outcomes[index] = outcome
        return [o if o is not None else Outcome(known=False) for o in outcomes]


# -- the writer's side ----------------------------------------------------------------------------

# A shard's stream is read by the holder of its lease (`<stream>:writer`; the value names the
# holding process, unique per process start). KEYS: 1 the lease, 2 the shard's token counter, 3 the
# shard's vacancy mark (Redis time in ms when a writer first saw it unleased), 4 its "wanted" mark
# (set by its preferred writer while another holds it). ARGV: 1 holder, 2 lease ms, 3 "own" (a shard
# this writer prefers), "other" (may take it after the grace) or "look" (only marks the vacancy),
# 4 grace ms. Answers {state, token}: 1 renewed, 2 taken (token: the counter INCRemented, the
# fencing token), 3 given back (held, not preferred here, and its preferred writer wants it: the
# holder is between batches, so nothing is in flight), 0 held by another (or not free for us yet).
_LEASE = """
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
  if ARGV[3] ~= 'own' and redis.call('exists', KEYS[4]) == 1 then
    redis.call('del', KEYS[1])
    return {3, 0}
  end
  redis.call('pexpire', KEYS[1], ARGV[2])
  return {1, 0}
end
if holder then
  if ARGV[3] == 'own' then redis.call('set', KEYS[4], ARGV[1], 'PX', 2 * tonumber(ARGV[2])) end
  return {0, 0}
end
if ARGV[3] ~= 'own' then
  if redis.call('exists', KEYS[4]) == 1 then return {0, 0} end
  local now = redis.call('time')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local since = redis.call('get', KEYS[3])
  if not since then
    redis.call('set', KEYS[3], ms, 'PX', 3 * tonumber(ARGV[4]) + 1000)
    return {0, 0}
  end
  if ARGV[3] == 'look' or ms - tonumber(since) < tonumber(ARGV[4]) then return {0, 0} end
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('del', KEYS[3], KEYS[4])
return {2, redis.call('incr', KEYS[2])}
"""
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
# The database has seen this shard's token (ARGV[2]) or a later one: Redis lost the counter's last
# increments (a restart without its last second). Continue above it, if the lease is still ours.
_BUMP = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if (tonumber(redis.call('get', KEYS[2])) or 0) < tonumber(ARGV[2]) then redis.call('set', KEYS[2], ARGV[2]) end
return redis.call('incr', KEYS[2])
"""
# The live writers: a sorted set of writer numbers scored by their last step (Redis time, ms); those
# silent for a lease are dropped. KEYS[1] the set; ARGV: 1 this writer's number, 2 lease ms.
_MEMBERS = """
local now = redis.call('time')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('zadd', KEYS[1], ms, ARGV[1])
redis.call('zremrangebyscore', KEYS[1], '-inf', ms - tonumber(ARGV[2]))
return redis.call('zrange', KEYS[1], 0, -1)
"""

FENCE_TABLE = "monitoring_shard_fence"


def members_key() -> str:
    return f"{rule('REDIS_STREAM')}:writers"


def preferred_writer(shard: int, live: Sequence[int], writers: int) -> int:
    """The writer a shard belongs to while `live` writers run: its home `shard % width` (width: the
    configured INGEST_WRITERS, or more if a writer of a higher number runs), else, its home writer
    being away, one of the live ones (spread by shard). With every writer of 0 … N-1 alive this is
    `shard % N == writer`; a writer that stops moves only its own shards, and comes back to them."""
    ordered = sorted(set(live))
    if not ordered:
        raise ValueError("no live writer")
    home = shard % max(writers, ordered[-1] + 1)
    return home if home in ordered else ordered[shard % len(ordered)]


class StreamWriter:
    """One `run_ingest` process: the shards it holds, one batch (one transaction) at a time.

    With `index` (a writer number, `run_ingest --writer N`) it joins the live writers in Redis and
    holds the shards `preferred_writer` gives it, takes over any other shard left unleased for a
    lease, and gives a shard back to its preferred writer when that one returns. Without `index`
    it holds exactly `shards` (tests, and a single writer reading everything). Every shard it takes
    comes with a fencing token that each batch's transaction checks (`_fence`)."""

    def __init__(
        self,
        *,
        url: str | None = None,
        shards: Sequence[int] | None = None,
        consumer: str = "ingest-1",
        processor: BatchProcessor | None = None,
        index: int | None = None,
        writers: int | None = None,
    ) -> None:
        import redis

        self.client = redis.Redis.from_url(url or rule("REDIS_URL"))
        self.shards = list(shards) if shards is not None else list(range(shard_count()))
        self.consumer = consumer
        self.holder = f"{consumer}:{uuid.uuid4().hex[:8]}"  # a restarted process never passes for its predecessor
        self.index = index
        self.writers = writers if writers is not None else int(rule("INGEST_WRITERS"))
        self.processor = processor
        self.lease_ms = int(float(rule("REDIS_LEASE_SECONDS")) * 1000)
        self.batch_max = int(rule("BATCH_MAX"))
        self._lease = self.client.register_script(_LEASE)
        self._release = self.client.register_script(_RELEASE)
        self._bump = self.client.register_script(_BUMP)
        self._members = self.client.register_script(_MEMBERS)
        self._cursor: dict[str, str] = {}  # readable stream → "0" (own pending first) or ">"
        self._held: dict[int, int] = {}  # shard → this writer's fencing token for it
        self._fenced: set[int] = set()  # held shards whose token the database has (taken over)
        self._shard_of = {stream_name(s): s for s in self.shards}
        self._turn = 0
        # Leases renewed at most this often (each renewal costs ~0.7 ms of CPU for 8 shards), well
        # within the lease; a shard given back or taken over waits for the next renewal.
        self.renew_seconds = min(1.0, self.lease_ms / 10_000)
        self._renewed = -float("inf")
        self.live: list[int] = []
        self._changes = watch_deltas(self.client)
        self.batches = 0
        self.reports = 0
        self.taken_over = 0  # shards taken (at start, from a dead writer, or back)
        self.given_back = 0
        self.refused = 0  # batches the fence refused
        self.fence_checks = 0
        self.fence_cpu = 0.0  # seconds of this process's CPU in the batches' fence statements
        self._reports_per_entry = 20.0  # learnt as entries are read

    @property
    def held(self) -> list[int]:
        """The shards this writer reads now."""
        return sorted(s for s in self._held if s in self._fenced)

    def _ensure_group(self, stream: str) -> None:
        import redis

        try:
            self.client.xgroup_create(stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    def _lease_keys(self, shard: int) -> list[str]:
        stream = stream_name(shard)
        return [f"{stream}:writer", f"{stream}:token", f"{stream}:vacant", f"{stream}:wanted"]

    def _modes(self) -> dict[int, str]:
        """How this writer asks for each shard this step: its own first, then others."""
        if self.index is None:
            return dict.fromkeys(self.shards, "own")
        answer = self._members(keys=[members_key()], args=[self.index, self.lease_ms])
        self.live = sorted({int(m) for m in answer} | {self.index})
        own = [s for s in self.shards if preferred_writer(s, self.live, self.writers) == self.index]
        modes = dict.fromkeys(own, "own")
        others = [s for s in self.shards if s not in modes]
        # At most one shard not its own taken per step, so that live writers share a dead one's shards.
        free = [s for s in others if s not in self._held]
        chosen = free[self._turn % len(free)] if free else None
        self._turn += 1
        for shard in others:
            modes[shard] = "other" if shard in self._held or shard == chosen else "look"
        return modes

    def _renew_leases(self) -> None:
        """Hold the shards this writer should read (one round trip for every lease); take over a
        shard newly taken: fence it, then read what its earlier holder left pending, in order."""
        now = time.monotonic()
        if now - self._renewed < self.renew_seconds and all(s in self._fenced for s in self._held):
            return
        self._renewed = now
        modes = self._modes()
        pipe = self.client.pipeline(transaction=False)
        order = list(modes)
        for shard in order:
            self._lease(
                keys=self._lease_keys(shard),
                args=[self.holder, self.lease_ms, modes[shard], self.lease_ms],
                client=pipe,
            )
        for shard, (state, token) in zip(order, pipe.execute(), strict=True):
            state = int(state)
            if state == 2:
                self._held[shard] = int(token)
                self._fenced.discard(shard)
                self._cursor.pop(stream_name(shard), None)
            elif state == 1 and shard not in self._held:  # ours, token unknown (a failed start): take it afresh
                self._release(keys=self._lease_keys(shard)[:1], args=[self.holder])
            elif state in (0, 3) and shard in self._held:
                self._drop(shard)
                if state == 3:
                    self.given_back += 1
                    logger.info("Stream %s given back to its preferred writer", stream_name(shard))
                else:
                    logger.warning("Stream %s is now read by another writer", stream_name(shard))
        for shard in sorted(self._held):
            if shard not in self._fenced:
                self._take_over(shard)

    def _drop(self, shard: int) -> None:
        self._held.pop(shard, None)
        self._fenced.discard(shard)
        self._cursor.pop(stream_name(shard), None)

    def _take_over(self, shard: int) -> None:
        """Write this writer's token to the database before reading anything of the shard: from
        now on a batch of an earlier holder (stalled past its lease) is refused at its commit."""
        from .ingest import keep_connection_usable

        keep_connection_usable()
        token = self._held[shard]
        table = connection.ops.quote_name(FENCE_TABLE)
        for _attempt in range(3):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (shard, token) VALUES (%s, %s) ON CONFLICT (shard) "  # noqa: S608 - our table
                    f"DO UPDATE SET token = excluded.token WHERE {table}.token < excluded.token",
                    [shard, token],
                )
                if cursor.rowcount == 1:
                    break
                cursor.execute(f"SELECT token FROM {table} WHERE shard = %s", [shard])  # noqa: S608
                stored = int(cursor.fetchone()[0])
            logger.warning("Shard %s: token %s already used (stored %s); Redis lost its counter", shard, token, stored)
            token = int(self._bump(keys=self._lease_keys(shard)[:2], args=[self.holder, stored]))
            if not token:  # the lease is gone meanwhile
                self._drop(shard)
                return
            self._held[shard] = token
        else:
            raise RuntimeError(f"could not fence stream shard {shard}")
        if self.processor is not None:
            self.processor.forget_devices()  # another writer may have stored this shard's devices meanwhile
        stream = stream_name(shard)
        self._ensure_group(stream)
        self._claim(stream)
        self._cursor[stream] = "0"
        self._fenced.add(shard)
        self.taken_over += 1

    def _claim(self, stream: str) -> None:
        """Take over what an earlier owner of the stream read and never acknowledged (it is read again)."""
        start = "0-0"
        while True:
            # (redis-py drops the cursor from a JUSTID answer: take the entries, ignore them here.)
            result = self.client.xautoclaim(stream, GROUP, self.consumer, 0, start_id=start, count=1000)
            start = result[0].decode() if isinstance(result[0], bytes) else str(result[0])
            if start == "0-0":
                return

    def _fence(self, shards: Sequence[int]) -> Callable[[], None]:
        """The check run last in a batch's transaction: one statement for the batch's shards, which
        also locks their rows until the commit (a take-over waits for it, then raises the token)."""
        tokens = [(shard, self._held[shard]) for shard in sorted(shards)]
        table = connection.ops.quote_name(FENCE_TABLE)
        values = ", ".join(["(%s, %s)"] * len(tokens))
        sql = (
            f"INSERT INTO {table} (shard, token) VALUES {values} ON CONFLICT (shard) "  # noqa: S608 - our table
            f"DO UPDATE SET token = excluded.token WHERE {table}.token <= excluded.token"
        )
        params = [value for pair in tokens for value in pair]

        def check() -> None:
            started = time.process_time()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                fenced = cursor.rowcount
            self.fence_cpu += time.process_time() - started
            self.fence_checks += 1
            if fenced != len(tokens):
                raise BatchRefused(f"shard(s) {[s for s, _t in tokens]} taken over by another writer")

        return check

    def release(self) -> None:
        for shard in list(self._held):
            self._release(keys=self._lease_keys(shard)[:1], args=[self.holder])
        if self.index is not None:
            self.client.zrem(members_key(), self.index)  # the others take this writer's shards at once
        self._held.clear()
        self._fenced.clear()
        self._cursor.clear()

    def run(self, stop: threading.Event) -> None:
        warm_up()
        if self.processor is None:
            self.processor = BatchProcessor()
        try:
            while not stop.is_set():
                try:
                    self.step()
                except Exception:  # noqa: BLE001 - the database or Redis is away: nothing acknowledged, try again
                    logger.exception("Ingest writer %s: batch failed; its entries will be read again", self.consumer)
                    for stream in self._cursor:
                        self._cursor[stream] = "0"
                    # Redis may have been away: registry changes published meanwhile are lost. Reload whole.
                    from .directory import invalidate

                    invalidate()
                    stop.wait(1)
        finally:
            try:
                self.release()
            except Exception:  # noqa: BLE001 - Redis gone: the leases lapse by themselves
                logger.warning("Could not release the stream leases of %s", self.consumer)
            connection.close()

    def step(self, block_ms: int = 1000) -> int:
        """Read, store and answer one batch; the number of reports stored or refused."""
        from .directory import invalidate

        changes = self._changes()  # devices, bindings, fences, people changed elsewhere: re-read by id
        if changes is not None:
            invalidate(changes)
        self._renew_leases()
        if not self._cursor:
            time.sleep(block_ms / 1000)
            return 0
        wanted: dict[Any, Any] = dict(self._cursor)
        # COUNT is per stream and in entries (a gateway's submission each): aim at BATCH_MAX reports in all.
        count = max(1, int(self.batch_max / self._reports_per_entry / len(wanted)))
        response: Any = self.client.xreadgroup(GROUP, self.consumer, wanted, count=count, block=block_ms)
        entries: list[tuple[str, bytes, dict[bytes, bytes]]] = []
        for stream_key, stream_entries in response or []:
            stream = stream_key.decode() if isinstance(stream_key, bytes) else stream_key
            if not stream_entries and self._cursor.get(stream) == "0":
                self._cursor[stream] = ">"  # its own pending entries are done: now the new ones
            entries.extend((stream, entry_id, fields) for entry_id, fields in stream_entries)
        if not entries:
            return 0
        reports: list[Report] = []
        spans: list[tuple[str, str, int, int]] = []  # (gateway, key, start, end) in `reports`
        for _stream, _entry_id, fields in entries:
            part = reports_from_fields(fields)
            gateway = fields.get(b"g", b"").decode()
            spans.append((gateway, fields.get(b"n", b"").decode(), len(reports), len(reports) + len(part)))
            reports.extend(part)
        self._reports_per_entry = 0.7 * self._reports_per_entry + 0.3 * (len(reports) / len(entries))
        from .ingest import keep_connection_usable

        keep_connection_usable()
        if self.processor is None:
            warm_up()
            self.processor = BatchProcessor()
        shards = sorted({self._shard_of[stream] for stream, _id, _fields in entries})
        try:
            outcomes = self.processor.process(reports, guard=self._fence(shards))  # committed when it returns
        except BatchRefused:
            # This writer stalled past its lease and another took a shard over: nothing of the batch
            # is stored, answered or acknowledged; the new holder reads the entries again. Let go
            # of the batch's shards; those still free for it are taken again with a new token.
            self.refused += 1
            logger.warning("Ingest writer %s: batch refused, shards %s passed to another writer", self.consumer, shards)
            for shard in shards:
                self._release(keys=self._lease_keys(shard)[:1], args=[self.holder])
                self._drop(shard)
            return 0
        self.batches += 1
        self.reports += len(reports)
        replies: dict[str, list[Any]] = {}
        for gateway, key, start, end in spans:
            if gateway:
                replies.setdefault(gateway, []).append([key, [_outcome_row(o) for o in outcomes[start:end]]])
        pipe = self.client.pipeline(transaction=False)
        for gateway, items in replies.items():
            pipe.publish(REPLY_PREFIX + gateway, json.dumps(items, separators=(",", ":")))
        by_stream: dict[str, list[bytes]] = {}
        for stream, entry_id, _fields in entries:
            by_stream.setdefault(stream, []).append(entry_id)
        for stream, ids in by_stream.items():
            pipe.xack(stream, GROUP, *ids)
        pipe.execute()
        registered = [r.message.identifier for r, o in zip(reports, outcomes, strict=True) if o.auth_code]
        if registered:  # JT/T 808 registrations: every gateway must know the code is handed out
            publish_devices(identifiers=registered, client=self.client)
        return len(reports)


def consume_stream(
    *,
    url: str | None = None,
    group: str = GROUP,
    consumer: str = "ingest-1",
    stop: threading.Event,
    shards: Sequence[int] | None = None,
    index: int | None = None,
) -> None:
    """`manage.py run_ingest`: store what the gateways appended to the shard streams this writer owns."""
    if group != GROUP:
        raise ValueError(f"the consumer group is {GROUP!r}")
    writer = StreamWriter(url=url, shards=shards, consumer=consumer, index=index)
    check_layout(writer.client)  # raises ShardLayoutError: see its message
    writer.run(stop)
