"""The scaled shape's ingest: gateway → sharded Redis streams → writers, answered after the commit."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time

import pytest
import redis
from django.utils import timezone

from zhengtu.monitoring.gateway.servers import Gateway
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.processing import Outcome, Report
from zhengtu.monitoring.protocols.base import DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.protocols.simulate import osmand_query, watch_link, watch_position
from zhengtu.monitoring.stream_writer import StreamWriter, consume_stream
from zhengtu.monitoring.streams import (
    GROUP,
    RedisStreamIngestor,
    ShardLayoutError,
    check_layout,
    entry_fields,
    layout_key,
    read_reply,
    reply_message,
    reports_from_fields,
    shard_of,
    stream_name,
    waiting_entries,
    writer_shards,
)
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive, receive_nothing
from zhengtu.monitoring.tests.gateway.test_tcp import recent, wait_for


def _gateway(redis_url: str) -> RunningGateway:
    running = RunningGateway()
    running.ingestor = RedisStreamIngestor(redis_url)  # type: ignore[assignment]
    running.gateway = Gateway(running.ingestor, host="127.0.0.1", ports={"watch": 0, "osmand": 0})
    running.start()
    return running


def _writer_thread(redis_url: str, **kwargs) -> tuple[threading.Thread, threading.Event]:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    thread = threading.Thread(target=consume_stream, kwargs={"url": redis_url, "stop": stop, **kwargs}, daemon=True)
    thread.start()
    return thread, stop


def test_reports_flow_through_the_stream(transactional_db, world, redis_url):
    monitored = make_monitored(world, identifier="8800000015", protocol="watch")
    running = _gateway(redis_url)
    assert running.gateway.takes_packed  # the position below goes into the stream as decoded, packed
    writer, stop = _writer_thread(redis_url)
    try:
        with running.connect("watch") as sock:
            sock.sendall(watch_link("8800000015"))
            assert receive(sock, 23) == b"[SG*8800000015*0002*LK]"
            sock.sendall(watch_position("8800000015", recent(), *HOME))
        assert wait_for(lambda: Position.objects.filter(device=monitored.wristband).exists(), timeout=10)
    finally:
        stop.set()
        writer.join(5)
        running.stop()


def _osmand_get(identifier: str) -> bytes:
    return f"GET {osmand_query(identifier, recent(), *HOME)} HTTP/1.1\r\nHost: gateway\r\n\r\n".encode()


def test_a_device_is_answered_only_once_a_writer_has_committed(transactional_db, world, redis_url):
    monitored = make_monitored(world, identifier="8800000016", protocol="osmand", kind="phone")
    running = _gateway(redis_url)
    writer = stop = None
    try:
        with running.connect("osmand") as sock:
            sock.sendall(_osmand_get("8800000016"))
            # In Redis, but no writer has stored it: the phone hears nothing.
            assert receive_nothing(sock, 1.0) == b""
            assert not Position.objects.filter(device=monitored.wristband).exists()
            writer, stop = _writer_thread(redis_url)
            assert receive(sock, 15) == b"HTTP/1.1 200 OK"
            # The answer came after the writer's commit: the position is there the moment it arrives.
            assert Position.objects.filter(device=monitored.wristband).count() == 1
        client = redis.Redis.from_url(redis_url)
        shard = stream_name(shard_of("8800000016", 2))
        assert client.xpending(shard, GROUP)["pending"] == 0  # acknowledged in the group after the commit
    finally:
        if stop is not None and writer is not None:
            stop.set()
            writer.join(5)
        running.stop()


def _report(identifier: str, when: dt.datetime, lat: float, lon: float, received: dt.datetime) -> Report:
    message = DeviceMessage(identifier, MessageKind.LOCATION, [Fix(when, lat, lon)])
    return Report("watch", message, received, time.monotonic(), "127.0.0.1:1")


def _append(client, report: Report, *, shards: int = 2) -> None:  # type: ignore[no-untyped-def]
    """As a gateway appends (without waiting for the answer)."""
    client.xadd(stream_name(shard_of(report.message.identifier, shards)), {"g": "", "n": "0", **entry_fields([report])})


def test_streams_are_trimmed_to_their_bound(transactional_db, world, redis_url, settings):
    settings.ZHENGTU_MONITORING_REDIS_STREAM_MAXLEN = 20
    make_monitored(world, identifier="8800000017", protocol="watch")
    ingestor = RedisStreamIngestor(redis_url)
    writer, stop = _writer_thread(redis_url)
    start = recent(600)

    async def send() -> int:
        await ingestor.start()
        stored = 0
        try:
            for n in range(150):
                report = _report("8800000017", start + dt.timedelta(seconds=n), *HOME, timezone.now())
                outcomes = await ingestor.submit([report])
                stored += outcomes[0].stored
        finally:
            await ingestor.stop()
        return stored

    try:
        assert asyncio.run(send()) == 150
    finally:
        stop.set()
        writer.join(5)
    client = redis.Redis.from_url(redis_url)
    length = client.xlen(stream_name(shard_of("8800000017", 2)))
    assert length < 50  # 150 entries went through; about MAXLEN are kept
    assert Position.objects.filter(device__identifier="8800000017").count() == 150


def test_two_writers_each_keep_their_devices_in_order(transactional_db, world, redis_url, settings):
    """Devices spread over 2 shards, each read by its own writer: every device's fixes are stored
    in the order the gateway received them, and each writer stores only its own shard's devices."""
    settings.ZHENGTU_MONITORING_BATCH_MAX = 3  # many small batches, interleaved between the writers
    identifiers = [f"88000001{n:02d}" for n in range(8)]
    assert {shard_of(i, 2) for i in identifiers} == {0, 1}
    for identifier in identifiers:
        make_monitored(world, identifier=identifier, protocol="watch")
    client = redis.Redis.from_url(redis_url)
    start = recent(3600)
    for step in range(12):  # interleaved: device 0 fix 0, device 1 fix 0, ..., device 0 fix 1, ...
        for number, identifier in enumerate(identifiers):
            point = (HOME[0] + 0.0001 * step, HOME[1] + 0.0001 * number)
            _append(client, _report(identifier, start + dt.timedelta(seconds=30 * step), *point, timezone.now()))
    writers = [StreamWriter(url=redis_url, shards=writer_shards(n, 2, 2), consumer=f"writer-{n}") for n in (0, 1)]
    for _turn in range(40):
        for writer in writers:  # turn about, as two processes would
            writer.step(block_ms=10)
    assert [w.shards for w in writers] == [[0], [1]]
    assert [w.reports for w in writers] == [
        12 * sum(shard_of(i, 2) == 0 for i in identifiers),
        12 * sum(shard_of(i, 2) == 1 for i in identifiers),
    ]
    for identifier in identifiers:
        times = list(
            Position.objects.filter(device__identifier=identifier).order_by("pk").values_list("fix_time", flat=True)
        )
        assert len(times) == 12
        assert times == sorted(times), identifier
    for writer in writers:
        writer.release()


