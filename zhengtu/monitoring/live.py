"""Live events (new alerts, latest positions) for the command-center page.

In the embedded shape publisher (ingest writer) and subscribers (Server-Sent Events views) share
one process, or the writer runs in a child process that relays its events to the web process
(`relay_to`): events go through asyncio queues. When ZHENGTU_MONITORING_REDIS_URL
is set (scaled shape), events are also published on Redis, per organisation (live_channels.py):
each SSE view follows only the channels of its user's scope.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
from collections.abc import Callable, Collection
from typing import Any

from .rules import rule

logger = logging.getLogger(__name__)
QUEUE_LIMIT = 1000


class LiveBus:
    def __init__(self) -> None:
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] = set()
        self._lock = threading.Lock()
        self._redis: Any = None
        self._redis_url = ""
        self._redis_tasks: dict[int, asyncio.Task[None]] = {}
        self._relay: Callable[[list[dict[str, Any]]], None] | None = None
        self.relay_wanted = False

    @property
    def has_local_subscribers(self) -> bool:
        """Whether anyone would see a live event published here now (positions are built only then)."""
        if self._relay is not None:
            return self.relay_wanted
        return bool(self._subscribers)

    def relay_to(self, send: Callable[[list[dict[str, Any]]], None] | None) -> None:
        """In the writer's child process: hand every event to `send` (back to the web process)
        instead of this process's own subscribers, which it has none of."""
        self._relay = send

    def publish(self, events: list[dict[str, Any]]) -> None:
        """Thread-safe; never blocks the caller (a slow subscriber loses events rather than stalling ingest)."""
        if not events:
            return
        if self._relay is not None:
            self._relay(events)
        else:
            self.deliver_local(events)
        url = rule("REDIS_URL")
        if url:
            self._publish_redis(url, events)

    def deliver_local(self, events: list[dict[str, Any]]) -> None:
        """To this process's subscribers only (events relayed from the writer process arrive here)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            try:
                loop.call_soon_threadsafe(_offer_many, queue, events)
            except RuntimeError:  # the subscriber's loop has closed
                self._discard(loop, queue)

    def _publish_redis(self, url: str, events: list[dict[str, Any]]) -> None:
        try:
            if self._redis is None or self._redis_url != url:
                import redis

                self._redis, self._redis_url = redis.Redis.from_url(url), url
            from .live_channels import publish

            publish(self._redis, events)
        except Exception:  # noqa: BLE001 - live push is best effort; alerts are stored regardless
            logger.exception("Could not publish live monitoring events to Redis")
            self._redis = None

    def _discard(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._subscribers.discard((loop, queue))

    def open(self, *, organisations: Collection[int | None] | None = None) -> asyncio.Queue[dict[str, Any]]:
        """A queue receiving every event from now on, on the running event loop; `close` it when done.

        With Redis, only the events of `organisations` (their subtrees; None in it: every event;
        see live_channels.scope_channels) reach the queue; without `organisations`, every event."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[dict[str, Any]] = LiveQueue(QUEUE_LIMIT)
        url = rule("REDIS_URL")
        if url:
            task = loop.create_task(self._forward_redis(url, queue, [None] if organisations is None else organisations))
            self._redis_tasks[id(queue)] = task
        else:
            with self._lock:
                self._subscribers.add((loop, queue))
        return queue

    def close(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        task = self._redis_tasks.pop(id(queue), None)
        if task is not None:
            task.cancel()
        with self._lock:
            self._subscribers = {entry for entry in self._subscribers if entry[1] is not queue}

    async def _forward_redis(
        self, url: str, queue: asyncio.Queue[dict[str, Any]], organisations: Collection[int | None]
    ) -> None:
        from .live_channels import forward

        await forward(url, organisations, lambda event: _offer(queue, event))


def _offer_many(queue: asyncio.Queue[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    for event in events:
        _offer(queue, event)


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    if isinstance(queue, LiveQueue):
        queue.offer(event)
        return
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)


URGENT_KINDS = frozenset({"fence_breach", "sos", "tamper", "separation"})


def is_urgent(event: dict[str, Any]) -> bool:
    return event.get("type") == "alert" and event.get("kind") in URGENT_KINDS


class LiveQueue(asyncio.Queue[dict[str, Any]]):
    """A page's queue of live events, in two lanes: urgent alerts (fence, SOS, tamper,
    separation) are taken before anything else queued (offline alerts of a storm, status
    changes, positions), so they never wait behind them. When the page falls behind (thousands
    of positions a second), positions make way, never alerts: a full queue drops the new
    position, or the oldest queued position to make room for an alert or a status change. Only
    a queue full of alerts drops its oldest non-urgent one, then its oldest."""

    def _init(self, maxsize: int) -> None:
        super()._init(maxsize)  # type: ignore[misc]
        self._urgent: collections.deque[dict[str, Any]] = collections.deque()

    def _put(self, item: dict[str, Any]) -> None:
        if is_urgent(item):
            self._urgent.append(item)
        else:
            self._queue.append(item)  # type: ignore[attr-defined]

    def _get(self) -> dict[str, Any]:
        if self._urgent:
            return self._urgent.popleft()
        return self._queue.popleft()  # type: ignore[attr-defined,no-any-return]

    def qsize(self) -> int:
        return len(self._urgent) + len(self._queue)  # type: ignore[attr-defined]

    def empty(self) -> bool:
        return self.qsize() == 0

    def full(self) -> bool:
        return 0 < self.maxsize <= self.qsize()

    def offer(self, event: dict[str, Any]) -> None:
        if self.full():
            if event.get("type") == "position":
                return  # the next position of that person replaces it on the map anyway
            waiting = self._queue  # type: ignore[attr-defined]
            oldest_position = next((queued for queued in waiting if queued.get("type") == "position"), None)
            if oldest_position is not None:
                waiting.remove(oldest_position)
            elif waiting:
                waiting.popleft()
            else:
                self._urgent.popleft()
        self.put_nowait(event)


bus = LiveBus()
