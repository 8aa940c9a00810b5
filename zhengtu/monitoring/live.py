"""Live events (new alerts, latest positions) for the command-center page.

In the embedded shape publisher (ingest writer thread) and subscribers (Server-Sent Events
views) share one process: events go through asyncio queues. When ZHENGTU_MONITORING_REDIS_URL
is set (scaled shape), events are also published on a Redis channel that SSE views of every web
process listen to.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any

from .rules import rule

logger = logging.getLogger(__name__)
CHANNEL = "zhengtu:monitoring:live"
QUEUE_LIMIT = 1000


class LiveBus:
    def __init__(self) -> None:
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] = set()
        self._lock = threading.Lock()
        self._redis: Any = None
        self._redis_tasks: dict[int, asyncio.Task[None]] = {}

    @property
    def has_local_subscribers(self) -> bool:
        return bool(self._subscribers)

    def publish(self, events: list[dict[str, Any]]) -> None:
        """Thread-safe; never blocks the caller (a slow subscriber loses events rather than stalling ingest)."""
        if not events:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            try:
                loop.call_soon_threadsafe(_offer_many, queue, events)
            except RuntimeError:  # the subscriber's loop has closed
                self._discard(loop, queue)
        url = rule("REDIS_URL")
        if url:
            self._publish_redis(url, events)

    def _publish_redis(self, url: str, events: list[dict[str, Any]]) -> None:
        try:
            if self._redis is None:
                import redis

                self._redis = redis.Redis.from_url(url)
            pipe = self._redis.pipeline(transaction=False)
            for event in events:
                pipe.publish(CHANNEL, json.dumps(event))
            pipe.execute()
        except Exception:  # noqa: BLE001 - live push is best effort; alerts are stored regardless
            logger.exception("Could not publish live monitoring events to Redis")
            self._redis = None

    def _discard(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._subscribers.discard((loop, queue))

    def open(self) -> asyncio.Queue[dict[str, Any]]:
        """A queue receiving every event from now on, on the running event loop; `close` it when done."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        url = rule("REDIS_URL")
        if url:
            task = loop.create_task(self._forward_redis(url, queue))
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

    async def _forward_redis(self, url: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(url)
        pubsub = client.pubsub()
        await pubsub.subscribe(CHANNEL)
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    _offer(queue, json.loads(message["data"]))
        finally:
            await pubsub.aclose()
            await client.aclose()


def _offer_many(queue: asyncio.Queue[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    for event in events:
        _offer(queue, event)


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)


bus = LiveBus()