def test_a_dead_writers_unacknowledged_entries_are_stored_by_the_next(transactional_db, world, redis_url, settings):
    settings.ZHENGTU_MONITORING_REDIS_LEASE_SECONDS = 0.2
    monitored = make_monitored(world, identifier="8800000018", protocol="watch")
    client = redis.Redis.from_url(redis_url)
    _append(client, _report("8800000018", recent(60), *HOME, timezone.now()))
    shard = shard_of("8800000018", 2)
    first = StreamWriter(url=redis_url, shards=[shard], consumer="writer-0")
    first._renew_leases()
    # It reads the entry and dies before storing it (no commit, no XACK).
    taken = client.xreadgroup(GROUP, "writer-0", {stream_name(shard): ">"}, count=10)
    assert taken and taken[0][1]
    assert not Position.objects.filter(device=monitored.wristband).exists()
    successor = StreamWriter(url=redis_url, shards=[shard], consumer="writer-0-restarted")
    assert wait_for(lambda: successor.step(block_ms=10) > 0, timeout=5)
    assert Position.objects.filter(device=monitored.wristband).count() == 1
    assert client.xpending(stream_name(shard), GROUP)["pending"] == 0
    successor.release()


def test_writer_numbers_split_the_shards():
    assert writer_shards(0, 1, 8) == list(range(8))
    assert writer_shards(0, 2, 8) == [0, 2, 4, 6]
    assert writer_shards(1, 2, 8) == [1, 3, 5, 7]
    with pytest.raises(ValueError):
        writer_shards(2, 2, 8)


