"""Server-Sent Events: alerts pushed live to the command-center page, only within the user's scope."""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient
from django.urls import reverse

from zhengtu.monitoring.live import bus
from zhengtu.testing.factories import make_supervisee


async def _read_events(cookies, publish, count: int) -> list[str]:
    client = AsyncClient()
    client.cookies = cookies
    response = await client.get(reverse("monitoring:live"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    stream = response.streaming_content.__aiter__()
    first = await asyncio.wait_for(stream.__anext__(), 5)
    assert "connected" in (first.decode() if isinstance(first, bytes) else first)
    publish()
    chunks = []
    for _ in range(count):
        chunk = await asyncio.wait_for(stream.__anext__(), 5)
        chunks.append(chunk.decode() if isinstance(chunk, bytes) else chunk)
    await stream.aclose()
    await _close_view_connections()
    return chunks


async def _close_view_connections() -> None:
    """The view's database work ran in asgiref's sync thread; the test client keeps connections
    open across requests, so close that thread's own (else it holds the test database)."""
    await sync_to_async(connections.close_all)()


def test_live_events_carry_alerts_in_scope_only(transactional_db, client, login, world, monitored):
    stranger = make_supervisee(world.office_b)
    login(client, world.officer_a)

    def publish():
        bus.publish(
            [
                {
                    "type": "alert",
                    "id": 1,
                    "kind": "sos",
                    "supervisee_id": stranger.pk,
                    "supervisee_name": stranger.name,
                },
                {
                    "type": "alert",
                    "id": 2,
                    "kind": "sos",
                    "supervisee_id": monitored.supervisee.pk,
                    "supervisee_name": monitored.supervisee.name,
                    "latitude": 27.9,
                    "longitude": 110.6,
                },
            ]
        )

    (chunk,) = asyncio.run(_read_events(client.cookies, publish, 1))
    assert chunk.startswith("event: alert\n")
    data = json.loads(chunk.split("data: ", 1)[1])
    assert data["id"] == 2 and data["supervisee_name"] == monitored.supervisee.name
    assert data["point"] == [27.9, 110.6] and "latitude" not in data


def test_live_events_refused_without_location_rights(transactional_db, client, login, world):
    login(client, world.social_worker_a)

    async def get():
        async_client = AsyncClient()
        async_client.cookies = client.cookies
        response = await async_client.get(reverse("monitoring:live"))
        await _close_view_connections()
        return response

    assert asyncio.run(get()).status_code == 403
