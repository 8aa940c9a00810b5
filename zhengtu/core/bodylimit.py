"""Refusing oversized request bodies before Django reads (and spools to disk) any of them.

Django's ASGI handler reads the whole body into a temporary file before any middleware runs, so a
200 MB POST, even from someone not signed in, used to be written to disk (twice) before being
refused. `RequestBodyLimit` wraps the ASGI application: a declared Content-Length above the limit
gets 413 at once without reading a byte; a body sent without a length is counted as it arrives
and cut off (413) as soon as it passes the limit.

The limit is `ZHENGTU_REQUEST_BODY_MAX_BYTES` (25 MB: the largest ordinary upload is 20 MB).
Paths that legitimately take more (videos for online education) get an allowance, by prefix:
in settings (`ZHENGTU_REQUEST_BODY_LIMITS = {"/education/videos/upload/": 2 * 1024**3}`) or from
an app's `ready()` through `allow_larger_bodies(prefix, max_bytes)`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]  # loose: Django types its handler with dict and Mapping

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
_allowances: dict[str, int] = {}


def allow_larger_bodies(path_prefix: str, max_bytes: int) -> None:
    """Let requests under `path_prefix` carry up to `max_bytes` (call from an AppConfig.ready())."""
    _allowances[path_prefix] = max_bytes


def body_limit_for(path: str) -> int:
    allowances = {**_allowances, **(getattr(settings, "ZHENGTU_REQUEST_BODY_LIMITS", {}) or {})}
    matching = [prefix for prefix in allowances if path.startswith(prefix)]
    if matching:
        return int(allowances[max(matching, key=len)])
    return int(getattr(settings, "ZHENGTU_REQUEST_BODY_MAX_BYTES", DEFAULT_MAX_BYTES))


async def _refuse(send: Send, limit: int) -> None:
    body = f"Request body too large: at most {limit // (1024 * 1024)} MB.\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestBodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    await _refuse(send, limit)
                    return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True  # Django sees a disconnect and drops what it read so far
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counting_receive, watching_send)
        if exceeded and not started:
            await _refuse(send, limit)