def test_more_writers_take_over_a_dead_writers_shards_in_order(transactional_db, world, redis_url, settings):
    """From one writer to two (INGEST_WRITERS 1 → 2) while entries wait, the first writer killed
    with a batch read and not stored: every device's fixes are still stored once and in order."""
    settings.ZHENGTU_MONITORING_BATCH_MAX = 3
    settings.ZHENGTU_MONITORING_REDIS_LEASE_SECONDS = 0.2
    identifiers = [f"88000002{n:02d}" for n in range(6)]
    assert {shard_of(i, 2) for i in identifiers} == {0, 1}
    for identifier in identifiers:
        make_monitored(world, identifier=identifier, protocol="watch")
    client = redis.Redis.from_url(redis_url)
    start = recent(3600)
    for step in range(10):
        for number, identifier in enumerate(identifiers):
            point = (HOME[0] + 0.0001 * step, HOME[1] + 0.0001 * number)
            _append(client, _report(identifier, start + dt.timedelta(seconds=30 * step), *point, timezone.now()))
    alone = StreamWriter(url=redis_url, shards=writer_shards(0, 1, 2), consumer="writer-0")
    for _turn in range(3):
        alone.step(block_ms=10)
    # Killed with a batch of each stream read and not stored (no commit, no XACK, no lease released).
    taken = client.xreadgroup(GROUP, "writer-0", {stream_name(0): ">", stream_name(1): ">"}, count=4)
    assert sum(len(entries) for _stream, entries in taken) == 8
    time.sleep(0.3)  # its leases lapse
    writers = [StreamWriter(url=redis_url, shards=writer_shards(n, 2, 2), consumer=f"writer-{n}") for n in (0, 1)]
    for _turn in range(40):
        for writer in writers:
            writer.step(block_ms=10)
    for identifier in identifiers:
        times = list(
            Position.objects.filter(device__identifier=identifier).order_by("pk").values_list("fix_time", flat=True)
        )
        assert len(times) == 10, identifier
        assert times == sorted(times), identifier
    assert all(client.xpending(stream_name(s), GROUP)["pending"] == 0 for s in (0, 1))
    for writer in writers:
        writer.release()


def test_a_change_of_shard_count_is_refused_while_reports_wait(transactional_db, world, redis_url, settings):
    make_monitored(world, identifier="8800000301", protocol="watch")
    client = redis.Redis.from_url(redis_url)
    check_layout(client)  # the first process adopts REDIS_SHARDS = 2
    _append(client, _report("8800000301", recent(60), *HOME, timezone.now()))
    settings.ZHENGTU_MONITORING_REDIS_SHARDS = 4
    with pytest.raises(ShardLayoutError, match="1 report entries wait"):
        check_layout(client)
    assert client.get(layout_key()) == b"2"
    # The writers of the old layout store what waits; then the new count is taken.
    old = StreamWriter(url=redis_url, shards=[0, 1], consumer="writer-0")
    assert wait_for(lambda: old.step(block_ms=10) > 0, timeout=5)
    old.release()
    assert waiting_entries(client, 2) == {}
    check_layout(client)
    assert client.get(layout_key()) == b"4"
    # A gateway still appending with the old count blocks the next change.
    client.set(f"{layout_key()}:gateway:old1", 4, ex=5)
    settings.ZHENGTU_MONITORING_REDIS_SHARDS = 8
    with pytest.raises(ShardLayoutError, match="old1 still append"):
        check_layout(client)


def test_a_gateway_refuses_to_start_with_another_shard_count(transactional_db, world, redis_url, settings):
    client = redis.Redis.from_url(redis_url)
    check_layout(client)
    _append(client, _report("8800000302", recent(60), *HOME, timezone.now()))
    settings.ZHENGTU_MONITORING_REDIS_SHARDS = 3
    ingestor = RedisStreamIngestor(redis_url)
    with pytest.raises(ShardLayoutError):
        asyncio.run(ingestor.start())


def test_an_entry_carries_the_reports_whole_and_the_receive_time_across_processes():
    received = timezone.now() - dt.timedelta(seconds=2)
    report = _report("8800000030", recent(60), *HOME, received)
    report.message.extra = {"auth_code": "a1b2", "secret_hash": "h", "raw": "not carried"}
    report.received_monotonic = -1.0  # the gateway's own clock: meaningless in a writer elsewhere
    fields = {
        key.encode(): value.encode() if isinstance(value, str) else value
        for key, value in entry_fields([report]).items()
    }
    (back,) = reports_from_fields(fields)
    assert back.message.identifier == "8800000030"
    assert back.message.fixes == report.message.fixes
    assert back.received_at == received
    assert back.message.extra == {"auth_code": "a1b2", "secret_hash": "h"}
    # Turned into this process's monotonic clock: about two seconds ago.
    assert 1.5 < time.monotonic() - back.received_monotonic < 10


