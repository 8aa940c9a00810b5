"""A change to one device, binding, fence or person is re-read by id, not the whole directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring import directory
from zhengtu.monitoring.directory import Directory
from zhengtu.monitoring.models import Device, DeviceBinding, FenceKind, FenceShape
from zhengtu.monitoring.processing import BatchProcessor
from zhengtu.monitoring.services import bind_device, create_fence, unbind_device, update_device, update_fence
from zhengtu.monitoring.tests.conftest import HOME, location
from zhengtu.supervisees.models import Status
from zhengtu.testing.factories import make_supervisee

PEOPLE = 30

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """PEOPLE people of office A, each with a wristband, and a loaded directory."""
    now = timezone.now()
    people = [
        make_supervisee(world.office_a, responsible_officer=world.officer_a, status=Status.UNDER_SUPERVISION)
        for _ in range(PEOPLE)
    ]
    devices = Device.objects.bulk_create(
        [
            # Device 1 is a phone: it can be moved to someone who wears a wristband.
            Device(
                identifier=f"0139{i:08d}",
                kind="phone" if i == 1 else "wristband",
                protocol="osmand" if i == 1 else "jt808",
                organisation=world.county_a,
            )
            for i in range(PEOPLE)
        ]
    )
    DeviceBinding.objects.bulk_create(
        [
            DeviceBinding(
                device=d, supervisee=p, starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=30)
            )
            for d, p in zip(devices, people, strict=True)
        ]
    )
    loaded = Directory()
    loaded.refresh_if_stale()
    assert loaded.full_loads == 1 and len(loaded.devices) == PEOPLE
    return people, devices, loaded


def _refresh(loaded: Directory) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        loaded.refresh_if_stale()
    return [q["sql"] for q in queries.captured_queries]


def test_a_device_taken_out_of_service_is_re_read_alone(world, many, django_capture_on_commit_callbacks):
    people, devices, loaded = many
    before = dict(loaded.devices_by_id)
    with django_capture_on_commit_callbacks(execute=True):
        update_device(actor=Actor(user=world.bureau_a), device=devices[0], is_active=False)
    queries = _refresh(loaded)
    # The change took effect: the device is refused, its wearer no longer has it.
    assert loaded.device(devices[0].identifier) is None
    assert people[0].pk not in loaded.supervisees  # no device left: as a whole load would leave it
    # Not reloaded: one query for the device, one for the bindings of the people it touches.
    assert loaded.full_loads == 1 and loaded.changes_applied == 1
    assert len(queries) == 2, queries
    assert all(f"{devices[0].pk}" in sql for sql in queries)
    # The other devices are the very objects loaded at first (nothing re-read or rebuilt).
    assert all(loaded.devices_by_id[d.pk] is before[d.pk] for d in devices[1:])


def test_a_binding_moves_a_device_to_another_person(world, many, django_capture_on_commit_callbacks):
    people, devices, loaded = many
    actor = Actor(user=world.bureau_a)
    binding = DeviceBinding.objects.get(device=devices[1])
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        unbind_device(actor=actor, binding=binding, reason="换人佩戴")
        bind_device(
            actor=actor,
            device=devices[1],
            supervisee=people[2],
            starts_at=now - dt.timedelta(minutes=1),
            ends_at=now + dt.timedelta(days=30),
        )
    untouched = loaded.supervisees[people[5].pk]
    queries = _refresh(loaded)
    assert len(queries) == 2 and loaded.full_loads == 1
    assert loaded.supervisees[people[1].pk].devices == {}
    assert set(loaded.supervisees[people[2].pk].devices) == {devices[1].pk, devices[2].pk}
    assert loaded.device(devices[1].identifier).supervisee_at(timezone.now()) == people[2].pk  # type: ignore[union-attr]
    assert loaded.supervisees[people[5].pk] is untouched


def test_a_fence_change_rebuilds_fences_in_memory(world, many, django_capture_on_commit_callbacks):
    people, devices, loaded = many
    actor = Actor(user=world.bureau_a)
    ring = [[110.0, 27.0], [111.0, 27.0], [111.0, 28.5], [110.0, 28.5], [110.0, 27.0]]
    with django_capture_on_commit_callbacks(execute=True):
        fence = create_fence(
            actor=actor,
            organisation=world.county_a,
            name="县界",
            kind=FenceKind.INCLUSION,
            shape=FenceShape.POLYGON,
            geometry={"type": "Polygon", "coordinates": [ring]},
        )
    queries = _refresh(loaded)
    assert len(queries) == 1 and "monitoring_device" not in queries[0].split("FROM", 1)[1].split("WHERE")[0]
    assert all(fence.pk in [f.id for f in loaded.supervisees[p.pk].fences] for p in people)
    with django_capture_on_commit_callbacks(execute=True):
        update_fence(actor=actor, fence=fence, is_active=False)
    assert len(_refresh(loaded)) == 1
    assert all(loaded.supervisees[p.pk].fences == [] for p in people)
    assert loaded.full_loads == 1


def test_a_person_moved_to_another_office_alerts_there(world, many, django_capture_on_commit_callbacks):
    people, _devices, loaded = many
    person = people[3]
    with django_capture_on_commit_callbacks(execute=True):
        person.responsible_office = world.office_b
        person.save()
    _refresh(loaded)
    assert loaded.supervisees[person.pk].office_id == person.responsible_office_id
    assert loaded.full_loads == 1


def test_missed_announcements_fall_back_to_a_whole_reload(world, many):
    _people, _devices, loaded = many
    for _ in range(directory._LOG_SIZE + 1):
        directory.changed(devices=[0])
    loaded.refresh_if_stale()
    assert loaded.full_loads == 2
    directory.invalidate()  # no changes named: whole
    loaded.refresh_if_stale()
    assert loaded.full_loads == 3


def test_the_writer_stores_for_a_device_enabled_after_its_directory_loaded(
    world, many, django_capture_on_commit_callbacks
):
    people, devices, _loaded = many
    processor = BatchProcessor()
    processor.process([location(devices[4].identifier, timezone.now(), *HOME)])
    assert processor.directory.full_loads == 1
    with django_capture_on_commit_callbacks(execute=True):
        update_device(actor=Actor(user=world.bureau_a), device=devices[4], is_active=False)
    [outcome] = processor.process([location(devices[4].identifier, timezone.now(), *HOME)])
    assert not outcome.known
    with django_capture_on_commit_callbacks(execute=True):
        update_device(actor=Actor(user=world.bureau_a), device=devices[4], is_active=True)
    [outcome] = processor.process([location(devices[4].identifier, timezone.now(), *HOME)])
    assert outcome.known
    assert processor.directory.full_loads == 1 and processor.directory.changes_applied == 2
    assert people[4].pk in processor.directory.supervisees
