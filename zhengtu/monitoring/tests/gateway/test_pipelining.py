"""Two submissions in flight per connection, against the real gateway on 127.0.0.1: the next
frames go to the writer while the previous ones are stored, replies keep the order of the
frames whatever order the writer answers in, a failed submission answers nothing after it, and
a device's fixes are stored in the order they were received."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone

from zhengtu.monitoring.gateway.servers import SUBMISSION_FRAMES, SUBMISSIONS_IN_FLIGHT
from zhengtu.monitoring.ingest import InProcessIngestor
from zhengtu.monitoring.models import Position
from zhengtu.monitoring.processing import Outcome, Report
from zhengtu.monitoring.protocols.simulate import jt808_auth, jt808_location, watch_position
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import HeldWriter, RunningGateway, receive_jt808, receive_nothing

NUMBER = "013912345678"


class ControlledIngestor:
    """Holds every submission until the test answers it, in whatever order the test chooses
    (the scaled shape's writers, one per shard, may answer in any order)."""

    def __init__(self) -> None:
        self.held: list[tuple[list[Report], asyncio.Future[list[Outcome]]]] = []
        self.loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        for _reports, future in self.held:
            if not future.done():
                future.cancel()

    async def submit(self, reports: list[Report], *, wanted=None) -> list[Outcome]:  # type: ignore[no-untyped-def]
        future: asyncio.Future[list[Outcome]] = asyncio.get_running_loop().create_future()
        self.held.append((reports, future))
        return await future

    def answer(self, index: int, outcome: Outcome) -> None:
        reports, future = self.held[index]
        assert self.loop is not None
        self.loop.call_soon_threadsafe(future.set_result, [outcome] * len(reports))

    def fail(self, index: int) -> None:
        _reports, future = self.held[index]
        assert self.loop is not None
        self.loop.call_soon_threadsafe(future.set_exception, RuntimeError("database is locked"))


def wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


def recent(seconds: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(seconds=seconds)).replace(microsecond=0)


STORED = Outcome(known=True, stored=1)


def _authenticated_connection(running: RunningGateway, ingestor: ControlledIngestor):  # type: ignore[no-untyped-def]
    sock = running.connect("jt808")
    sock.sendall(jt808_auth(NUMBER, "code", serial=1))
    assert wait_for(lambda: len(ingestor.held) == 1)
    ingestor.answer(0, Outcome(known=True, authenticated=True))
    assert receive_jt808(sock)[1] == bytes.fromhex("0001010200")
    return sock


@pytest.fixture
def controlled() -> Iterator[tuple[ControlledIngestor, RunningGateway]]:
    ingestor = ControlledIngestor()
    running = RunningGateway(ingestor)  # type: ignore[arg-type]
    running.start()
    try:
        yield ingestor, running
    finally:
        running.stop()


Connected = tuple[ControlledIngestor, RunningGateway, socket.socket]


@pytest.fixture
def connected(controlled: tuple[ControlledIngestor, RunningGateway]) -> Iterator[Connected]:
    """The controlled gateway with one authenticated JT/T 808 connection."""
    ingestor, running = controlled
    with _authenticated_connection(running, ingestor) as sock:
        yield ingestor, running, sock


def _two_locations_in_flight(sock: socket.socket, ingestor: ControlledIngestor) -> None:
    """Locations with serials 2 and 3, the second submitted before the first is answered (the
    authentication's submission is the first held)."""
    sock.sendall(jt808_location(NUMBER, recent(60), *HOME, serial=2))
    assert wait_for(lambda: len(ingestor.held) == 2)
    sock.sendall(jt808_location(NUMBER, recent(30), *HOME, serial=3))
    assert wait_for(lambda: len(ingestor.held) == 3)


def test_the_next_frame_goes_to_the_writer_while_the_previous_is_stored_and_replies_keep_frame_order(
    connected: Connected,
) -> None:
    ingestor, running, sock = connected
    _two_locations_in_flight(sock, ingestor)
    # The writer answers the later one first: the device hears nothing yet ...
    ingestor.answer(2, STORED)
    assert receive_nothing(sock) == b""
    # ... and once the earlier one is stored, both answers, in the order of the frames.
    ingestor.answer(1, STORED)
    replies = [receive_jt808(sock)[1] for _ in range(2)]
    assert replies == [bytes.fromhex("0002020000"), bytes.fromhex("0003020000")]


def test_frames_past_the_submissions_in_flight_wait_in_the_connection(connected: Connected) -> None:
    ingestor, running, sock = connected
    for serial in range(2, 2 + SUBMISSIONS_IN_FLIGHT):
        sock.sendall(jt808_location(NUMBER, recent(100 - serial), *HOME, serial=serial))
        assert wait_for(lambda serial=serial: len(ingestor.held) == serial)
    sock.sendall(jt808_location(NUMBER, recent(10), *HOME, serial=9))
    assert wait_for(lambda: running.gateway.counters.frames == 2 + SUBMISSIONS_IN_FLIGHT)
    assert receive_nothing(sock, 0.3) == b""
    assert len(ingestor.held) == 1 + SUBMISSIONS_IN_FLIGHT  # the last frame waits ...
    ingestor.answer(1, STORED)
    assert receive_jt808(sock)[1] == bytes.fromhex("0002020000")
    assert wait_for(lambda: len(ingestor.held) == 2 + SUBMISSIONS_IN_FLIGHT)  # ... and goes now


def test_a_failed_submission_with_another_in_flight_answers_neither_and_closes(connected: Connected) -> None:
    ingestor, running, sock = connected
    _two_locations_in_flight(sock, ingestor)
    ingestor.fail(1)  # the earlier one was not stored
    ingestor.answer(2, STORED)  # the later one was: still no answer, or the device would skip a resend
    sock.settimeout(10)
    assert sock.recv(100) == b""  # closed, nothing written


def test_an_answer_that_arrives_before_the_failure_of_an_earlier_submission_is_not_written(
    connected: Connected,
) -> None:
    ingestor, running, sock = connected
    _two_locations_in_flight(sock, ingestor)
    ingestor.answer(2, STORED)
    assert receive_nothing(sock) == b""
    ingestor.fail(1)
    sock.settimeout(10)
    assert sock.recv(100) == b""


def test_a_burst_is_decoded_and_submitted_a_few_frames_at_a_time_and_all_are_answered_in_order(
    controlled: tuple[ControlledIngestor, RunningGateway],
) -> None:
    # A device that sent a burst (the kernel buffered it while reading was paused) must not put
    # the whole burst in flight at once: the gateway's bound on reports in flight would mean nothing.
    burst = 20 * SUBMISSION_FRAMES  # about 26 KB: more than one slice decoded at a time
    ingestor, running = controlled
    with _authenticated_connection(running, ingestor) as sock:
        sock.sendall(b"".join(jt808_location(NUMBER, recent(1000 - n), *HOME, serial=2 + n) for n in range(burst)))
        in_flight = SUBMISSIONS_IN_FLIGHT * SUBMISSION_FRAMES
        # (the submissions of one turn of the event loop reach the writer together)
        assert wait_for(lambda: sum(len(reports) for reports, _f in ingestor.held[1:]) == in_flight)
        assert receive_nothing(sock, 0.3) == b""
        assert sum(len(reports) for reports, _f in ingestor.held[1:]) == in_flight  # the rest waits ...
        assert running.gateway.counters.frames < burst // 2  # ... mostly not even decoded (no receive time yet)
        answered = 1
        replies: list[bytes] = []
        while len(replies) < burst:
            assert wait_for(lambda answered=answered: len(ingestor.held) > answered)
            assert len(ingestor.held[answered][0]) <= in_flight
            ingestor.answer(answered, STORED)
            answered += 1
            for _ in range(len(ingestor.held[answered - 1][0])):
                replies.append(receive_jt808(sock)[1])
        serials = [int.from_bytes(reply[:2], "big") for reply in replies]
        assert serials == list(range(2, 2 + burst))  # every frame answered once, in the order sent


def test_a_devices_fixes_are_stored_in_the_order_received_with_two_in_flight(world, transactional_db):
    monitored = make_monitored(world, identifier="3500000077", protocol="watch")
    writer = HeldWriter()
    ingestor = InProcessIngestor(writer)
    running = RunningGateway(ingestor)
    running.start()
    gateway = running.gateway
    # Sent oldest last, so that the order of storage cannot come from the fix times.
    times = [recent(30), recent(90), recent(150), recent(210)]
    try:
        with running.connect("watch") as sock:
            sock.sendall(watch_position("3500000077", times[0], *HOME))
            assert writer.holding.wait(10)
            for count, when in enumerate(times[1:], start=2):
                sock.sendall(watch_position("3500000077", when, *HOME))
                assert wait_for(lambda count=count: gateway.counters.frames == count)
            assert gateway.counters.submissions == SUBMISSIONS_IN_FLIGHT
            writer.release.set()
            assert wait_for(lambda: ingestor.reports == len(times))
        stored = list(
            Position.objects.filter(device=monitored.wristband).order_by("pk").values_list("fix_time", flat=True)
        )
        assert stored == times
    finally:
        writer.release.set()
        running.stop()
