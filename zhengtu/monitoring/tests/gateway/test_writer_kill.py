"""kill -9 of the real writer process while devices stream fixes over TCP: what was acknowledged
is stored exactly once, and what was not is stored once the devices send it again.

The embedded shape as `serve` runs it: the gateway on 127.0.0.1 with its writer in a child
process (`ProcessIngestor`, a SQLite file). Devices are JT/T 808 terminals that send one fix at
a time and wait for its answer, as most wristbands do; a device whose connection closes connects
again, authenticates, and sends again every fix it has no answer for, in order.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import threading
import time

import pytest
from django.utils import timezone

from zhengtu.monitoring.protocols import jt808
from zhengtu.monitoring.protocols.simulate import jt808_auth, jt808_location
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import RunningGateway, receive_jt808
from zhengtu.monitoring.tests.gateway.test_writer_process import WriterDatabase
from zhengtu.monitoring.writer_process import ProcessIngestor

DEVICES = 3
FIXES = 40  # per device, one a second of fix time
KILL_AFTER = 8  # acknowledged fixes per device before the writer is frozen and killed


class Device:
    """A terminal in a thread of its own: sends its fixes in order, one at a time, and keeps
    what was acknowledged (by the serial the platform's reply names)."""

    def __init__(self, port: int, identifier: str, code: str, start: dt.datetime) -> None:
        self.port, self.identifier, self.code = port, identifier, code
        self.times = [start + dt.timedelta(seconds=index) for index in range(FIXES)]
        self.acknowledged: set[int] = set()  # indices into self.times
        self.sent: list[int] = []  # every send, resends included
        self.connections = 0
        self.lock = threading.Lock()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=f"device-{identifier}", daemon=True)

    def in_flight(self) -> set[int]:
        with self.lock:
            return set(self.sent) - self.acknowledged

    def _run(self) -> None:
        try:
            deadline = time.monotonic() + 240
            while len(self.acknowledged) < FIXES and time.monotonic() < deadline:
                try:
                    self._session()
                except OSError:  # closed unanswered (the writer died): connect again
                    time.sleep(0.1)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def _session(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=90) as sock:
            self.connections += 1
            serial = 1000 * self.connections
            sock.sendall(jt808_auth(self.identifier, self.code, serial=serial))
            header, body = _reply(sock)
            assert body[-1] == jt808.RESULT_OK, body
            with self.lock:
                unanswered = [index for index in range(FIXES) if index not in self.acknowledged]
            for index in unanswered:
                serial += 1
                with self.lock:
                    self.sent.append(index)
                sock.sendall(jt808_location(self.identifier, self.times[index], *HOME, serial=serial))
                header, body = _reply(sock)
                answered = int.from_bytes(body[0:2], "big")
                assert (header.message_id, answered, body[-1]) == (  # type: ignore[attr-defined]
                    jt808.MSG_PLATFORM_REPLY,
                    serial,
                    jt808.RESULT_OK,
                ), body
                with self.lock:
                    self.acknowledged.add(index)


def _reply(sock: socket.socket) -> tuple[object, bytes]:
    try:
        return receive_jt808(sock)
    except ConnectionError as error:  # closed before a full frame
        raise OSError(str(error)) from error


def _wait(condition, what: str, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def streaming(world, transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    people = [make_monitored(world, identifier=f"0139123450{index:02d}") for index in range(DEVICES)]
    database = WriterDatabase(tmp_path)  # after the devices exist: the writer's copy has them
    running = RunningGateway(ProcessIngestor(database.settings))
    running.start()
    yield running, database, people
    running.stop()


def _reports_held(running: RunningGateway) -> int:
    """Reports handed to the writer process and not yet answered by it."""
    ingestor = running.ingestor
    with ingestor._lock:  # type: ignore[attr-defined]
        return sum(count for items in ingestor._pending.values() for count, *_rest in items)  # type: ignore[attr-defined]


def test_a_writer_killed_mid_stream_loses_no_acknowledged_fix_and_stores_nothing_twice(streaming):
    running, database, people = streaming
    start = (timezone.now() - dt.timedelta(hours=1)).replace(microsecond=0)
    devices = [
        Device(running.gateway.bound["jt808"], person.wristband.identifier, person.wristband.auth_code, start)
        for person in people
    ]
    for device in devices:
        device.thread.start()
    _wait(lambda: all(len(device.acknowledged) >= KILL_AFTER for device in devices), "the first fixes")
    writer = running.ingestor.pid
    assert writer not in (None, os.getpid())
    # Frozen first, so that at the kill the writer holds every device's next fix for certain
    # (a kill at a random moment mostly finds it between batches, holding nothing).
    os.kill(writer, signal.SIGSTOP)
    try:
        _wait(lambda: _reports_held(running) >= DEVICES, "each device's next fix to reach the writer")
        in_flight = [device.in_flight() for device in devices]
        sends_before = [len(device.sent) for device in devices]
    finally:
        os.kill(writer, signal.SIGKILL)
    assert all(in_flight), in_flight  # every device waits for an answer the writer now cannot give
    for device in devices:
        device.thread.join(240)
        assert not device.thread.is_alive() and device.error is None, device.error
    assert running.ingestor.pid not in (None, writer)  # the gateway started a new writer itself

    for device, person, sends, held in zip(devices, people, sends_before, in_flight, strict=True):
        assert device.connections >= 2  # its connection was closed, not answered…
        assert held <= set(device.sent[sends:])  # …and what the writer held was sent again
        assert device.acknowledged == set(range(FIXES))
        pk = person.supervisee.pk
        stored = database.scalar("SELECT COUNT(*) FROM monitoring_position WHERE supervisee_id = ?", [pk])
        distinct = database.scalar(
            "SELECT COUNT(DISTINCT fix_time) FROM monitoring_position WHERE supervisee_id = ?", [pk]
        )
        # Every fix once: those acknowledged before the kill (never sent again), those the
        # writer held when it was killed (sent again; stored once even if it had committed them
        # and died before answering), and those after.
        assert (stored, distinct) == (FIXES, FIXES), f"{device.identifier}: rows, distinct fix times"
