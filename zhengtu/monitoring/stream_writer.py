"""The scaled shape's writer side: `run_ingest --writer N` reading the shard streams (`streams.py`).

Leases, the live writers and shard hand-over, fencing tokens: see `StreamWriter` and the
module docstring of `streams.py` (Shards, Fenced).
"""

from __future__ import annotations

import logging
import struct
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

from .device_feed import publish_devices, watch_deltas
from .processing import BatchProcessor, BatchRefused, Outcome, Report, warm_up
from .rules import rule
from .streams import (
    GROUP,
    REPLY_PREFIX,
    check_layout,
    reply_message,
    reports_from_fields,
    shard_count,
    stream_name,
)

logger = logging.getLogger(__name__)


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
        unreadable: list[tuple[str, bytes]] = []
        for stream, entry_id, fields in entries:
            try:
                part = reports_from_fields(fields)
            except (ValueError, KeyError, TypeError, IndexError, OverflowError, struct.error):
                # Not an entry any gateway writes (a bug, or a hand-made XADD). Left unacknowledged it
                # would be read again after every restart and hold its shard for ever; dropped, its
                # gateway (if any) times out, closes the devices' connections, and they send again.
                logger.error("Ingest writer %s: unreadable entry %s in %s dropped", self.consumer, entry_id, stream)
                unreadable.append((stream, entry_id))
                continue
            gateway = fields.get(b"g", b"").decode()
            spans.append((gateway, fields.get(b"n", b"").decode(), len(reports), len(reports) + len(part)))
            reports.extend(part)
        if unreadable:
            dropped = set(unreadable)
            entries = [entry for entry in entries if (entry[0], entry[1]) not in dropped]
            for stream, entry_id in unreadable:
                self.client.xack(stream, GROUP, entry_id)
            if not entries:
                return 0
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
        replies: dict[str, list[tuple[str, list[Outcome]]]] = {}
        for gateway, key, start, end in spans:
            if gateway:
                replies.setdefault(gateway, []).append((key, outcomes[start:end]))
        pipe = self.client.pipeline(transaction=False)
        for gateway, items in replies.items():
            pipe.publish(REPLY_PREFIX + gateway, reply_message(items))
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
