"""Shards passing between live writers (a writer gone, a writer back, a writer added) and the
fencing token that keeps a stalled writer from storing after a shard moved on."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import redis
from django.utils import timezone

from zhengtu.monitoring.models import Alert, AlertKind, Position, ShardFence
from zhengtu.monitoring.processing import BatchRefused
from zhengtu.monitoring.stream_writer import StreamWriter, members_key
from zhengtu.monitoring.streams import GROUP, shard_of, stream_name, waiting_entries
from zhengtu.monitoring.tests.conftest import HOME, JUST_INSIDE, JUST_OUTSIDE, make_monitored
from zhengtu.monitoring.tests.gateway.test_tcp import recent
from zhengtu.monitoring.tests.scaled.test_streams import _append, _report


@pytest.fixture
def short_leases(settings):  # type: ignore[no-untyped-def]
    """Leases that lapse within the test (long enough that a turn of a few steps on a busy machine
    keeps them), and many small batches."""
    settings.ZHENGTU_MONITORING_REDIS_LEASE_SECONDS = 1.0
    settings.ZHENGTU_MONITORING_BATCH_MAX = 3


def _devices(world, prefix: str, shards: int) -> list[str]:  # type: ignore[no-untyped-def]
    identifiers = [f"{prefix}{n:02d}" for n in range(8)]
    assert {shard_of(i, shards) for i in identifiers} == set(range(shards)), "every shard gets a device"
    for identifier in identifiers:
        make_monitored(world, identifier=identifier, protocol="watch")
    return identifiers


class Feed:
    """Fixes appended as gateways append them: every device one more, 30 s after its last."""

    def __init__(self, client: redis.Redis, identifiers: list[str], shards: int) -> None:
        self.client, self.identifiers, self.shards = client, identifiers, shards
        self.start = recent(3600)
        self.sent = 0

    def send(self, rounds: int) -> None:
        for _ in range(rounds):
            for number, identifier in enumerate(self.identifiers):
                point = (HOME[0] + 0.0001 * self.sent, HOME[1] + 0.0001 * number)
                when = self.start + dt.timedelta(seconds=30 * self.sent)
                _append(self.client, _report(identifier, when, *point, timezone.now()), shards=self.shards)
            self.sent += 1


def _run(writers: list[StreamWriter], turns: int = 40) -> None:
    for _turn in range(turns):
        for writer in writers:  # turn about, as separate processes would
            writer.renew_seconds = 0  # every step (a process renews at most once a second)
            writer.step(block_ms=10)


def _assert_stored_once_in_order(identifiers: list[str], fixes: int) -> None:
    for identifier in identifiers:
        times = list(
            Position.objects.filter(device__identifier=identifier).order_by("pk").values_list("fix_time", flat=True)
        )
        assert len(times) == fixes, identifier
        assert times == sorted(times), identifier


def _step_until_stored(writer: StreamWriter) -> int:
    """The first steps take the lease and read the (empty) pending list; then the new entries."""
    for _turn in range(5):
        if stored := writer.step(block_ms=10):
            return stored
    return 0


def _nothing_pending(client: redis.Redis, shards: int) -> bool:
    """Nothing left in the streams: every entry read by a writer and acknowledged after its commit."""
    return waiting_entries(client, shards) == {}


def test_a_writer_killed_and_not_restarted_has_its_shards_stored_by_another(
    transactional_db, world, redis_url, short_leases, settings
):
    settings.ZHENGTU_MONITORING_INGEST_WRITERS = 2
    identifiers = _devices(world, "88000004", 2)
    client = redis.Redis.from_url(redis_url)
    feed = Feed(client, identifiers, 2)
    feed.send(4)
    first, second = (StreamWriter(url=redis_url, consumer=f"writer-{n}", index=n) for n in (0, 1))
    _run([first, second])
    assert (first.held, second.held) == ([0], [1])  # each its own shard while both run
    feed.send(4)
    # Writer 1 is killed (kill -9) with a batch read and not stored, and nobody starts it again.
    taken = client.xreadgroup(GROUP, "writer-1", {stream_name(1): ">"}, count=3)
    assert taken and taken[0][1]
    feed.send(4)
    time.sleep(1.2)  # its lease and its place among the live writers lapse
    _run([first])
    assert first.held == [0, 1]
    _assert_stored_once_in_order(identifiers, 12)
    assert _nothing_pending(client, 2)
    first.release()


def test_a_shard_its_live_writer_does_not_read_is_taken_after_a_lease(
    transactional_db, world, redis_url, short_leases, settings
):
    """Writer 1 counts as live (it heartbeats) but does not hold its shard (stuck before reading):
    writer 0 leaves the shard alone for a lease after seeing it unleased, then takes it."""
    settings.ZHENGTU_MONITORING_INGEST_WRITERS = 2
    identifiers = _devices(world, "88000008", 2)
    client = redis.Redis.from_url(redis_url)
    Feed(client, identifiers, 2).send(3)
    client.zadd(members_key(), {"1": 2**50})  # writer 1's heartbeat, never lapsing
    zero = StreamWriter(url=redis_url, consumer="writer-0", index=0)
    _run([zero], turns=5)
    assert zero.held == [0]  # shard 1 is writer 1's: first only marked unleased
    time.sleep(1.1)
    _run([zero])
    assert zero.held == [0, 1]
    _assert_stored_once_in_order(identifiers, 3)
    zero.release()


def test_writers_coming_and_going_rebalance_the_shards_without_a_restart(
    transactional_db, world, redis_url, short_leases, settings
):
    settings.ZHENGTU_MONITORING_REDIS_SHARDS = 4
    settings.ZHENGTU_MONITORING_INGEST_WRITERS = 2
    settings.ZHENGTU_MONITORING_REDIS_LEASE_SECONDS = 30  # nothing lapses here: every change is announced
    identifiers = _devices(world, "88000005", 4)
    client = redis.Redis.from_url(redis_url)
    feed = Feed(client, identifiers, 4)
    feed.send(2)
    zero = StreamWriter(url=redis_url, consumer="writer-0", index=0)
    _run([zero], turns=10)
    assert zero.held == [0, 1, 2, 3]  # writer 1 not started yet: writer 0 reads everything
    feed.send(2)
    one = StreamWriter(url=redis_url, consumer="writer-1", index=1)
    _run([zero, one])
    assert (zero.held, one.held) == ([0, 2], [1, 3])  # given back between two batches
    assert zero.given_back == 2
    feed.send(2)
    # A third writer, configured for three, joins the two that were never restarted.
    settings.ZHENGTU_MONITORING_INGEST_WRITERS = 3
    two = StreamWriter(url=redis_url, consumer="writer-2", index=2)
    _run([zero, one, two])
    assert (zero.held, one.held, two.held) == ([0, 3], [1], [2])
    feed.send(2)
    _run([zero, one, two])
    two.release()  # stopped (SIGTERM): the others take its shard at once
    feed.send(2)
    _run([zero, one])
    assert (zero.held, one.held) == ([0, 2], [1, 3])
    _assert_stored_once_in_order(identifiers, 10)
    assert _nothing_pending(client, 4)
    for writer in (zero, one):
        writer.release()


def test_a_writer_that_stalled_past_its_lease_cannot_commit_its_batch(
    transactional_db, world, redis_url, short_leases, settings
):
    """Writer A reads a batch and stalls (GC, swap) past its lease; B takes the shard over, stores
    A's batch and what came after it, and raises the alert. When A wakes up, its commit is refused:
    nothing stored twice, no second alert, every fix in order."""
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_FIXES = 1
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_SECONDS = 0
    settings.ZHENGTU_MONITORING_BATCH_MAX = 100  # both waiting fixes in one batch
    monitored = make_monitored(world, identifier="8800000601", protocol="watch")
    shard = shard_of("8800000601", 2)
    client = redis.Redis.from_url(redis_url)
    start = recent(3600)
    places = [JUST_INSIDE, JUST_OUTSIDE, JUST_OUTSIDE, JUST_OUTSIDE, JUST_OUTSIDE]
    fixes = [_report("8800000601", start + dt.timedelta(minutes=10 * n), *places[n], timezone.now()) for n in range(5)]
    _append(client, fixes[0])
    stalled = StreamWriter(url=redis_url, shards=[shard], consumer="writer-a")
    assert _step_until_stored(stalled) == 1  # fix 0 stored, at home
    successor = StreamWriter(url=redis_url, shards=[shard], consumer="writer-b")
    for report in fixes[1:3]:
        _append(client, report)
    assert stalled.processor is not None
    process = stalled.processor.process

    stalls = []

    def stall(reports, *, guard=None):  # type: ignore[no-untyped-def]
        stalls.append(len(reports))
        assert len(reports) == 2  # fixes 1 and 2, read and not yet stored
        time.sleep(1.2)  # … its lease lapses meanwhile
        for report in fixes[3:]:
            _append(client, report)
        for _turn in range(6):  # B takes over: A's pending batch first, then the rest
            successor.step(block_ms=10)
        assert successor.reports == 4
        return process(reports, guard=guard)

    stalled.processor.process = stall  # type: ignore[method-assign]
    while not stalls:  # (a step that finds its lease lapsed reads its pending list first)
        assert stalled.step(block_ms=10) == 0
    assert stalled.refused == 1 and stalled.held == []
    times = list(Position.objects.filter(device=monitored.wristband).order_by("pk").values_list("fix_time", flat=True))
    assert times == [r.message.fixes[0].time for r in fixes]  # each once, in order
    assert Alert.objects.filter(supervisee=monitored.supervisee, kind=AlertKind.FENCE_BREACH).count() == 1
    assert _nothing_pending(client, 2)
    successor.release()


def test_a_token_counter_lost_with_redis_continues_above_the_database(transactional_db, world, redis_url, short_leases):
    """Redis restarted without its last second may hand out a token again: the new holder sees the
    database has it, continues above it, and the earlier holder stays refused."""
    make_monitored(world, identifier="8800000701", protocol="watch")
    shard = shard_of("8800000701", 2)
    client = redis.Redis.from_url(redis_url)
    _append(client, _report("8800000701", recent(600), *HOME, timezone.now()))
    earlier = StreamWriter(url=redis_url, shards=[shard], consumer="writer-a")
    assert _step_until_stored(earlier) == 1
    assert ShardFence.objects.get(shard=shard).token == 1
    stream = stream_name(shard)
    client.delete(f"{stream}:writer", f"{stream}:token")  # lost in the restart
    later = StreamWriter(url=redis_url, shards=[shard], consumer="writer-b")
    _step_until_stored(later)
    assert later.held == [shard]
    assert ShardFence.objects.get(shard=shard).token == 2
    with pytest.raises(BatchRefused):
        earlier._fence([shard])()
    later.release()
