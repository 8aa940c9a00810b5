"""The curfew schedule, person-device separation, offline detection and escalation."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring import directory
from zhengtu.monitoring.alerts import detect_offline, escalate_overdue_alerts
from zhengtu.monitoring.fences.schedule import Schedule
from zhengtu.monitoring.models import Alert, AlertKind, DeviceBinding, DeviceKind, FenceKind, FenceShape, Protocol
from zhengtu.monitoring.services import bind_device, create_fence, register_device
from zhengtu.monitoring.tests.conftest import HOME, location
from zhengtu.workspace.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def test_curfew_window_wraps_midnight():
    curfew = Schedule(dt.time(22, 0), dt.time(6, 0), frozenset(range(1, 8)))
    assert curfew.active_at(local(2, 23, 30))
    assert curfew.active_at(local(3, 5, 59))
    assert not curfew.active_at(local(3, 6, 0))
    assert not curfew.active_at(local(3, 21, 59))
    weekdays_only = Schedule(dt.time(22, 0), dt.time(6, 0), frozenset({1, 2, 3, 4, 5}))  # nights starting Mon–Fri
    assert weekdays_only.active_at(local(6, 23, 0))  # Friday night
    assert weekdays_only.active_at(local(7, 2, 0))  # Saturday 02:00 belongs to Friday's night
    assert not weekdays_only.active_at(local(7, 23, 0))  # Saturday night


def test_curfew_fence_alerts_only_at_night(world, monitored, processor, settings):
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_FIXES = 2
    create_fence(
        actor=Actor(user=world.bureau_a),
        organisation=world.county_a,
        supervisee=monitored.supervisee,
        name="居所宵禁",
        kind=FenceKind.INCLUSION,
        shape=FenceShape.CIRCLE,
        center_latitude=HOME[0],
        center_longitude=HOME[1],
        radius_m=150,
        active_from=dt.time(22, 0),
        active_until=dt.time(6, 0),
    )
    town = (27.9183, 110.5939)  # 1.1 km north of home, inside the county
    # An evening two days ago, under a binding that began three days ago: "yesterday" failed every
    # day from 22:06 Beijing time, when yesterday's 22:05 fell before the fixture's binding (now − 1 day).
    DeviceBinding.objects.filter(pk=monitored.binding.pk).update(starts_at=timezone.now() - dt.timedelta(days=3))
    directory.invalidate()
    evening = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=2), dt.time(20, 0), tzinfo=SHANGHAI)
    # 20:00–20:10 in town: no curfew yet.
    for minute in range(0, 10, 2):
        processor.process([location("013900000001", evening + dt.timedelta(minutes=minute), *town)])
    assert not Alert.objects.exists()
    # 22:05 still in town: breach of the curfew after two fixes.
    late = evening + dt.timedelta(hours=2, minutes=5)
    processor.process([location("013900000001", late, *town)])
    processor.process([location("013900000001", late + dt.timedelta(minutes=1), *town)])
    alert = Alert.objects.get(kind=AlertKind.FENCE_BREACH)
    assert alert.fence.name == "居所宵禁"


def test_separation_of_phone_and_wristband(world, monitored, processor, settings):
    settings.ZHENGTU_MONITORING_SEPARATION_METRES = 200
    settings.ZHENGTU_MONITORING_SEPARATION_CONFIRM_FIXES = 2
    actor = Actor(user=world.bureau_a)
    phone = register_device(
        actor=actor, identifier="phone-7", kind=DeviceKind.PHONE, protocol=Protocol.OSMAND, organisation=world.county_a
    )
    now = timezone.now()
    bind_device(
        actor=actor,
        device=phone,
        supervisee=monitored.supervisee,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=30),
    )
    start = now - dt.timedelta(minutes=10)
    near = (HOME[0] + 0.0005, HOME[1])  # ~55 m
    far = (HOME[0] + 0.01, HOME[1])  # ~1.1 km
    processor.process([location("013900000001", start, *HOME)])
    processor.process([location("phone-7", start + dt.timedelta(seconds=20), *near, protocol="osmand")])
    assert not Alert.objects.filter(kind=AlertKind.SEPARATION).exists()
    processor.process([location("phone-7", start + dt.timedelta(seconds=120), *far, protocol="osmand")])
    assert not Alert.objects.filter(kind=AlertKind.SEPARATION).exists()  # one fix is not enough
    processor.process([location("013900000001", start + dt.timedelta(seconds=140), *HOME)])
    alert = Alert.objects.get(kind=AlertKind.SEPARATION)
    assert "1" in alert.detail  # distance in metres
    processor.process([location("phone-7", start + dt.timedelta(seconds=240), *near, protocol="osmand")])
    alert.refresh_from_db()
    assert alert.cleared_at is not None


def test_offline_detection_for_wristbands_and_phone_apps(world, monitored, processor, settings):
    settings.ZHENGTU_MONITORING_OFFLINE_MINUTES = {"wristband": 10, "phone": 30}
    now = timezone.now()
    processor.process([location("013900000001", now - dt.timedelta(minutes=1), *HOME)])
    assert detect_offline(now=now) == 0
    assert detect_offline(now=now + dt.timedelta(minutes=11)) == 1
    alert = Alert.objects.get(kind=AlertKind.OFFLINE)
    assert alert.device == monitored.wristband
    assert detect_offline(now=now + dt.timedelta(minutes=20)) == 0  # one alert until it is back
    # The device reports again: the condition clears.
    processor.process([location("013900000001", now, HOME[0] + 0.0001, HOME[1])])
    alert.refresh_from_db()
    assert alert.cleared_at is not None


def test_unacknowledged_alerts_escalate_to_the_county_bureau(world, monitored, processor, settings):
    settings.ZHENGTU_MONITORING_ESCALATION_MINUTES = 15
    now = timezone.now()
    processor.process([location("013900000001", now, *HOME)])
    detect_offline(now=now + dt.timedelta(minutes=11))
    alert = Alert.objects.get()
    assert escalate_overdue_alerts(now=now + dt.timedelta(minutes=20)) == 0
    assert escalate_overdue_alerts(now=now + dt.timedelta(minutes=27)) == 1
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    assert Notification.objects.filter(recipient=world.bureau_a, kind="monitoring_escalation").exists()
    assert escalate_overdue_alerts(now=now + dt.timedelta(minutes=40)) == 0
