"""HTTP/1.1 request framing for the OsmAnd listener: heads, bodies, keep-alive, refusals.

Requests are cut out of the connection's byte stream as they complete; each becomes a frame
whose reply is the HTTP response (200 once stored for a registered device, 400 otherwise). A
request the gateway cannot take (head too long, malformed, body too large) is answered with
its status and the connection is closed after it, as a browser or phone app expects.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from ..handoff import PackedReport
from ..processing import Outcome, Report
from ..protocols import osmand
from ..protocols.base import FrameError
from . import packed
from .sessions import DecodedFrame, GatewayReport

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)

if TYPE_CHECKING:
    from .servers import Connection, Pending

MAX_HTTP_HEAD = 8192
MAX_HTTP_BODY = 65536

REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    431: "Too Large",
}


def response(status: int, *, close: bool) -> bytes:
    connection_header = "close" if close else "keep-alive"
    return (
        f"HTTP/1.1 {status} {REASONS.get(status, '')}\r\nContent-Length: 0\r\nConnection: {connection_header}\r\n\r\n"
    ).encode()


_RESPONSES = {(status, close): response(status, close=close) for status in REASONS for close in (False, True)}


def parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
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


def _fixed(status: int, *, close: bool) -> DecodedFrame:
    answer = _RESPONSES[(status, close)]
    return DecodedFrame([], lambda _outcomes: answer, close)


class HttpRequestReader:
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.finished = False  # a response that closes the connection is queued: ignore the rest

    def feed(self, data: bytes, connection: Connection) -> Pending:
        if self.finished:
            return []
        buffer = self.buffer
        buffer += data
        pending: Pending = []
        while buffer:
            end = buffer.find(b"\r\n\r\n")
            if end < 0 or end + 4 > MAX_HTTP_HEAD:
                if len(buffer) > MAX_HTTP_HEAD or end >= 0:
                    pending.append((_fixed(431, close=True), []))
                    self._finish()
                break
            head = bytes(buffer[: end + 4])
            try:
                method, target, headers = parse_head(head)
                length = int(headers.get("content-length", "0") or 0)
            except ValueError:
                connection.bad_frame(FrameError("malformed HTTP request", head))
                pending.append((_fixed(400, close=True), []))
                self._finish()
                break
            if length > MAX_HTTP_BODY or length < 0:
                connection.bad_frame(FrameError("oversized body", head))
                pending.append((_fixed(413, close=True), []))
                self._finish()
                break
            if len(buffer) < end + 4 + length:
                break
            body = bytes(buffer[end + 4 : end + 4 + length])
            del buffer[: end + 4 + length]
            keep_alive = headers.get("connection", "").lower() != "close"
            pending.append(self._request(connection, method, target, headers, body, close=not keep_alive))
            if not keep_alive:
                self._finish()
                break
        return pending

    def _finish(self) -> None:
        self.finished = True
        self.buffer.clear()

    @staticmethod
    def _request(
        connection: Connection, method: str, target: str, headers: dict[str, str], body: bytes, *, close: bool
    ) -> tuple[DecodedFrame, list[GatewayReport]]:
        if method not in ("GET", "POST"):
            return _fixed(405, close=close), []
        received_us = time.time_ns() // 1000
        monotonic = time.monotonic()
        ok, refused, forbidden = _RESPONSES[(200, close)], _RESPONSES[(400, close)], _RESPONSES[(403, close)]

        def reply(outcomes: list[Outcome]) -> bytes:
            if not outcomes or not outcomes[0].known:
                return refused
            return forbidden if outcomes[0].refused else ok

        if connection.gateway.takes_packed:  # the usual position straight into its hand-off record
            taken = packed.osmand_location(target, headers, body, received_us, monotonic)
            if taken is not None:
                record, identifier, extra = taken
                return DecodedFrame([], reply, close), [PackedReport(record, identifier, connection.peer, extra)]
        received_at = _EPOCH + received_us * _MICROSECOND
        try:
            message = osmand.decode(target, headers, body, now=received_at)
        except FrameError as error:
            error.raw = error.raw or (target.encode("utf-8", "replace") + b" " + body)
            connection.bad_frame(error)
            return _fixed(400, close=close), []
        report = Report("osmand", message, received_at, monotonic, connection.peer)
        return DecodedFrame([message], reply, close), [report]
