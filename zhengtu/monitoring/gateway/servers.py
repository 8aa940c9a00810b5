"""The device gateway: asyncio TCP listeners (JT/T 808, GT06, watch) and the OsmAnd HTTP listener.

Each connection reads, frames, decodes, hands the reports to the ingestor, waits until they
are stored, and only then writes the replies. A bad frame is logged with its raw bytes and
dropped; the connection and the rest of its data carry on.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from ..ingest import Ingestor
from ..processing import Report
from ..protocols import osmand
from ..protocols.base import FrameError
from ..rules import rule
from .sessions import SESSIONS, DecodedFrame, log_bad_frame

logger = logging.getLogger("zhengtu.monitoring.gateway")

MAX_HTTP_HEAD = 8192
MAX_HTTP_BODY = 65536


@dataclass
class GatewayCounters:
    connections: int = 0
    open_connections: int = 0
    frames: int = 0
    bad_frames: int = 0
    reports: int = 0
    by_protocol: dict[str, int] = field(default_factory=dict)


class Gateway:
    def __init__(self, ingestor: Ingestor, *, host: str | None = None, ports: dict[str, int] | None = None) -> None:
        self.ingestor = ingestor
        self.host = host or rule("LISTEN_HOST")
        self.ports = dict(ports if ports is not None else rule("PORTS"))
        self.bound: dict[str, int] = {}
        self.counters = GatewayCounters()
        self._servers: list[asyncio.Server] = []
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._max_bytes = int(rule("MAX_FRAME_BYTES"))
        self._idle = float(rule("IDLE_SECONDS"))

    async def start(self) -> None:
        for protocol, port in self.ports.items():
            if protocol == "osmand":
                server = await asyncio.start_server(self._serve_http, self.host, port, backlog=4096)
            else:
                server = await asyncio.start_server(
                    lambda r, w, p=protocol: self._serve_tcp(p, r, w),  # type: ignore[misc]
                    self.host,
                    port,
                    backlog=4096,
                )
            self._servers.append(server)
            self.bound[protocol] = server.sockets[0].getsockname()[1]
            logger.info("Monitoring gateway: %s listening on %s:%s", protocol, self.host, self.bound[protocol])

    async def stop(self) -> None:
        """Stop listening, close every device connection and let its handler finish."""
        for server in self._servers:
            server.close()
        for writer in list(self._connections.values()):
            writer.close()
        if self._connections:
            await asyncio.wait(list(self._connections), timeout=5)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
        self._servers.clear()

    def _track(self, writer: asyncio.StreamWriter) -> asyncio.Task[None] | None:
        task = asyncio.current_task()
        if task is not None:
            self._connections[task] = writer  # type: ignore[index]
        return task  # type: ignore[return-value]

    # -- TCP protocols -------------------------------------------------------------------------

    async def _serve_tcp(self, protocol: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = _peer(writer)
        session = SESSIONS[protocol](peer, self._max_bytes)
        task = self._track(writer)
        self.counters.connections += 1
        self.counters.open_connections += 1
        try:
            while True:
                try:
                    async with asyncio.timeout(self._idle):
                        data = await reader.read(65536)
                except (TimeoutError, ConnectionError):
                    break
                if not data:
                    break
                received_at = dt.datetime.now(tz=dt.UTC)
                received_monotonic = time.monotonic()
                decoded_frames: list[DecodedFrame] = []
                for item in session.frames(data):
                    if isinstance(item, FrameError):
                        self.counters.bad_frames += 1
                        log_bad_frame(protocol, peer, item)
                        continue
                    try:
                        decoded_frames.append(session.decode(item))
                    except FrameError as error:
                        self.counters.bad_frames += 1
                        log_bad_frame(protocol, peer, error)
                    except Exception:  # a decoder bug must not take the connection down
                        self.counters.bad_frames += 1
                        logger.exception("Decoder failure on %s frame from %s; raw=%s", protocol, peer, item.hex())
                if not decoded_frames:
                    continue
                self.counters.frames += len(decoded_frames)
                reports = [
                    report
                    for frame in decoded_frames
                    for report in session.reports(frame.messages, received_at, received_monotonic)
                ]
                outcomes = await self.ingestor.submit(reports) if reports else []
                self.counters.reports += len(reports)
                replies = []
                index = 0
                for frame in decoded_frames:
                    count = len(frame.messages)
                    answer = frame.reply(outcomes[index : index + count])
                    index += count
                    if answer:
                        replies.append(answer)
                if replies:
                    writer.write(b"".join(replies))
                    await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        except Exception:
            logger.exception("%s connection from %s failed", protocol, peer)
        finally:
            self._connections.pop(task, None)  # type: ignore[arg-type]
            self.counters.open_connections -= 1
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    # -- OsmAnd over HTTP ----------------------------------------------------------------------

    async def _serve_http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = _peer(writer)
        task = self._track(writer)
        self.counters.connections += 1
        self.counters.open_connections += 1
        try:
            while True:
                try:
                    async with asyncio.timeout(self._idle):
                        head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                    break
                except asyncio.LimitOverrunError:
                    await _respond(writer, 431, close=True)
                    break
                if len(head) > MAX_HTTP_HEAD:
                    await _respond(writer, 431, close=True)
                    break
                try:
                    method, target, headers = _parse_head(head)
                    length = int(headers.get("content-length", "0") or 0)
                except ValueError:
                    log_bad_frame("osmand", peer, FrameError("malformed HTTP request", head))
                    await _respond(writer, 400, close=True)
                    break
                if length > MAX_HTTP_BODY or length < 0:
                    log_bad_frame("osmand", peer, FrameError("oversized body", head))
                    await _respond(writer, 413, close=True)
                    break
                body = await reader.readexactly(length) if length else b""
                keep_alive = headers.get("connection", "").lower() != "close"
                status = await self._handle_osmand(peer, method, target, headers, body)
                await _respond(writer, status, close=not keep_alive)
                if not keep_alive:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        except Exception:
            logger.exception("OsmAnd connection from %s failed", peer)
        finally:
            self._connections.pop(task, None)  # type: ignore[arg-type]
            self.counters.open_connections -= 1
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _handle_osmand(self, peer: str, method: str, target: str, headers: dict[str, str], body: bytes) -> int:
        if method not in ("GET", "POST"):
            return 405
        received_at = dt.datetime.now(tz=dt.UTC)
        try:
            message = osmand.decode(target, headers, body, now=received_at)
        except FrameError as error:
            self.counters.bad_frames += 1
            error.raw = error.raw or (target.encode("utf-8", "replace") + b" " + body)
            log_bad_frame("osmand", peer, error)
            return 400
        self.counters.frames += 1
        outcomes = await self.ingestor.submit([Report("osmand", message, received_at, time.monotonic(), peer)])
        self.counters.reports += 1
        return 200 if outcomes and outcomes[0].known else 400


def _peer(writer: asyncio.StreamWriter) -> str:
    address = writer.get_extra_info("peername")
    return f"{address[0]}:{address[1]}" if isinstance(address, tuple) else str(address)


def _parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = lines[0].split(" ", 2)
    if not version.startswith("HTTP/"):
        raise ValueError(version)
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return method.upper(), target, headers


REASONS = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed", 413: "Payload Too Large", 431: "Too Large"}


async def _respond(writer: asyncio.StreamWriter, status: int, *, close: bool) -> None:
    connection_header = "close" if close else "keep-alive"
    writer.write(
        f"HTTP/1.1 {status} {REASONS.get(status, '')}\r\nContent-Length: 0\r\nConnection: {connection_header}\r\n\r\n".encode()
    )
    await writer.drain()
