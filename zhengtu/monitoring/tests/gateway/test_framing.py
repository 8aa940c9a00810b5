"""How the gateway cuts TCP byte streams into frames, over real sockets on 127.0.0.1: frames split
across many segments, several frames in one segment, bad frames between good ones, frames sent
while earlier ones are still being stored, pipelined HTTP requests, and idle connections."""

import logging
import socket
import time

from zhengtu.monitoring.models import Position
from zhengtu.monitoring.protocols import gt06, jt808
from zhengtu.monitoring.protocols.simulate import (
    gt06_heartbeat,
    gt06_location,
    gt06_login,
    jt808_location,
    osmand_query,
    watch_link,
    watch_position,
)
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import (
    RunningGateway,
    authenticate_jt808,
    receive,
    receive_jt808,
    receive_nothing,
)
from zhengtu.monitoring.tests.gateway.test_tcp import recent


def _no_delay(sock: socket.socket) -> socket.socket:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def test_a_frame_split_across_many_segments_is_stored_once_and_answered(world, gateway):
    monitored = make_monitored(world, identifier="13912345678")
    frame = jt808_location("13912345678", recent(), *HOME, serial=41)
    with _no_delay(gateway.connect("jt808")) as sock:
        authenticate_jt808(sock, "13912345678", monitored.wristband.auth_code)
        for byte in frame:  # one TCP segment per byte
            sock.sendall(bytes([byte]))
            time.sleep(0.002)
        header, body = receive_jt808(sock)
        assert (header.message_id, body) == (jt808.MSG_PLATFORM_REPLY, (41).to_bytes(2, "big") + b"\x02\x00\x00")
        assert receive_nothing(sock, 0.3) == b""  # exactly one answer
    assert Position.objects.filter(device=monitored.wristband).count() == 1


def test_two_frames_in_one_segment_are_both_stored_and_answered_in_order(world, gateway):
    monitored = make_monitored(world, identifier="13912345678")
    first = jt808_location("13912345678", recent(60), *HOME, serial=7)
    second = jt808_location("13912345678", recent(30), HOME[0] + 0.0001, HOME[1], serial=8)
    with gateway.connect("jt808") as sock:
        authenticate_jt808(sock, "13912345678", monitored.wristband.auth_code)
        sock.sendall(first + second)
        serials = [receive_jt808(sock)[1][:2] for _ in range(2)]
    assert serials == [(7).to_bytes(2, "big"), (8).to_bytes(2, "big")]
    assert Position.objects.filter(device=monitored.wristband).count() == 2


def test_a_bad_frame_between_good_ones_is_logged_and_the_good_ones_are_kept(world, gateway, caplog):
    monitored = make_monitored(world, identifier="868120000000001", protocol="gt06")
    caplog.set_level(logging.WARNING, logger="zhengtu.monitoring.gateway")
    broken = bytearray(gt06_location(recent(40), *HOME, serial=3))
    broken[-3] ^= 0xFF  # wrong CRC
    with gateway.connect("gt06") as sock:
        sock.sendall(gt06_login("868120000000001", serial=1))
        assert receive(sock, 10) == gt06.acknowledgement(gt06.MSG_LOGIN, 1)
        stream = gt06_location(recent(60), *HOME, serial=2) + bytes(broken) + gt06_heartbeat(serial=4)
        sock.sendall(stream[:25])  # the cut falls inside the first frame …
        time.sleep(0.05)
        sock.sendall(stream[25:50])  # … and inside the broken one
        time.sleep(0.05)
        sock.sendall(stream[50:])
        assert receive(sock, 10) == gt06.acknowledgement(gt06.MSG_STATUS, 4)
        # The connection still works after the bad frame.
        sock.sendall(gt06_location(recent(20), *HOME, serial=5) + gt06_heartbeat(serial=6))
        assert receive(sock, 10) == gt06.acknowledgement(gt06.MSG_STATUS, 6)
    assert Position.objects.filter(device=monitored.wristband).count() == 2
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "CRC mismatch" in logged and bytes(broken).hex() in logged
    assert gateway.gateway.counters.bad_frames == 1


def test_frames_sent_while_earlier_ones_are_stored_are_answered_in_order(world, gateway):
    make_monitored(world, identifier="8800000015", protocol="watch")
    with gateway.connect("watch") as sock:
        for battery in range(40, 100):  # 60 frames as fast as the socket takes them
            sock.sendall(watch_link("8800000015", battery=battery))
        replies = receive(sock, 60 * 23)
    assert replies == b"[SG*8800000015*0002*LK]" * 60


def test_positions_between_answered_frames_are_stored_before_the_answer(world, gateway):
    monitored = make_monitored(world, identifier="8800000015", protocol="watch")
    with gateway.connect("watch") as sock:
        sock.sendall(
            watch_position("8800000015", recent(90), *HOME)
            + watch_position("8800000015", recent(60), *HOME)
            + watch_link("8800000015")
        )
        assert receive(sock, 23) == b"[SG*8800000015*0002*LK]"
        assert Position.objects.filter(device=monitored.wristband).count() == 2


def test_pipelined_http_requests_are_answered_in_order(world, gateway):
    make_monitored(world, identifier="phone-42", protocol="osmand", kind="phone")
    known = f"GET {osmand_query('phone-42', recent(60), *HOME)} HTTP/1.1\r\nHost: gw\r\n\r\n".encode()
    unknown = f"GET {osmand_query('not-registered', recent(30), *HOME)} HTTP/1.1\r\nHost: gw\r\n\r\n".encode()
    with gateway.connect("osmand") as sock:
        sock.sendall(known + unknown + known.replace(b"GET", b"PUT", 1))
        answers = b""
        while answers.count(b"\r\n\r\n") < 3:
            chunk = sock.recv(4096)
            assert chunk
            answers += chunk
    statuses = [line.split(b" ")[1] for line in answers.split(b"\r\n") if line.startswith(b"HTTP/1.1")]
    assert statuses == [b"200", b"400", b"405"]


def test_http_refusals_close_the_connection(world, gateway):
    with gateway.connect("osmand") as sock:
        sock.sendall(b"GET /?" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n")
        assert receive(sock, 200).startswith(b"HTTP/1.1 431 ")
        assert sock.recv(100) == b""  # closed
    with gateway.connect("osmand") as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert receive(sock, 200).startswith(b"HTTP/1.1 400 ")
        assert sock.recv(100) == b""
    with gateway.connect("osmand") as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n")
        assert receive(sock, 200).startswith(b"HTTP/1.1 413 ")
        assert sock.recv(100) == b""


def test_idle_connections_are_closed(transactional_db, settings):
    settings.ZHENGTU_MONITORING_IDLE_SECONDS = 0.3
    running = RunningGateway()
    running.start()
    try:
        with running.connect("watch") as sock:
            sock.settimeout(5)
            started = time.monotonic()
            assert sock.recv(100) == b""  # the gateway closed it
            assert time.monotonic() - started < 3
        assert running.gateway.counters.open_connections == 0
    finally:
        running.stop()
