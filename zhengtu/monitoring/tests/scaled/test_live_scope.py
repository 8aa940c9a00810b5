"""Live events of the scaled shape per organisation: a page follows its own scope's channels only."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import redis
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.monitoring import directory
from zhengtu.monitoring.live import bus
from zhengtu.monitoring.live_channels import channel, scope_channels
from zhengtu.monitoring.processing import Report
from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.services import bind_device, register_device
from zhengtu.monitoring.stream_writer import StreamWriter
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.test_tcp import recent
from zhengtu.monitoring.tests.scaled.test_streams import _append
from zhengtu.supervisees.models import Status
from zhengtu.testing.factories import UserFactory, make_supervisee


def _monitored_in_county_b(world: Any, identifier: str) -> Any:
    person = make_supervisee(world.office_b, responsible_officer=world.officer_b, status=Status.UNDER_SUPERVISION)
    actor = Actor(user=world.bureau_a)
    device = register_device(
        actor=actor, identifier=identifier, kind="wristband", protocol="watch", organisation=world.county_b
    )
    now = timezone.now()
    bind_device(
        actor=actor,
        device=device,
        supervisee=person,
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=60),
    )
    directory.invalidate()
    return person


def test_a_county_page_never_receives_another_countys_positions_or_alerts(transactional_db, world, redis_url):
    in_a = make_monitored(world, identifier="8800000201", protocol="watch").supervisee
    in_b = _monitored_in_county_b(world, "8800000202")
    bureau_b = UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)
    channels_a, channels_b = scope_channels(world.bureau_a), scope_channels(bureau_b)
    assert channels_a == [world.county_a.pk] and channels_b == [world.county_b.pk]
    received = timezone.now() - dt.timedelta(seconds=2)
    client = redis.Redis.from_url(redis_url)
    for identifier, alarms in (("8800000201", set()), ("8800000202", {Alarm.SOS})):
        message = DeviceMessage(identifier, MessageKind.LOCATION, [Fix(recent(), *HOME)], alarms)
        _append(client, Report("watch", message, received, time.monotonic(), "127.0.0.1:1"))
    writer = StreamWriter(url=redis_url, consumer="writer-0")

    async def pages() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        page_a = bus.open(organisations=channels_a)
        page_b = bus.open(organisations=channels_b)
        try:
            for name in (channel(world.county_a.pk), channel(world.county_b.pk)):
                while client.pubsub_numsub(name)[0][1] < 1:  # both pages are listening
                    await asyncio.sleep(0.02)
            while await asyncio.to_thread(writer.step, 10) == 0:
                pass
            seen_b = [await asyncio.wait_for(page_b.get(), 10) for _ in range(2)]  # B's position and SOS
            seen_a = [await asyncio.wait_for(page_a.get(), 10)]
            await asyncio.sleep(0.3)  # anything misrouted was published with them
            while not page_a.empty():
                seen_a.append(page_a.get_nowait())
            while not page_b.empty():
                seen_b.append(page_b.get_nowait())
            return seen_a, seen_b
        finally:
            bus.close(page_a)
            bus.close(page_b)

    try:
        seen_a, seen_b = asyncio.run(pages())
    finally:
        writer.release()
    assert {(e["type"], e["supervisee_id"]) for e in seen_a} == {("position", in_a.pk)}
    assert {(e["type"], e["supervisee_id"]) for e in seen_b} == {("position", in_b.pk), ("alert", in_b.pk)}
    # The gateway's receive time came through the stream to the event the page gets.
    assert {round(e["received_at"], 3) for e in seen_a + seen_b} == {round(received.timestamp(), 3)}


def test_a_command_centre_follows_the_bureau_it_serves(world):
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import make_org

    centre = make_org("溆浦县指挥中心", OrganisationKind.COMMAND_CENTER, world.county_a)
    watcher = UserFactory(organisation=centre, role=Role.COMMAND_CENTER)
    assert scope_channels(watcher) == [world.county_a.pk]
    assert scope_channels(world.officer_b) == [world.office_b.pk]
