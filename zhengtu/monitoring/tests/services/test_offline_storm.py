"""An offline storm (thousands of devices silent at once) is coalesced per office."""

import asyncio
import datetime as dt

from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring.alerts import detect_offline
from zhengtu.monitoring.live import bus
from zhengtu.monitoring.models import Alert, AlertEvent, AlertKind, DeviceBinding
from zhengtu.monitoring.services import register_device
from zhengtu.supervisees.models import Status
from zhengtu.testing.factories import make_supervisee
from zhengtu.workspace.models import Notification


def test_a_storm_gives_one_notification_per_officer_and_one_live_event_per_office(
    world, django_capture_on_commit_callbacks
):
    now = timezone.now()
    people = []
    for i in range(30):
        person = make_supervisee(world.office_a, responsible_officer=world.officer_a, status=Status.UNDER_SUPERVISION)
        device = register_device(
            actor=Actor(user=world.bureau_a),
            identifier=f"8681200000{i:05d}",
            kind="wristband",
            protocol="gt06",
            organisation=world.county_a,
        )
        DeviceBinding.objects.create(
            device=device, supervisee=person, starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=30)
        )
        people.append(person)

    async def subscribe() -> asyncio.Queue[dict]:
        return bus.open()

    loop = asyncio.new_event_loop()
    queue = loop.run_until_complete(subscribe())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert detect_offline(now=now + dt.timedelta(hours=1)) == 30
        loop.run_until_complete(asyncio.sleep(0.05))  # deliveries are handed over to the page's loop
        events = []
        while not queue.empty():
            events.append(queue.get_nowait())
    finally:
        bus.close(queue)
        loop.close()
    assert Alert.objects.filter(kind=AlertKind.OFFLINE).count() == 30  # every device has its alert
    assert AlertEvent.objects.filter(action="raised").count() == 30
    notes = Notification.objects.filter(recipient=world.officer_a, kind="monitoring_alert")
    assert notes.count() == 1 and "30" in notes.get().title
    (event,) = events  # one live event for the office, shaped like an alert event
    assert event["type"] == "alert" and event["kind"] == "offline" and event["count"] == 30
    assert {a["supervisee_id"] for a in event["alerts"]} == {p.pk for p in people}
    assert detect_offline(now=now + dt.timedelta(hours=2)) == 0  # still one alert per device
