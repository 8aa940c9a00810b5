"""Device registry changes pushed to every gateway (device_feed.py), not reloaded whole."""

from __future__ import annotations

import datetime as dt
import socket

from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring.gateway.servers import Gateway
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.protocols.simulate import osmand_query
from zhengtu.monitoring.services import bind_device, register_device, update_device
from zhengtu.monitoring.streams import RedisStreamIngestor, shard_of
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive
from zhengtu.monitoring.tests.gateway.test_tcp import recent, wait_for
from zhengtu.monitoring.tests.scaled.test_streams import _writer_thread


def _osmand(running: RunningGateway, identifier: str) -> bytes:
    request = f"GET {osmand_query(identifier, recent(), *HOME)} HTTP/1.1\r\nHost: gateway\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", running.gateway.bound["osmand"]), timeout=30) as sock:
        sock.sendall(request)
        return receive(sock, 12)


def test_a_device_added_or_taken_out_on_a_page_reaches_every_gateway(transactional_db, world, redis_url):
    gateways = []
    for _ in range(2):
        running = RunningGateway()
        running.ingestor = RedisStreamIngestor(redis_url)  # type: ignore[assignment]
        running.gateway = Gateway(running.ingestor, host="127.0.0.1", ports={"osmand": 0})
        running.start()
        gateways.append(running)
    writer, stop = _writer_thread(redis_url)
    registries = [g.ingestor.registry for g in gateways]  # type: ignore[attr-defined]
    try:
        assert all(r.reloads == 1 for r in registries)  # loaded once, at start
        # Unknown to both gateways: refused at once.
        assert _osmand(gateways[1], "8612345678901") == b"HTTP/1.1 400"
        phone = register_device(
            actor=Actor(user=world.bureau_a),
            identifier="8612345678901",
            kind="phone",
            protocol="osmand",
            organisation=world.county_a,
        )
        assert wait_for(lambda: all("8612345678901" in r.known for r in registries), timeout=10)
        # Known now on the other gateway too, and stored by the writer.
        assert _osmand(gateways[1], "8612345678901") == b"HTTP/1.1 200"
        assert Position.objects.filter(device=phone).count() == 1

        update_device(actor=Actor(user=world.bureau_a), device=phone, is_active=False)
        assert wait_for(lambda: all("8612345678901" not in r.known for r in registries), timeout=10)
        assert _osmand(gateways[0], "8612345678901") == b"HTTP/1.1 400"
        assert Position.objects.filter(device=phone).count() == 1
        # Applied one by one from the change stream; no gateway reloaded the whole registry.
        assert all(r.reloads == 1 and r.changes_applied >= 2 for r in registries)
    finally:
        stop.set()
        writer.join(5)
        for running in gateways:
            running.stop()


def test_a_persons_phone_and_wristband_go_to_one_writer(transactional_db, world, redis_url):
    """Separation compares a person's two devices, fence counters are the person's: one shard for both."""
    running = RunningGateway()
    running.ingestor = RedisStreamIngestor(redis_url)  # type: ignore[assignment]
    running.gateway = Gateway(running.ingestor, host="127.0.0.1", ports={"osmand": 0})
    running.start()
    registry = running.ingestor.registry  # type: ignore[attr-defined]
    try:
        wristband = make_monitored(world, identifier="8800000301", protocol="watch")
        phone = register_device(
            actor=Actor(user=world.bureau_a),
            identifier="8612345678302",
            kind="phone",
            protocol="osmand",
            organisation=world.county_a,
        )
        now = timezone.now()
        bind_device(
            actor=Actor(user=world.bureau_a),
            device=phone,
            supervisee=wristband.supervisee,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(days=30),
        )
        key = f"p{wristband.supervisee.pk}"
        assert wait_for(
            lambda: (
                registry.known.get("8612345678302") is not None
                and registry.known["8612345678302"].shard_key == key
                and registry.known["8800000301"].shard_key == key
            ),
            timeout=10,
        )
        assert shard_of(registry.known["8612345678302"].shard_key, 8) == shard_of(
            registry.known["8800000301"].shard_key, 8
        )
    finally:
        running.stop()


def test_a_writer_re_reads_only_the_device_changed_elsewhere(transactional_db, world, redis_url):
    """A change made in another process reaches a writer as an id on the registry stream: the
    writer re-reads that device alone, and stores for it at once."""
    from zhengtu.monitoring.device_feed import publish_devices
    from zhengtu.monitoring.processing import BatchProcessor
    from zhengtu.monitoring.stream_writer import StreamWriter
    from zhengtu.monitoring.tests.conftest import location

    kept = make_monitored(world, identifier="8800000401", protocol="watch")
    changed = make_monitored(world, identifier="8800000402", protocol="watch")
    writer = StreamWriter(url=redis_url, processor=BatchProcessor())
    directory = writer.processor.directory  # type: ignore[union-attr]
    directory.refresh_if_stale()
    assert directory.full_loads == 1
    kept_entry = directory.devices_by_id[kept.wristband.pk]
    writer.step(block_ms=10)
    # Another process takes the device out of service: no signal here, only the stream says so.
    type(changed.wristband).objects.filter(pk=changed.wristband.pk).update(is_active=False)
    publish_devices(ids=[changed.wristband.pk])
    writer.step(block_ms=10)
    outcomes = writer.processor.process([location("8800000402", timezone.now(), *HOME, protocol="watch")])  # type: ignore[union-attr]
    assert not outcomes[0].known
    assert directory.full_loads == 1 and directory.changes_applied >= 1
    assert directory.devices_by_id[kept.wristband.pk] is kept_entry
    writer.release()
