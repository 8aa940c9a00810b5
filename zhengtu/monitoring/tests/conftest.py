"""Monitoring fixtures: a supervisee of office A wearing a wristband, with a county fence."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pytest
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring import directory
from zhengtu.monitoring.models import Device, DeviceBinding, DeviceKind, Fence, FenceKind, FenceShape, Protocol
from zhengtu.monitoring.processing import BatchProcessor, Report
from zhengtu.monitoring.protocols.base import DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.services import bind_device, create_fence, register_device
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.testing.factories import make_supervisee

# 溆浦县 county seat, and a square "county" around it (about 22 km a side).
HOME = (27.9083, 110.5939)
COUNTY = {
    "type": "Polygon",
    "coordinates": [[[110.48, 27.81], [110.71, 27.81], [110.71, 28.01], [110.48, 28.01], [110.48, 27.81]]],
}
OUTSIDE = (28.2, 110.59)
# Either side of the northern border, 1.1 km apart: a realistic walk in a minute or two.
JUST_INSIDE = (28.005, 110.59)
JUST_OUTSIDE = (28.015, 110.59)


@dataclass
class Monitored:
    supervisee: Supervisee
    wristband: Device
    binding: DeviceBinding
    county_fence: Fence


def make_monitored(
    world, *, identifier: str = "013900000001", protocol: str = Protocol.JT808, kind: str = DeviceKind.WRISTBAND
) -> Monitored:
    person = make_supervisee(world.office_a, responsible_officer=world.officer_a, status=Status.UNDER_SUPERVISION)
    actor = Actor(user=world.bureau_a)
    wristband = register_device(
        actor=actor, identifier=identifier, kind=kind, protocol=protocol, organisation=world.county_a
    )
    now = timezone.now()
    binding = bind_device(
        actor=actor,
        device=wristband,
        supervisee=person,
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=60),
    )
    fence = Fence.objects.filter(organisation=world.county_a, name="溆浦县").first() or create_fence(
        actor=actor,
        organisation=world.county_a,
        name="溆浦县",
        kind=FenceKind.INCLUSION,
        shape=FenceShape.POLYGON,
        geometry=COUNTY,
    )
    directory.invalidate()
    return Monitored(person, wristband, binding, fence)


@pytest.fixture
def monitored(world) -> Monitored:
    return make_monitored(world)


def location(
    identifier: str, when: dt.datetime, lat: float, lon: float, *, protocol: str = "jt808", **fields
) -> Report:
    message = DeviceMessage(identifier, MessageKind.LOCATION, [Fix(when, lat, lon)], **fields)
    return Report(protocol, message, timezone.now(), time.monotonic(), "127.0.0.1:1")


@pytest.fixture
def processor() -> BatchProcessor:
    return BatchProcessor()
