"""The real gateway on ephemeral ports of 127.0.0.1, with the real ingest writer (a thread unless a test gives another)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest

from zhengtu.monitoring.gateway.servers import Gateway
from zhengtu.monitoring.ingest import Ingestor, InProcessIngestor
from zhengtu.monitoring.processing import BatchProcessor, Outcome, Report


class RunningGateway:
    def __init__(self, ingestor: Ingestor | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.ingestor = ingestor or InProcessIngestor()
        self.gateway = Gateway(self.ingestor, host="127.0.0.1", ports={"jt808": 0, "gt06": 0, "watch": 0, "osmand": 0})

    def run(self, coroutine, timeout: float = 10):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> None:
        self.thread.start()
        self.run(self.ingestor.start(), timeout=150)  # a writer process starts slowly on a busy machine
        self.run(self.gateway.start())

    def stop(self) -> None:
        self.run(self.gateway.stop())
        self.run(self.ingestor.stop(), timeout=40)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def connect(self, protocol: str) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.gateway.bound[protocol]), timeout=60)


@pytest.fixture
def gateway(transactional_db: None) -> Iterator[RunningGateway]:
    running = RunningGateway()
    running.start()
    yield running
    running.stop()


def receive(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def receive_nothing(sock: socket.socket, wait: float = 0.5) -> bytes:
    sock.settimeout(wait)
    try:
        return sock.recv(100)
    except TimeoutError:
        return b""
    finally:
        sock.settimeout(10)


def receive_jt808(sock: socket.socket) -> tuple[object, bytes]:
    """One JT/T 808 frame from the socket → (header, body)."""
    from zhengtu.monitoring.protocols import jt808

    frame = b""
    while frame.count(b"\x7e") < 2:
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("closed before a full frame")
        frame += chunk
    return jt808.parse_header(jt808.unescape(frame[1:-1])[:-1])


def authenticate_jt808(sock: socket.socket, identifier: str, code: str, serial: int = 900) -> None:
    """The JT/T 808 authentication (0x0102 → 0x8001 success) every connection needs before data."""
    from zhengtu.monitoring.protocols import jt808
    from zhengtu.monitoring.protocols.simulate import jt808_auth

    sock.sendall(jt808_auth(identifier, code, serial=serial))
    header, body = receive_jt808(sock)
    assert (header.message_id, body[-1]) == (jt808.MSG_PLATFORM_REPLY, jt808.RESULT_OK)  # type: ignore[attr-defined]


class HeldWriter(BatchProcessor):
    """The real writer, held at its next batch until released: a writer that has fallen behind."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.holding = threading.Event()

    def process(self, reports: list[Report]) -> list[Outcome]:
        self.holding.set()
        self.release.wait(30)
        return super().process(reports)


def mutate(frame: bytes, edits: list[tuple[int, int, str]]) -> bytes:
    """A frame damaged as hypothesis says: set a byte, cut the rest off, or add one."""
    data = bytearray(frame)
    for position, value, operation in edits:
        if operation == "set" and data:
            data[position % len(data)] = value
        elif operation == "cut" and data:
            del data[position % len(data) :]
        else:
            data.append(value)
    return bytes(data)
