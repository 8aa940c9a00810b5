"""A command-center page that falls behind gets every alert first and the latest position of each
device, never a backlog of old positions (issue 15: at 5,000 fixes/s the pages stopped showing
alerts at all)."""

import asyncio
import threading

from zhengtu.monitoring.live import QUEUE_LIMIT, bus


def _position(device: int, n: int = 0, person: int = 1) -> dict:
    return {"type": "position", "supervisee_id": person, "device_id": device, "latitude": 27.9, "longitude": n}


def _drain(queue) -> list[dict]:  # type: ignore[no-untyped-def]
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


def test_a_page_behind_keeps_every_alert_and_only_the_latest_position_of_each_device():
    async def scenario() -> list[dict]:
        queue = bus.open()
        try:
            for round_ in range(5):  # five fixes from each of 2,000 devices while the page did not read
                bus.publish([_position(device, round_) for device in range(2 * QUEUE_LIMIT)])
                if round_ == 2:
                    bus.publish([{"type": "alert", "id": 1, "kind": "sos", "supervisee_id": 7}])
                    bus.publish([{"type": "alert_status", "id": 1, "status": "acknowledged", "supervisee_id": 7}])
            return _drain(queue)
        finally:
            bus.close(queue)

    events = asyncio.run(scenario())
    assert [e["type"] for e in events[:2]] == ["alert", "alert_status"]
    positions = events[2:]
    assert [p["device_id"] for p in positions] == list(range(2 * QUEUE_LIMIT))  # every device, once
    assert {p["longitude"] for p in positions} == {4}  # its latest fix


def test_a_queue_of_alerts_only_drops_its_oldest_alert():
    async def scenario() -> list[dict]:
        queue = bus.open()
        try:
            bus.publish([{"type": "alert", "id": n, "supervisee_id": n} for n in range(QUEUE_LIMIT + 3)])
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
            return _drain(queue)
        finally:
            bus.close(queue)

    events = asyncio.run(scenario())
    assert [e["id"] for e in events[:2]] == [900, 901]  # first to the page, in their order
    assert len(events) == 303


def test_positions_go_to_a_page_once_a_round_and_an_alert_goes_at_once():
    async def scenario() -> tuple[list[dict], list[dict], list[dict]]:
        queue = bus.open()
        queue.position_seconds = 3600  # the next round of positions is far off
        try:
            bus.publish([_position(1, 0), _position(2, 0)])
            first = queue.take()  # the first round goes at once
            bus.publish([_position(1, 1), _position(2, 1)])
            bus.publish([{"type": "alert", "id": 5, "kind": "fence_breach", "supervisee_id": 1}])
            second = queue.take()  # the alert, not the positions: their round is not due
            third = queue.take(float("inf"))  # when it is due, the latest of each device
            return first, second, third
        finally:
            bus.close(queue)

    first, second, third = asyncio.run(scenario())
    assert [(e["device_id"], e["longitude"]) for e in first] == [(1, 0), (2, 0)]
    assert [e["type"] for e in second] == ["alert"]
    assert [(e["device_id"], e["longitude"]) for e in third] == [(1, 1), (2, 1)]


def test_a_page_waiting_in_its_loop_is_woken_by_an_alert_from_the_writer_s_thread():
    """As in the embedded shape: the gateway's receiver thread delivers what the writer process
    relays, while the page waits on the web process's event loop."""

    async def scenario() -> dict:
        queue = bus.open()
        try:
            waiting = asyncio.ensure_future(queue.get())
            await asyncio.sleep(0)  # the page is waiting now
            sender = threading.Thread(
                target=bus.deliver_local, args=([{"type": "alert", "id": 3, "kind": "sos", "supervisee_id": 2}],)
            )
            sender.start()
            sender.join()
            return await asyncio.wait_for(waiting, 10)
        finally:
            bus.close(queue)

    assert asyncio.run(scenario())["id"] == 3


def test_a_page_keeps_only_the_people_in_its_scope():
    async def scenario() -> list[dict]:
        queue = bus.open(scope={1})
        try:
            bus.publish([_position(1, person=1), _position(2, person=2)])
            bus.publish([{"type": "alert", "id": 8, "kind": "sos", "supervisee_id": 2}])
            return _drain(queue)
        finally:
            bus.close(queue)

    assert [(e["type"], e["supervisee_id"]) for e in asyncio.run(scenario())] == [("position", 1)]
