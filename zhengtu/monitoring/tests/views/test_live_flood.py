"""Issue 15: at 5,000 fixes/s the live pages stopped receiving events after the first second.
The stream took one event per turn of the event loop (which also serves every device), so a page
fell behind the positions for good and alerts waited behind the devices' traffic. Now what is
ready goes in one piece per turn: the alert first, then the latest position of each device."""

import asyncio
import json

from django.test import AsyncClient
from django.urls import reverse

from zhengtu.monitoring.live import bus

from .test_live import _close_view_connections

DEVICES = 1000


def _events(chunk: str) -> list[tuple[str, dict]]:
    found = []
    for piece in chunk.split("\n\n"):
        if piece.startswith("event: "):
            kind, data = piece.split("\n", 1)
            found.append((kind.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return found


def test_a_page_flooded_with_positions_gets_the_alert_first_and_every_device_in_a_few_writes(
    transactional_db, client, login, world, monitored
):
    login(client, world.officer_a)
    person = monitored.supervisee.pk

    async def read() -> tuple[int, list[tuple[str, dict]]]:
        async_client = AsyncClient()
        async_client.cookies = client.cookies
        response = await async_client.get(reverse("monitoring:live"))
        stream = response.streaming_content.__aiter__()
        await asyncio.wait_for(stream.__anext__(), 5)  # connected
        for fix in range(5):  # five fixes of 1,000 devices arrive before the page reads again
            bus.publish(
                [
                    {"type": "position", "supervisee_id": person, "device_id": d, "latitude": 27.9, "longitude": fix}
                    for d in range(DEVICES)
                ]
            )
            if fix == 3:
                bus.publish([{"type": "alert", "id": 77, "kind": "sos", "supervisee_id": person}])
        received: list[tuple[str, dict]] = []
        writes = 0
        while len(received) < DEVICES + 1 and writes < 50:
            chunk = await asyncio.wait_for(stream.__anext__(), 10)
            writes += 1
            received += _events(chunk.decode() if isinstance(chunk, bytes) else chunk)
        await stream.aclose()
        await _close_view_connections()
        return writes, received

    writes, received = asyncio.run(read())
    assert received[0][0] == "alert" and received[0][1]["id"] == 77
    positions = [data for kind, data in received[1:] if kind == "position"]
    assert sorted(p["device_id"] for p in positions) == list(range(DEVICES))  # each device once
    assert {p["point"][1] for p in positions} == {4}  # at its latest fix
    assert writes <= 3  # one event per write took 1,001 writes (and as many turns of the loop)
