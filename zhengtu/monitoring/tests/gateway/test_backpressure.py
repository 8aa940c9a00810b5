"""Back-pressure and exactly-once storage against the real gateway on 127.0.0.1: the gateway
stops reading when the writer is behind, stores nothing of a device that gave up before its
answer, and a resend of what was stored (after a crash, out of order) stores nothing twice."""

import datetime as dt
import socket
import time

from django.test import override_settings
from django.utils import timezone

from zhengtu.monitoring.ingest import InProcessIngestor
from zhengtu.monitoring.models import Alert, AlertKind, Position
from zhengtu.monitoring.processing import BatchProcessor, Report
from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.protocols.simulate import watch_position
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import HeldWriter, RunningGateway


def wait_for(predicate, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def at(seconds_ago: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(seconds=seconds_ago)).replace(microsecond=0)


def devices(world, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    identifiers = [f"35000000{i:02d}" for i in range(count)]
    for identifier in identifiers:
        make_monitored(world, identifier=identifier, protocol="watch")
    return identifiers


def test_a_flood_while_the_writer_is_behind_stops_reading_and_memory_stays_bounded(world, transactional_db):
    identifiers = devices(world, 6)
    writer = HeldWriter()
    with override_settings(ZHENGTU_MONITORING_MAX_IN_FLIGHT_REPORTS=3):
        running = RunningGateway(InProcessIngestor(writer))
        running.start()
    socks: list[socket.socket] = []
    try:
        for _identifier in identifiers:
            sock = running.connect("watch")
            sock.setblocking(False)
            socks.append(sock)
        sent = 0
        frames = {
            i: [watch_position(i, at(3000 - 30 * n), HOME[0] + n * 1e-5, HOME[1]) for n in range(2000)]
            for i in identifiers
        }
        gateway = running.gateway

        def held() -> bool:
            return gateway.overloaded and all(
                not c.transport.is_reading()  # type: ignore[union-attr]
                for c in gateway.connections
            )

        # Each device floods as fast as TCP lets it until the gateway holds back (a busy machine may take a
        # while to get there: wait for the state, never for a fixed time), then a little longer.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not held():
            for sock, identifier in zip(socks, identifiers, strict=True):
                try:
                    sock.send(frames[identifier][sent % 2000])
                except BlockingIOError:
                    continue
            sent += 1
        assert gateway.overloaded and gateway.counters.overloads >= 1
        # Held in the gateway: the submissions in flight (the bound, plus at most what one read
        # of each connection carried: asyncio reads up to 256 KiB at a time) and at most
        # BACKLOG_FRAMES per connection; the rest waits in the kernel and the devices.
        one_read = 256 * 1024 // len(frames[identifiers[0]][0]) + 1
        assert gateway.in_flight_reports <= 3 + len(socks) * one_read
        assert all(len(c.backlog) <= one_read + 32 for c in gateway.connections)
        assert all(not c.transport.is_reading() for c in gateway.connections)  # type: ignore[union-attr]
        decoded_while_held = gateway.counters.frames
        time.sleep(0.5)
        assert gateway.counters.frames == decoded_while_held  # reading stopped: nothing more decoded
        writer.release.set()
        assert wait_for(lambda: not gateway.overloaded and gateway.counters.frames > decoded_while_held)
    finally:
        writer.release.set()
        for sock in socks:
            sock.close()
        running.stop()


def test_frames_of_a_device_that_gave_up_are_not_stored(world, transactional_db):
    first, second = devices(world, 2)
    writer = HeldWriter()
    running = RunningGateway(InProcessIngestor(writer))
    running.start()
    try:
        with running.connect("watch") as a:
            a.sendall(watch_position(first, at(60), *HOME))
            assert writer.holding.wait(10)  # the writer is busy with a's batch
            b = running.connect("watch")
            b.sendall(watch_position(second, at(50), *HOME))
            assert wait_for(lambda: running.gateway.counters.submissions == 2)  # b's report queued
            b.close()  # b gives up before its answer
            assert wait_for(lambda: len(running.gateway.connections) == 1)  # the gateway saw it go
            writer.release.set()
            assert wait_for(lambda: running.ingestor.dropped == 1)  # type: ignore[attr-defined]
            assert wait_for(lambda: Position.objects.exists())  # a (still connected) is stored
        stored = set(Position.objects.values_list("device__identifier", flat=True))
        assert stored == {first}
    finally:
        writer.release.set()
        running.stop()


def test_resends_after_a_crash_store_nothing_twice_and_raise_no_second_alert(world, transactional_db):
    monitored = make_monitored(world, identifier="3500000099", protocol="watch")
    fixes = [Fix(at(300 - 60 * n), HOME[0] + n * 1e-4, HOME[1]) for n in range(4)]

    def report(fix: Fix, alarms: set[Alarm] | None = None) -> Report:
        message = DeviceMessage("3500000099", MessageKind.LOCATION, [fix], alarms or set())
        return Report("watch", message, timezone.now())

    writer = BatchProcessor()
    writer.process([report(fixes[0]), report(fixes[1], {Alarm.SOS}), report(fixes[2]), report(fixes[3])])
    assert Position.objects.filter(device=monitored.wristband).count() == 4
    # The writer crashes; the device got no answer for the last three and sends them again, in a
    # different order, with one of them twice; a fresh writer (nothing in memory) stores them.
    restarted = BatchProcessor()
    outcomes = restarted.process(
        [report(fixes[2]), report(fixes[1], {Alarm.SOS}), report(fixes[3]), report(fixes[1], {Alarm.SOS})]
    )
    assert [o.stored for o in outcomes] == [0, 0, 0, 0]
    assert Position.objects.filter(device=monitored.wristband).count() == 4
    assert Alert.objects.filter(kind=AlertKind.SOS).count() == 1
    # A genuinely new older fix (blind-area data) is still stored.
    (late,) = restarted.process([report(Fix(at(330), HOME[0], HOME[1] + 1e-4))])
    assert late.stored == 1
