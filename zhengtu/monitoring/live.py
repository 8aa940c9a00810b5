"""Live events (new alerts, latest positions) for the command-center page.

In the embedded shape publisher (ingest writer) and subscribers (Server-Sent Events views) share
one process, or the writer runs in a child process that relays its events to the web process
(`relay_to`): each open page has a `LiveQueue`, filled from whichever thread delivers. When
ZHENGTU_MONITORING_REDIS_URL is set (scaled shape), events are also published on Redis, per
organisation (live_channels.py): each SSE view follows only the channels of its user's scope.

Why a page's queue is shaped as it is (issue 15, "the live pages stop after the first second"):
at 5,000 fixes/s the web process's event loop also serves 5,000 device connections, so one turn
of it takes milliseconds. A page that took one event per turn (and `asyncio.wait_for` around a
queue's `get` costs three turns: a task, its completion, the wake-up) received a hundred or so
events a second, far fewer than the positions offered; its queue stayed full, and each alert
waited for turns the devices' traffic kept taking. Now positions are coalesced per device (the
latest only, sent at most every LIVE_POSITION_SECONDS), alerts are sent at once, and the page
takes everything ready in one turn and writes it in one piece; the delivering thread fills the
queue under a lock and wakes the page's loop at most once until it has looked.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable
from typing import Any

from .rules import rule

logger = logging.getLogger(__name__)
QUEUE_LIMIT = 1000  # alerts and status changes waiting per page (each lane); positions are per device
POSITIONS_PER_TAKE = 500  # an urgent alert overtakes what is left of a large round of positions


class LiveBus:
    def __init__(self) -> None:
        # (loop, queue): LiveQueue for pages; a plain asyncio.Queue also works (the throughput bench).
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, Any]] = set()
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
            if loop.is_closed():  # a page whose loop ended without closing its queue
                self._discard(loop, queue)
                continue
            try:
                if isinstance(queue, LiveQueue):
                    queue.offer_many(events)  # here, in the delivering thread; wakes the page's loop if needed
                else:
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

    def _discard(self, loop: asyncio.AbstractEventLoop, queue: Any) -> None:
        with self._lock:
            self._subscribers.discard((loop, queue))

    def open(
        self, *, organisations: Collection[int | None] | None = None, scope: Collection[int] | None = None
    ) -> LiveQueue:
        """A queue receiving every event from now on, on the running event loop; `close` it when done.

        With Redis, only the events of `organisations` (their subtrees; None in it: every event;
        see live_channels.scope_channels) reach the queue; without `organisations`, every event.
        `scope` (supervisee ids; the queue's `scope` may be replaced later): events of anyone else
        are not kept at all."""
        loop = asyncio.get_running_loop()
        queue = LiveQueue(loop, scope=scope)
        url = rule("REDIS_URL")
        if url:
            task = loop.create_task(self._forward_redis(url, queue, [None] if organisations is None else organisations))
            self._redis_tasks[id(queue)] = task
        else:
            with self._lock:
                self._subscribers.add((loop, queue))
        return queue

    def close(self, queue: Any) -> None:
        task = self._redis_tasks.pop(id(queue), None)
        if task is not None:
            task.cancel()
        with self._lock:
            self._subscribers = {entry for entry in self._subscribers if entry[1] is not queue}

    async def _forward_redis(self, url: str, queue: LiveQueue, organisations: Collection[int | None]) -> None:
        from .live_channels import forward

        await forward(url, organisations, queue.offer)


def _offer_many(queue: asyncio.Queue[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    """A plain asyncio.Queue subscriber (on its loop): the oldest event makes way when it is full."""
    for event in events:
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(event)


URGENT_KINDS = frozenset({"fence_breach", "sos", "tamper", "separation"})


def is_urgent(event: dict[str, Any]) -> bool:
    return event.get("type") == "alert" and event.get("kind") in URGENT_KINDS


def _position_key(event: dict[str, Any]) -> Any:
    device = event.get("device_id")
    return ("device", device) if device is not None else ("person", event.get("supervisee_id"))


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class LiveQueue:
    """One page's live events, in three lanes:

    - urgent alerts (fence, SOS, tamper, separation): taken before anything else;
    - other events (offline alerts of a storm, status changes), in order;
    - positions: only the latest per device is kept, and they are taken at most once every
      `position_seconds` (the map shows where people are; it does not need every fix of a
      device that reports every second, and at thousands of fixes a second no page could take
      them all). A round of positions is taken in slices, so an alert arriving meanwhile goes
      before the rest of the round.

    Alerts are never dropped to make room for positions; a lane of alerts past QUEUE_LIMIT (a
    page that stopped reading) drops its oldest. `offer` is safe from any thread: the event is
    stored under a lock, and the page's loop is woken (one `call_soon_threadsafe`, and no more
    until the page has looked) only when the page waits and something became ready for it.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        scope: Collection[int] | None = None,
        limit: int = QUEUE_LIMIT,
        position_seconds: float | None = None,
    ) -> None:
        self.loop = loop
        self.scope = scope
        self.limit = limit
        self.position_seconds = float(rule("LIVE_POSITION_SECONDS") if position_seconds is None else position_seconds)
        self._lock = threading.Lock()
        self._urgent: collections.deque[dict[str, Any]] = collections.deque()
        self._other: collections.deque[dict[str, Any]] = collections.deque()
        self._positions: dict[Any, dict[str, Any]] = {}
        self._round: collections.deque[dict[str, Any]] = collections.deque()  # positions being taken
        self._next_round = 0.0  # time.monotonic() when the next round of positions may start
        self._waiter: asyncio.Future[None] | None = None
        self._wake_scheduled = False
        self.offered = 0  # events kept (in scope)
        self.replaced = 0  # positions replaced by a newer one of the same device before they went
        self.dropped = 0  # alerts or status changes dropped from a full lane

    # -- filling (any thread) ---------------------------------------------------------------------

    def offer(self, event: dict[str, Any]) -> None:
        self.offer_many((event,))

    def offer_many(self, events: Iterable[dict[str, Any]]) -> None:
        scope = self.scope
        with self._lock:
            wake = False
            for event in events:
                if scope is not None and event.get("supervisee_id") not in scope:
                    continue
                self.offered += 1
                if event.get("type") == "position":
                    # A waiting page must learn that positions are pending (it waits for the
                    # round's time then); while some are, it already knows.
                    wake = wake or not (self._positions or self._round)
                    key = _position_key(event)
                    if key in self._positions:
                        self.replaced += 1
                    self._positions[key] = event
                    continue
                lane = self._urgent if is_urgent(event) else self._other
                if len(lane) >= self.limit:
                    lane.popleft()
                    self.dropped += 1
                lane.append(event)
                wake = True
            if wake and self._waiter is not None and not self._wake_scheduled:
                self._wake_scheduled = True
                try:
                    self.loop.call_soon_threadsafe(self._wake)
                except RuntimeError:  # the page's loop has closed
                    self._wake_scheduled = False

    def _wake(self) -> None:
        with self._lock:
            self._wake_scheduled = False
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            _release(waiter)

    # -- taking (the page's loop) -----------------------------------------------------------------

    def take(self, now: float | None = None) -> list[dict[str, Any]]:
        """Everything ready now, in the order a page should get it: urgent alerts, other events,
        then (when their time has come) a slice of the latest positions."""
        now = time.monotonic() if now is None else now
        with self._lock:
            taken = list(self._urgent)
            self._urgent.clear()
            taken.extend(self._other)
            self._other.clear()
            if not self._round and self._positions and now >= self._next_round:
                self._round.extend(self._positions.values())
                self._positions.clear()
                self._next_round = now + self.position_seconds
            for _ in range(min(POSITIONS_PER_TAKE, len(self._round))):
                taken.append(self._round.popleft())
        return taken

    def _ready_in(self, now: float, any_position: bool) -> float | None:
        """Seconds until something may be taken (0: now); None: nothing is pending. Lock held."""
        if self._urgent or self._other or self._round:
            return 0.0
        if self._positions:
            return 0.0 if any_position else max(0.0, self._next_round - now)
        return None

    async def wait(self, timeout: float | None = None, *, any_position: bool = False) -> None:
        """Until `take` has something (positions: when their round is due), or `timeout` seconds."""
        with self._lock:
            ready_in = self._ready_in(time.monotonic(), any_position)
            if ready_in == 0.0:
                return
            waiter: asyncio.Future[None] = self.loop.create_future()
            self._waiter = waiter
        if ready_in is not None:
            timeout = ready_in if timeout is None else min(timeout, ready_in)
        timer = self.loop.call_later(max(0.0, timeout), _release, waiter) if timeout is not None else None
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()
            with self._lock:
                if self._waiter is waiter:
                    self._waiter = None

    # -- the asyncio.Queue methods tests and simple consumers use -----------------------------------

    def qsize(self) -> int:
        with self._lock:
            return len(self._urgent) + len(self._other) + len(self._round) + len(self._positions)

    def empty(self) -> bool:
        return self.qsize() == 0

    def get_nowait(self) -> dict[str, Any]:
        """The next event in lane order, positions without waiting for their round."""
        with self._lock:
            for lane in (self._urgent, self._other, self._round):
                if lane:
                    return lane.popleft()
            if self._positions:
                return self._positions.pop(next(iter(self._positions)))
        raise asyncio.QueueEmpty

    async def get(self) -> dict[str, Any]:
        while True:
            try:
                return self.get_nowait()
            except asyncio.QueueEmpty:
                await self.wait(any_position=True)


bus = LiveBus()