def test_an_entry_appended_by_an_earlier_gateway_in_json_is_still_stored(transactional_db, world, redis_url):
    monitored = make_monitored(world, identifier="8800000031", protocol="watch")
    when = recent(60)
    legacy = [
        {
            "p": "watch",
            "i": "8800000031",
            "k": "location",
            "a": [],
            "b": None,
            "s": False,
            "r": timezone.now().timestamp(),
            "ra": "127.0.0.1:1",
            "u": True,
            "x": {},
            "f": [[when.timestamp(), HOME[0], HOME[1], True, 0.0, 0.0, 0.0, None, None]],
        }
    ]
    client = redis.Redis.from_url(redis_url)
    client.xadd(stream_name(shard_of("8800000031", 2)), {"g": "", "n": "0", "reports": json.dumps(legacy)})
    writer = StreamWriter(url=redis_url, consumer="writer-upgraded")
    assert wait_for(lambda: writer.step(block_ms=10) > 0, timeout=5)
    assert Position.objects.filter(device=monitored.wristband, fix_time=when.replace(microsecond=0)).count() == 1
    writer.release()


def test_an_unreadable_entry_is_dropped_and_the_shard_carries_on(transactional_db, world, redis_url):
    monitored = make_monitored(world, identifier="8800000032", protocol="watch")
    client = redis.Redis.from_url(redis_url)
    stream = stream_name(shard_of("8800000032", 2))
    client.xadd(stream, {"g": "", "n": "0", "h": b"\x00\x01garbage", "t": "[[],{}]"})
    _append(client, _report("8800000032", recent(60), *HOME, timezone.now()))
    writer = StreamWriter(url=redis_url, consumer="writer-carries-on")
    assert wait_for(
        lambda: Position.objects.filter(device=monitored.wristband).exists() or writer.step(block_ms=10) < 0, timeout=5
    )
    assert Position.objects.filter(device=monitored.wristband).count() == 1
    assert client.xpending(stream, GROUP)["pending"] == 0  # the bad entry is acknowledged too: never read again
    writer.release()


def test_a_reply_carries_each_submissions_outcomes_and_a_handed_out_code():
    first = [Outcome(known=True, stored=1), Outcome(known=False), Outcome(known=True, stored=2, rejected=1)]
    second = [Outcome(known=True, auth_code="k9x2", registration=0), Outcome(known=True, refused=True)]
    back = read_reply(reply_message([("17", first), ("18", second)]))
    assert back == [("17", first), ("18", second)]


def test_a_submission_over_two_shards_is_answered_once_both_writers_have_committed(transactional_db, world, redis_url):
    identifiers = [f"88000001{n}" for n in range(40, 48)]
    for identifier in identifiers:
        make_monitored(world, identifier=identifier, protocol="watch")
    when = recent(120)

    async def scenario() -> list[Outcome]:
        ingestor = RedisStreamIngestor(redis_url)
        await ingestor.start()
        try:
            assert wait_for(lambda: set(identifiers) <= set(ingestor.registry.known), timeout=5)
            known = ingestor.registry.known
            assert {shard_of(known[i].shard_key or i, 2) for i in identifiers} == {0, 1}  # the person's shard
            reports = [_report(i, when, *HOME, timezone.now()) for i in identifiers]
            reports.append(_report("8800009999", when, *HOME, timezone.now()))  # nobody's: answered at once
            answer = asyncio.ensure_future(ingestor.submit(reports))
            shard_zero = StreamWriter(url=redis_url, shards=[0], consumer="writer-0")
            for _ in range(20):
                await asyncio.to_thread(shard_zero.step, 10)
            await asyncio.sleep(0.3)
            assert not answer.done()  # shard 1's devices are not stored yet: nobody hears anything
            shard_one = StreamWriter(url=redis_url, shards=[1], consumer="writer-1")
            for _ in range(20):
                await asyncio.to_thread(shard_one.step, 10)
                if answer.done():
                    break
            outcomes = await asyncio.wait_for(answer, 5)
            shard_zero.release()
            shard_one.release()
            return outcomes
        finally:
            await ingestor.stop()

    outcomes = asyncio.run(scenario())
    assert [o.stored for o in outcomes] == [1] * 8 + [0]
    assert [o.known for o in outcomes] == [True] * 8 + [False]


def test_a_submission_no_writer_stores_in_time_closes_its_connection_unanswered(
    transactional_db, world, redis_url, settings
):
    settings.ZHENGTU_MONITORING_REDIS_REPLY_TIMEOUT_SECONDS = 1
    make_monitored(world, identifier="8800000150", protocol="watch")
    running = _gateway(redis_url)  # and no writer at all
    try:
        with running.connect("watch") as sock:
            sock.sendall(watch_position("8800000150", recent(), *HOME))
            # No answer, then the gateway gives up and closes: the device will send it again.
            sock.settimeout(10)
            assert sock.recv(100) == b""  # closed (a connection left open would time out here)
        assert running.ingestor.timeouts == 1  # type: ignore[attr-defined]
    finally:
        running.stop()
