"""A faster lane through Django's ASGI handler for small, frequent, synchronous JSON requests.

Under ASGI Django runs every request in a new thread of its own (one `ThreadSensitiveContext` per
request) and, because the middleware stack mixes synchronous and asynchronous middleware, hops
between that thread and the event loop about six times per request (the sync-only middleware, then
`MessageMiddleware` and `XFrameOptionsMiddleware` in async mode, then the sync view). For a page
this is lost in the rendering; for a study page's heartbeat (2,000 people, one every 15 s: 133 a
second on one machine) the hops, the new thread and the new database connection of every request
were about half of the web process's CPU.

Paths registered here (from an app's `ready()`, `run_in_one_thread(regex)`) go through a second
handler that loads the SAME middleware in synchronous mode, exactly as under WSGI, and runs the
whole request — `request_started`, the middleware, the view, `request_finished` — in ONE call on a
small fixed pool of threads. So the middleware, the CSRF and session checks, the view and the
response are those of every other request; only the thread hopping goes. Database connections
follow `CONN_MAX_AGE` as under WSGI (closed after each request when it is 0, kept per pool thread
otherwise, and at least `ZHENGTU_SYNC_LANE_CONN_MAX_AGE` seconds in the lane's own threads), which also
bounds them by the pool size (`ZHENGTU_SYNC_LANE_THREADS`, 4). `ZHENGTU_SYNC_LANE = False` turns the lane off.

Streaming responses never take this lane's short cut: their `close()` runs after they are sent.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import connections
from django.http import HttpRequest, HttpResponseBase
from django.urls import set_script_prefix

_patterns: list[re.Pattern[str]] = []
_lanes: list[SyncLaneHandler] = []


def run_in_one_thread(path_regex: str) -> None:
    """Send requests whose path matches `path_regex` (re.match) through the sync lane."""
    _patterns.append(re.compile(path_regex))


def takes_lane(scope: dict[str, Any]) -> bool:
    if scope.get("type") != "http" or not _patterns:
        return False
    path = scope.get("path", "")
    return any(pattern.match(path) for pattern in _patterns)


class SyncLaneHandler(ASGIHandler):
    """Django's ASGI handler with its middleware loaded synchronously, run in one thread per request."""

    def __init__(self) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self._executor = ThreadPoolExecutor(
            max_workers=int(getattr(settings, "ZHENGTU_SYNC_LANE_THREADS", 4)), thread_name_prefix="synclane"
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None
            body_file.close()
            await self.send_response(error_response, send)
            return
        try:
            response = await sync_to_async(self._respond, thread_sensitive=False, executor=self._executor)(
                request, scope
            )
            await self.send_response(response, send)
            if response.streaming:
                await sync_to_async(response.close, thread_sensitive=False, executor=self._executor)()
        finally:
            body_file.close()

    def close_connections(self) -> None:
        """Close the database connections the lane's threads keep (tests, shutdown)."""
        for _ in range(self._executor._max_workers):
            self._executor.submit(connections.close_all).result()

    def _respond(self, request: HttpRequest, scope: Any) -> HttpResponseBase:
        # As Django's WSGI handler: the signals (close_old_connections among their receivers) in the
        # thread that uses the connection.
        signals.request_started.send(sender=self.__class__, scope=scope)
        response = self.get_response(request)
        _keep_connections()
        if not response.streaming:
            # The content is already bytes: closing now sends request_finished in this same thread.
            response.close()
        return response


def _keep_connections() -> None:
    """Keep this pool thread's database connections for `ZHENGTU_SYNC_LANE_CONN_MAX_AGE` seconds (60).

    With `CONN_MAX_AGE` 0 (the embedded shape: SQLite, where Django's per-request threads under ASGI could
    not reuse a connection anyway) every heartbeat opened SQLite, ran its PRAGMAs and, closing the last
    connection, checkpointed the WAL. The lane's threads are few and long-lived, so they keep one connection
    each; `close_old_connections` still drops a connection after an error or once it is this old.
    """
    max_age = float(getattr(settings, "ZHENGTU_SYNC_LANE_CONN_MAX_AGE", 60))
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is None or connection.settings_dict.get("CONN_MAX_AGE") != 0:
            continue
        if getattr(connection, "_synclane_kept", None) is not raw:
            connection._synclane_kept = raw  # type: ignore[attr-defined]
            connection.close_at = time.monotonic() + max_age


def close_lane_connections() -> None:
    """Close the database connections kept by the lanes' threads (tests, shutdown)."""
    for lane in _lanes:
        lane.close_connections()


def with_sync_lane(django_application: Any) -> Any:
    """The ASGI application: registered paths through the sync lane, everything else through Django's handler."""
    if not getattr(settings, "ZHENGTU_SYNC_LANE", True):
        return django_application
    lane = SyncLaneHandler()

    async def application(scope: Any, receive: Any, send: Any) -> None:
        if takes_lane(scope):
            await lane(scope, receive, send)
        else:
            await django_application(scope, receive, send)

    _lanes.append(lane)
    return application
