"""The gateway and the writer work at the same time even when reading never lets the event loop
come round. Under load uvloop runs every read callback epoll reports (up to 48 × 1,024 in a
turn) before any callback queued with `call_soon`: the benchmark's gateway decoded its whole
saturation phase before the first submission left, and the writer then stored it while the
gateway waited. Here one "turn" is a single callback that feeds many connections, as such a
turn does; nothing queued on the loop runs until it ends."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

from zhengtu.monitoring.gateway.servers import SUBMISSION_REPORTS, DeviceConnection, Gateway
from zhengtu.monitoring.gateway.sessions import Jt808Session
from zhengtu.monitoring.handoff import Answer, deliver, deliveries
from zhengtu.monitoring.processing import Outcome, Report
from zhengtu.monitoring.protocols.simulate import jt808_location
from zhengtu.monitoring.writer_process import resolve_all

WHEN = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


class HandingIngestor:
    """Takes submissions as `submit_now` does and keeps them for the test to answer."""

    def __init__(self) -> None:
        self.handed: list[tuple[list[Report], Answer]] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def submit(self, reports: list[Report], *, wanted=None) -> list[Outcome]:  # type: ignore[no-untyped-def]
        raise AssertionError("the gateway waited on a future instead of handing the reports over")

    def submit_now(self, reports: list[Report], *, wanted, answer: Answer) -> bool:  # type: ignore[no-untyped-def]
        self.handed.append((reports, answer))
        return True


class Transport:
    """What the gateway uses of a socket's transport."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.written = b""
        self.reading = True

    def get_extra_info(self, name: str) -> object:
        return ("203.0.113.9", self.port) if name == "peername" else None

    def is_closing(self) -> bool:
        return False

    def is_reading(self) -> bool:
        return self.reading

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None: ...

    def abort(self) -> None: ...


def test_reports_leave_and_stored_ones_are_answered_within_one_long_turn_of_reads(settings) -> None:
    settings.ZHENGTU_MONITORING_MAX_UNPROVEN_PER_ADDRESS = 10_000
    ingestor = HandingIngestor()
    gateway = Gateway(ingestor, host="127.0.0.1", ports={})  # type: ignore[arg-type]
    devices = SUBMISSION_REPORTS + 50

    async def one_turn_of_reads() -> None:
        await gateway.start()
        connections = []
        for index in range(devices):
            connection = DeviceConnection(gateway, Jt808Session)
            connection.connection_made(Transport(40_000 + index))  # type: ignore[arg-type]
            connection.data_received(jt808_location(f"0139{index:08d}", WHEN, 28.0, 110.5, serial=index + 1))
            connections.append(connection)
            if index + 1 == SUBMISSION_REPORTS:
                # The writer has work while the reads go on, not after them.
                assert len(ingestor.handed) == 1
                assert len(ingestor.handed[0][0]) == SUBMISSION_REPORTS
        # The writer stores them, and its answer comes from another thread (its receiver).
        reports, answer = ingestor.handed[0]
        answering = threading.Thread(
            target=deliver,
            args=(asyncio.get_running_loop(), resolve_all, [(answer, [Outcome(True, stored=1)] * len(reports))]),
        )
        answering.start()
        answering.join()
        # The next read answers them, still within the same turn.
        late = DeviceConnection(gateway, Jt808Session)
        late.connection_made(Transport(50_000))  # type: ignore[arg-type]
        late.data_received(jt808_location("013999999999", WHEN, 28.0, 110.5, serial=7))
        answered = [c for c in connections if c.transport.written]  # type: ignore[union-attr]
        assert len(answered) == SUBMISSION_REPORTS
        assert all(c.transport.written.startswith(b"\x7e\x80\x01") for c in answered)  # type: ignore[union-attr]
        assert not any(c.transport.written for c in connections[SUBMISSION_REPORTS:])  # type: ignore[union-attr]
        assert gateway.in_flight_reports == 0  # the bound on reports in flight sees them go at once

    asyncio.run(one_turn_of_reads())


def test_an_answer_that_fails_leaves_the_read_that_ran_it_and_the_next_answers_alone(caplog) -> None:
    answered: list[str] = []

    def broken() -> None:
        raise RuntimeError("a reply could not be built")

    async def run() -> None:
        loop = asyncio.get_running_loop()
        box = deliveries(loop)
        deliver(loop, broken)
        deliver(loop, answered.append, "next")
        box.run()  # as a read callback does: it must not raise into the connection reading
        assert answered == ["next"]

    asyncio.run(run())
    assert "Handing a stored submission back to its connections failed" in caplog.text
