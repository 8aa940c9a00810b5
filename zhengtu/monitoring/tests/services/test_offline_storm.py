"""An offline storm (thousands of devices silent at once) is coalesced per office."""

import asyncio
import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring.alerts import detect_offline, plan_offline, raise_offline_chunk
from zhengtu.monitoring.live import bus
from zhengtu.monitoring.models import Alert, AlertEvent, AlertKind, Device, DeviceBinding
from zhengtu.monitoring.services import register_device
from zhengtu.monitoring.tests.conftest import HOME, location
from zhengtu.supervisees.models import Status
from zhengtu.testing.factories import UserFactory, make_supervisee
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


def _silent_people(world, count: int, *, officer=None, office=None, start: int = 0):
    """`count` people of `office` (office A by default) with a bound wristband that never reported."""
    now = timezone.now()
    people = []
    for i in range(start, start + count):
        person = make_supervisee(office or world.office_a, responsible_officer=officer, status=Status.UNDER_SUPERVISION)
        device = Device.objects.create(
            identifier=f"8681300000{i:05d}", kind="wristband", protocol="gt06", organisation=world.county_a
        )
        DeviceBinding.objects.create(
            device=device, supervisee=person, starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=30)
        )
        people.append(person)
    return people


def _statements_to_raise(chunk_size: int, now: dt.datetime) -> int:
    chunks = plan_offline(now=now, chunk=chunk_size)
    office_id, items = chunks[0]
    with CaptureQueriesContext(connection) as queries:
        assert raise_offline_chunk(office_id, items, now) == chunk_size
    return len(queries)


def test_raising_a_chunk_takes_the_same_statements_whatever_its_size(world):
    """A storm is raised in the ingest writer between batches of fixes: a chunk's statements must
    not grow with its alerts (one query per alert for its recipients used to cost the writer
    about a millisecond an alert)."""
    _silent_people(world, 5, officer=world.officer_a)
    later = timezone.now() + dt.timedelta(hours=1)
    small = _statements_to_raise(5, later)
    _silent_people(world, 40, officer=world.officer_a, start=100)
    big = _statements_to_raise(40, later + dt.timedelta(minutes=1))
    assert big == small <= 10
    assert Alert.objects.filter(kind=AlertKind.OFFLINE, cleared_at__isnull=True).count() == 45
    assert AlertEvent.objects.filter(action="raised").count() == 45
    assert Notification.objects.filter(recipient=world.officer_a).count() == 2  # one per chunk


def test_a_stale_plan_raises_nothing_twice_and_skips_devices_that_reported(world, processor):
    people = _silent_people(world, 3, officer=world.officer_a)  # never reported since bound yesterday
    planned = timezone.now() + dt.timedelta(minutes=5)
    ((office_id, items),) = plan_offline(now=planned)
    back = Device.objects.get(bindings__supervisee=people[0])
    processor.process([location(back.identifier, timezone.now(), *HOME, protocol="gt06")])  # reported meanwhile
    assert raise_offline_chunk(office_id, items, planned) == 2
    assert raise_offline_chunk(office_id, items, planned) == 0  # handed twice: still one alert per device
    assert set(Alert.objects.filter(kind=AlertKind.OFFLINE).values_list("supervisee_id", flat=True)) == {
        people[1].pk,
        people[2].pk,
    }
    event = AlertEvent.objects.get(alert__supervisee=people[1], action="raised")
    assert "wristband" in event.note.lower() or "手环" in event.note  # the device named in the history


def test_offline_alerts_of_people_without_an_officer_go_to_the_office_officers(world):
    _silent_people(world, 2)  # no responsible officer
    _silent_people(world, 1, officer=world.officer_b, office=world.office_b, start=10)
    inactive = UserFactory(organisation=world.office_a2, role="office_officer")
    _silent_people(world, 1, officer=inactive, office=world.office_a2, start=20)
    inactive.is_active = False  # left the service since
    inactive.save()
    assert detect_offline(now=timezone.now() + dt.timedelta(hours=1)) == 4
    assert Notification.objects.filter(recipient=world.officer_a).get().title.count("2") == 1
    assert Notification.objects.filter(recipient=world.colleague_a).count() == 1
    assert Notification.objects.filter(recipient=world.officer_b).count() == 1
    assert not Notification.objects.filter(recipient=inactive).exists()


def test_a_device_reporting_again_clears_only_its_own_offline_alert(world, processor):
    people = _silent_people(world, 3, officer=world.officer_a)
    later = timezone.now() + dt.timedelta(hours=1)
    assert detect_offline(now=later) == 3
    back = Device.objects.get(bindings__supervisee=people[0])
    processor.process([location(back.identifier, timezone.now(), *HOME, protocol="gt06")])
    open_alerts = Alert.objects.filter(kind=AlertKind.OFFLINE, cleared_at__isnull=True)
    assert set(open_alerts.values_list("supervisee_id", flat=True)) == {people[1].pk, people[2].pk}


def test_with_alert_channels_a_chunk_queues_one_delivery_job_and_each_alert_is_sent_once(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from zhengtu.monitoring import alert_channels, tasks

    settings.ZHENGTU_MONITORING_ALERT_CHANNELS = ["zhengtu.monitoring.alert_channels.WeComWebhookChannel"]
    settings.ZHENGTU_MONITORING_WECOM_WEBHOOK_URL = "http://127.0.0.1:9/wecom"
    sent: list[str] = []
    monkeypatch.setattr(alert_channels, "_post_json", lambda url, payload, headers=None: sent.append(payload))
    jobs: list[list[int]] = []
    queue_job = tasks.deliver_alerts

    def counted(alert_ids: list[int], reason: str) -> None:
        jobs.append(list(alert_ids))
        queue_job(alert_ids, reason)

    monkeypatch.setattr(tasks, "deliver_alerts", counted)
    people = _silent_people(world, 12, officer=world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert detect_offline(now=timezone.now() + dt.timedelta(hours=1)) == 12
    assert len(jobs) == 1 and len(jobs[0]) == 12  # one job for the office's chunk
    assert len(sent) == 12
    assert AlertEvent.objects.filter(action="notified").count() == 12
    assert all(any(p.name in message["text"]["content"] for message in sent) for p in people)
    queue_job(jobs[0], "raised")  # the job retried (say, after a database error): nothing sent twice
    assert len(sent) == 12


def test_the_writer_plans_a_storm_at_its_next_pause_and_raises_it_a_chunk_at_a_time(world, monkeypatch):
    """In the writer process the minute job's request only marks the storm as wanted (planning it
    on receipt held up the batch of fixes being gathered); each pause between batches then plans
    it or raises one chunk."""
    from zhengtu.monitoring import writer_process

    monkeypatch.setattr(writer_process, "WRITER_OFFLINE_CHUNK", 4)
    _silent_people(world, 10, officer=world.officer_a)
    work = writer_process.OfflineWork()
    work.wanted = True
    assert work.pending and not Alert.objects.exists()
    work.step()  # the plan: nothing raised yet
    assert len(work.chunks) == 3 and not Alert.objects.exists()
    work.step()
    assert Alert.objects.filter(kind=AlertKind.OFFLINE).count() == 4
    while work.pending:
        work.step()
    assert work.raised == 10 and Alert.objects.filter(kind=AlertKind.OFFLINE).count() == 10
