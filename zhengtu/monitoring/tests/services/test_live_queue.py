"""A command-center page that falls behind loses positions, never alerts."""

import asyncio

from zhengtu.monitoring.live import QUEUE_LIMIT, bus


def _position(n: int) -> dict:
    return {"type": "position", "supervisee_id": n, "latitude": 27.9, "longitude": 110.6}


def _drain(queue) -> list[dict]:  # type: ignore[no-untyped-def]
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


def test_a_full_page_queue_drops_positions_to_keep_every_alert():
    async def scenario() -> list[dict]:
        queue = bus.open()
        try:
            bus.publish([_position(n) for n in range(QUEUE_LIMIT)])
            bus.publish([{"type": "alert", "id": 1, "supervisee_id": 7}])
            bus.publish([_position(QUEUE_LIMIT + n) for n in range(50)])  # page still behind
            bus.publish([{"type": "alert_status", "id": 1, "status": "acknowledged", "supervisee_id": 7}])
            await asyncio.sleep(0.05)  # publish hands events over with call_soon_threadsafe
            return _drain(queue)
        finally:
            bus.close(queue)

    events = asyncio.run(scenario())
    assert len(events) == QUEUE_LIMIT
    assert [e["type"] for e in events if e["type"] != "position"] == ["alert", "alert_status"]
    positions = [e["supervisee_id"] for e in events if e["type"] == "position"]
    assert positions == list(range(2, QUEUE_LIMIT))  # the two oldest made way; later ones were dropped


def test_a_queue_of_alerts_only_drops_its_oldest_alert():
    async def scenario() -> list[dict]:
        queue = bus.open()
        try:
            bus.publish([{"type": "alert", "id": n, "supervisee_id": n} for n in range(QUEUE_LIMIT + 3)])
            await asyncio.sleep(0.05)
            return _drain(queue)
        finally:
            bus.close(queue)

    events = asyncio.run(scenario())
    assert [e["id"] for e in events] == list(range(3, QUEUE_LIMIT + 3))


def test_fence_and_sos_alerts_overtake_a_storm_of_offline_alerts_on_the_page():
    async def scenario() -> list[dict]:
        queue = bus.open()
        try:
            bus.publish([{"type": "alert", "id": n, "kind": "offline", "supervisee_id": n} for n in range(300)])
            bus.publish([_position(1)])
            bus.publish([{"type": "alert", "id": 900, "kind": "fence_breach", "supervisee_id": 9}])
            bus.publish([{"type": "alert", "id": 901, "kind": "sos", "supervisee_id": 9}])
            await asyncio.sleep(0.05)
            return _drain(queue)
        finally:
            bus.close(queue)

    events = asyncio.run(scenario())
    assert [e["id"] for e in events[:2]] == [900, 901]  # first to the page, in their order
    assert len(events) == 303
