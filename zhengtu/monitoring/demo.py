"""Demo data for electronic monitoring: devices on a few strict-level supervisees of 溆浦县, a county
fence, curfew and exclusion fences, and a few hours of positions run through the real ingest
pipeline (so the alerts the map shows were raised by the same rules as in production).

Idempotent: nothing is added when demo devices already exist.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Status, Supervisee, SupervisionLevel

from .models import Device, DeviceKind, FenceKind, FenceShape, Protocol
from .processing import BatchProcessor, Report
from .protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from .services import bind_device, create_fence, register_device

COUNTY_NAME = "溆浦县社区矫正管理局"
# 溆浦县 county seat (卢峰镇) and a rough outline of the county (WGS-84, lon/lat).
SEAT = (27.9083, 110.5939)
XUPU_OUTLINE = [
    [110.25, 27.62], [110.55, 27.55], [110.90, 27.62], [111.05, 27.85],
    [110.98, 28.12], [110.70, 28.25], [110.40, 28.18], [110.22, 27.95], [110.25, 27.62],
]  # fmt: skip
SCHOOL = (27.9135, 110.6012)  # an exclusion zone (a school under a prohibition order)
PEOPLE = {"county": 12, "city": 40, "province": 120}
PROTOCOLS = [Protocol.JT808, Protocol.GT06, Protocol.WATCH]


def _walk(
    rng: random.Random, home: tuple[float, float], steps: int, *, drift_to: tuple[float, float] | None = None
) -> list[tuple[float, float]]:
    lat, lon = home
    points = []
    for step in range(steps):
        if drift_to is not None and step > steps // 2:
            lat += (drift_to[0] - lat) * 0.25
            lon += (drift_to[1] - lon) * 0.25
        else:
            lat += rng.uniform(-0.0008, 0.0008)
            lon += rng.uniform(-0.0008, 0.0008)
            lat += (home[0] - lat) * 0.1
            lon += (home[1] - lon) * 0.1
        points.append((lat, lon))
    return points


def _home(rng: random.Random, index: int) -> tuple[float, float]:
    angle = index * 2.399963  # spread homes around the county seat
    radius = 0.01 + 0.12 * math.sqrt(rng.random())
    return SEAT[0] + radius * math.sin(angle), SEAT[1] + radius * math.cos(angle) * 1.1


def seed(*, scale: str) -> None:
    if Device.objects.filter(notes="demo").exists():
        return
    county = Organisation.objects.filter(name=COUNTY_NAME, kind=OrganisationKind.COUNTY_BUREAU).first()
    if county is None:
        return
    people = list(
        Supervisee.objects.filter(
            responsible_office__path__startswith=county.path, status=Status.UNDER_SUPERVISION
        ).order_by(
            # strict-level people first: electronic monitoring is for the highest-risk cases
            "-supervision_level",
            "pk",
        )[: PEOPLE.get(scale, 12)]
    )
    people.sort(key=lambda p: p.supervision_level != SupervisionLevel.STRICT)
    if not people:
        return
    rng = random.Random(20201)  # noqa: S311 - demo data
    now = timezone.now()
    with transaction.atomic():
        create_fence(
            actor=None,
            organisation=county,
            name="溆浦县行政区域",
            kind=FenceKind.INCLUSION,
            shape=FenceShape.POLYGON,
            geometry={"type": "Polygon", "coordinates": [XUPU_OUTLINE]},
        )
        create_fence(
            actor=None,
            organisation=county,
            name="县第一中学（禁止令）",
            kind=FenceKind.EXCLUSION,
            shape=FenceShape.CIRCLE,
            center_latitude=SCHOOL[0],
            center_longitude=SCHOOL[1],
            radius_m=250,
        )
        reports: list[Report] = []
        for index, person in enumerate(people):
            home = _home(rng, index)
            protocol = PROTOCOLS[index % len(PROTOCOLS)]
            identifier = (
                f"{13900000000 + index + 1}" if protocol == Protocol.JT808 else f"{868120000000000 + index + 1}"
            )
            wristband = register_device(
                actor=None,
                identifier=identifier,
                kind=DeviceKind.WRISTBAND,
                protocol=protocol,
                organisation=county,
                model_name="演示手环",
                notes="demo",
            )
            bind_device(
                actor=None,
                device=wristband,
                supervisee=person,
                starts_at=now - dt.timedelta(days=20),
                ends_at=now + dt.timedelta(days=70),
                approval_reference=f"溆矫定审〔{now.year}〕{index + 1}号",
            )
            devices = [wristband]
            if index % 3 == 0:  # some also carry the location app on their phone (seed 003)
                phone = register_device(
                    actor=None,
                    identifier=f"app-{person.pk}",
                    kind=DeviceKind.PHONE,
                    protocol=Protocol.OSMAND,
                    organisation=county,
                    notes="demo",
                )
                bind_device(
                    actor=None,
                    device=phone,
                    supervisee=person,
                    starts_at=now - dt.timedelta(days=20),
                    ends_at=now + dt.timedelta(days=70),
                )
                devices.append(phone)
            if index == 0:
                create_fence(
                    actor=None,
                    organisation=county,
                    supervisee=person,
                    name=f"{person.name}居所（宵禁 22:00–06:00）",
                    kind=FenceKind.INCLUSION,
                    shape=FenceShape.CIRCLE,
                    center_latitude=home[0],
                    center_longitude=home[1],
                    radius_m=200,
                    active_from=dt.time(22, 0),
                    active_until=dt.time(6, 0),
                )
            # Three hours of fixes every five minutes; person 1 walks out of the county, person 2
            # lingers at the school, person 3's phone stays at home while the wristband moves.
            drift = {1: (28.30, 110.60), 2: SCHOOL, 3: (home[0] + 0.012, home[1])}.get(index)
            path = _walk(rng, home, 36, drift_to=drift)
            for step, (lat, lon) in enumerate(path):
                if index == 6 and 12 <= step < 24:
                    continue  # person 6's wristband is off for an hour: the track map draws two lines
                when = now - dt.timedelta(minutes=5 * (36 - step))
                alarms: set[Alarm] = {Alarm.SOS} if index == 4 and step == 30 else set()
                battery = max(5, 95 - step * (2 if index == 5 else 1))
                message = DeviceMessage(
                    wristband.identifier,
                    MessageKind.LOCATION,
                    [Fix(when, lat, lon, satellites=8)],
                    alarms,
                    battery,
                    True,
                )
                reports.append(Report(protocol, message, when))
                if len(devices) > 1:
                    phone_point = home if index == 3 else (lat + 0.0002, lon)
                    phone_message = DeviceMessage(
                        devices[1].identifier, MessageKind.LOCATION, [Fix(when, *phone_point)]
                    )
                    reports.append(Report(Protocol.OSMAND, phone_message, when))
    reports.sort(key=lambda r: r.message.fixes[0].time)
    processor = BatchProcessor()
    processor.directory.load()
    for start in range(0, len(reports), 200):
        processor.process(reports[start : start + 200])
