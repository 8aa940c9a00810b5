"""Live events of the scaled shape, published per organisation on Redis.

An event about a supervisee goes to the channel of their office and of each organisation above it
(`/1/5/23/` → channels 1, 5 and 23), one message per channel per batch. A page subscribes to the
channel of the root of its user's scope only (a county bureau: its own; a command centre: the
bureau it serves) plus the offices of people assigned to the user from elsewhere, so a county's
page never receives another county's positions or alerts, and a province's page gets its
province's events in one subscription. The page still filters by its exact scope; the channels
bound what crosses the network and what each web process decodes. Superusers (no organisation)
follow `ALL`, which carries every event.

Events carry the gateway's receive time (`received_at`, epoch seconds, set by the writer from
the stream entry): where a page receives an event, receive → page latency can be measured.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Collection
from typing import Any

logger = logging.getLogger(__name__)

PREFIX = "zhengtu:monitoring:live:org:"
ALL = "zhengtu:monitoring:live:all"
PATH_CACHE_SECONDS = 60.0


def channel(organisation_id: int | None) -> str:
    return ALL if organisation_id is None else f"{PREFIX}{organisation_id}"


class OfficePaths:
    """supervisee id → their office's materialised path, looked up once a minute per person."""

    def __init__(self) -> None:
        self._paths: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def paths(self, supervisee_ids: Collection[int]) -> dict[int, str]:
        now = time.monotonic()
        found: dict[int, str] = {}
        missing: set[int] = set()
        with self._lock:
            for person in supervisee_ids:
                cached = self._paths.get(person)
                if cached is not None and now - cached[1] < PATH_CACHE_SECONDS:
                    found[person] = cached[0]
                else:
                    missing.add(person)
        if missing:
            from zhengtu.supervisees.models import Supervisee

            rows = Supervisee.objects.filter(pk__in=missing).values_list("pk", "responsible_office__path")
            with self._lock:
                for person, path in rows:
                    found[person] = path or ""
                    self._paths[person] = (path or "", now)
        return found


office_paths = OfficePaths()


def _supervisee_of(event: dict[str, Any]) -> int | None:
    person = event.get("supervisee_id")
    return person if isinstance(person, int) else None


def messages_for(events: list[dict[str, Any]], paths: dict[int, str] | None = None) -> dict[str, str]:
    """channel → one JSON list of the events it carries."""
    if paths is None:
        people = {p for e in events if (p := _supervisee_of(e)) is not None}
        paths = office_paths.paths(people) if people else {}
    by_channel: dict[str, list[str]] = {}
    everything: list[str] = []
    for event in events:
        encoded = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        everything.append(encoded)
        person = _supervisee_of(event)
        path = paths.get(person, "") if person is not None else ""
        for part in path.strip("/").split("/"):
            if part:
                by_channel.setdefault(f"{PREFIX}{part}", []).append(encoded)
    messages = {name: "[" + ",".join(parts) + "]" for name, parts in by_channel.items()}
    messages[ALL] = "[" + ",".join(everything) + "]"
    return messages


def publish(client: Any, events: list[dict[str, Any]]) -> int:
    """Publish a batch of events per organisation (synchronous client); how many messages went."""
    messages = messages_for(events)
    pipe = client.pipeline(transaction=False)
    for name, body in messages.items():
        pipe.publish(name, body)
    pipe.execute()
    return len(messages)


def scope_channels(user: Any) -> list[int | None]:
    """The organisations whose channels a user's live page follows (None: every event)."""
    from zhengtu.orgs.models import OrganisationKind

    from .selectors import monitored_supervisees_visible_to

    if user.is_superuser or user.organisation_id is None:
        return [None] if user.is_superuser else []
    root = user.organisation
    if root.kind == OrganisationKind.COMMAND_CENTER and root.parent is not None:
        root = root.parent  # as supervisees_visible_to: a command centre watches the bureau it serves
    elsewhere = (
        monitored_supervisees_visible_to(user)
        .exclude(responsible_office__path__startswith=root.path)
        .values_list("responsible_office_id", flat=True)
        .distinct()
    )
    return [root.pk, *sorted({office for office in elsewhere if office is not None})]


async def forward(url: str, organisations: Collection[int | None], deliver: Any) -> None:
    """Subscribe to these organisations' channels and hand each event to `deliver` until cancelled."""
    import redis.asyncio as aioredis

    names = sorted({channel(o) for o in organisations})
    if not names:
        await asyncio.Event().wait()  # nothing in scope: an open stream that never carries an event
        return
    client = aioredis.Redis.from_url(url)
    pubsub = client.pubsub()
    await pubsub.subscribe(*names)
    try:
        async for message in pubsub.listen():
            if message.get("type") == "message":
                for event in json.loads(message["data"]):
                    deliver(event)
    finally:
        await pubsub.aclose()
        await client.aclose()
