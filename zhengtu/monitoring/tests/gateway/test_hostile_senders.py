"""Hostile senders against the real gateway on 127.0.0.1: bad frames are counted and sampled
(not logged whole), invented identifiers do not grow the list of unknown devices, idle and
half-open connections are capped and closed, and the listen address and ports come from the
environment."""

import logging
import os
import socket
import subprocess
import sys
import time

from django.test import override_settings

from zhengtu.monitoring.gateway.sessions import BadFrameLog
from zhengtu.monitoring.models import Position, UnknownDevice
from zhengtu.monitoring.protocols.base import FrameError
from zhengtu.monitoring.protocols.simulate import gt06_location, gt06_login, watch_link
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive
from zhengtu.monitoring.tests.gateway.test_tcp import recent


def wait_for(predicate, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def closed_by_peer(sock: socket.socket, timeout: float = 10.0) -> bool:
    sock.settimeout(timeout)
    try:
        while True:
            if not sock.recv(4096):
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_flood_of_bad_frames_is_counted_and_only_sampled_into_the_log(world, gateway, caplog):
    caplog.set_level(logging.WARNING, logger="zhengtu.monitoring.gateway")
    junk = b"\x78\x78" + bytes(200)  # GT06 start bytes and nonsense: each one a bad frame
    sent = 0
    for _connection in range(4):
        with gateway.connect("gt06") as sock:
            for _ in range(40):
                try:
                    sock.sendall(b"\x78\x78\x05\x01\x00\x01\x00\x00\x0d\x0a" + junk[:20])
                    sent += 1
                except OSError:
                    break  # the gateway closed a connection that sends nothing but bad frames
            closed_by_peer(sock, 5)
    assert wait_for(lambda: gateway.gateway.counters.bad_frames >= 16)
    logged = [r for r in caplog.records if "Dropped gt06 frame" in r.getMessage()]
    assert 1 <= len(logged) <= 10  # sampled, not one line per frame
    assert all(len(r.getMessage()) < 400 for r in logged)  # and never the whole frame
    assert gateway.gateway.counters.closed_hostile >= 1


def test_the_sampled_log_says_how_many_frames_it_left_out(caplog):
    caplog.set_level(logging.WARNING, logger="zhengtu.monitoring.gateway")
    log = BadFrameLog(samples=3)
    for i in range(50):
        log.record("jt808", "10.0.0.1:1", FrameError("checksum mismatch", bytes(5000)), now=100.0 + i * 0.1)
    log.record("jt808", "10.0.0.1:1", FrameError("checksum mismatch", b"\x7e"), now=200.0)
    messages = [r.getMessage() for r in caplog.records]
    assert sum("Dropped" in m for m in messages) == 4  # 3 in the first minute, 1 in the next
    assert any("47 more bad device frames" in m for m in messages)
    assert log.counts[("jt808", "checksum mismatch")] == 51
    assert max(len(m) for m in messages) < 300  # 64 bytes sampled of a 5,000-byte frame


def test_invented_identifiers_do_not_grow_the_list_of_unknown_devices(world, gateway):
    with override_settings(ZHENGTU_MONITORING_UNKNOWN_DEVICES_MAX=5):
        for start in range(0, 12, 3):
            with gateway.connect("watch") as sock:
                for i in range(start, start + 3):
                    sock.sendall(watch_link(f"99{i:08d}"))
                time.sleep(0.3)
        assert wait_for(lambda: UnknownDevice.objects.count() == 5)
        time.sleep(0.5)
    assert UnknownDevice.objects.count() == 5


def test_a_connection_sending_only_unknown_devices_is_closed(world, gateway):
    with gateway.connect("watch") as sock:
        try:
            for i in range(40):
                sock.sendall(watch_link(f"88{i:08d}"))
                time.sleep(0.01)
        except OSError:
            pass
        assert closed_by_peer(sock)
    assert gateway.gateway.counters.closed_hostile == 1


def test_idle_connections_are_capped_per_address_and_closed_after_the_handshake_time(world, transactional_db):
    monitored = make_monitored(world, identifier="868120000000001", protocol="gt06")
    with override_settings(
        ZHENGTU_MONITORING_MAX_UNPROVEN_PER_ADDRESS=3,
        ZHENGTU_MONITORING_HANDSHAKE_SECONDS=1.0,
    ):
        running = RunningGateway()
        running.start()
    try:
        idle = [running.connect("gt06") for _ in range(3)]
        assert wait_for(lambda: running.gateway.unproven_total == 3)
        refused = running.connect("gt06")  # a fourth from the same address
        assert closed_by_peer(refused, 5)
        assert running.gateway.counters.refused_connections >= 1
        # A real device (logged in and reporting) is not held back by the idle ones once they are
        # gone, and stays connected after the handshake time.
        assert all(closed_by_peer(sock, 10) for sock in idle)  # silent: closed after 1 s
        assert running.gateway.counters.closed_unproven == 3
        with running.connect("gt06") as device:
            device.sendall(gt06_login("868120000000001", serial=1))
            assert receive(device, 10)
            time.sleep(2.0)
            device.sendall(gt06_location(recent(), *HOME, serial=2))
            assert wait_for(lambda: Position.objects.filter(device=monitored.wristband).exists())
        for sock in (*idle, refused):
            sock.close()
    finally:
        running.stop()


def test_listen_address_and_ports_come_from_the_environment(tmp_path):
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhengtu.settings.test'); django.setup();"
        "from zhengtu.monitoring.rules import rule; print(rule('LISTEN_HOST'), sorted(rule('PORTS').items()))"
    )
    env = {
        **os.environ,
        "ZHENGTU_GATEWAY_BIND": "0.0.0.0",  # noqa: S104 - what an installation would set
        "ZHENGTU_GATEWAY_JT808_PORT": "6015",
        "ZHENGTU_GATEWAY_OSMAND_PORT": "6055",
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "0.0.0.0 [('gt06', 5023), ('jt808', 6015), ('osmand', 6055), ('watch', 5093)]"
