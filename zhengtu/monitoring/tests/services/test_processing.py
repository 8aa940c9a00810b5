import datetime as dt

import pytest
from django.utils import timezone

from zhengtu.monitoring.models import Alert, AlertKind, DeviceState, Position, UnknownDevice
from zhengtu.monitoring.processing import Report
from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.tests.conftest import HOME, JUST_INSIDE, JUST_OUTSIDE, OUTSIDE, location
from zhengtu.workspace.models import Notification


def test_fixes_are_stored_with_supervisee_and_latest_state(monitored, processor):
    now = timezone.now()
    (outcome,) = processor.process([location("013900000001", now - dt.timedelta(seconds=5), *HOME)])
    assert outcome.known and outcome.stored == 1
    position = Position.objects.get()
    assert position.supervisee_id == monitored.supervisee.pk
    assert (position.latitude, position.longitude) == HOME
    state = DeviceState.objects.get(device=monitored.wristband)
    assert state.latitude == HOME[0] and state.last_seen_at is not None


@pytest.mark.parametrize(
    ("fix_kwargs", "reason"),
    [
        ({"valid": False}, "invalid"),
        ({"latitude": 0.0, "longitude": 0.0}, "zero"),
        ({"time_shift": dt.timedelta(hours=2)}, "future"),
        ({"time_shift": -dt.timedelta(days=30)}, "past"),
    ],
)
def test_filters_drop_bad_fixes(monitored, processor, fix_kwargs, reason):
    now = timezone.now()
    shift = fix_kwargs.pop("time_shift", dt.timedelta(0))
    fix = Fix(now + shift, fix_kwargs.pop("latitude", HOME[0]), fix_kwargs.pop("longitude", HOME[1]), **fix_kwargs)
    report = Report("jt808", DeviceMessage("013900000001", MessageKind.LOCATION, [fix]), now)
    (outcome,) = processor.process([report])
    assert (outcome.stored, outcome.rejected) == (0, 1)
    assert not Position.objects.exists()


def test_duplicates_and_impossible_jumps_are_dropped(monitored, processor):
    now = timezone.now()
    first = location("013900000001", now - dt.timedelta(seconds=60), *HOME)
    duplicate = location("013900000001", now - dt.timedelta(seconds=60), *HOME)
    jump = location("013900000001", now - dt.timedelta(seconds=50), 31.23, 121.47)  # Shanghai 10 s later
    outcomes = processor.process([first, duplicate, jump])
    assert [o.stored for o in outcomes] == [1, 0, 0]
    assert Position.objects.count() == 1


def test_unknown_device_is_recorded_for_registration(monitored, processor):
    (outcome,) = processor.process([location("99999", timezone.now(), *HOME)])
    assert not outcome.known
    unknown = UnknownDevice.objects.get(identifier="99999")
    assert unknown.protocol == "jt808" and unknown.frames == 1
    processor.process([location("99999", timezone.now(), *HOME)])
    unknown.refresh_from_db()
    assert unknown.frames == 2
    assert not Position.objects.exists()


def test_drift_rule_needs_consecutive_fixes_outside(monitored, processor, settings):
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_FIXES = 3
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_SECONDS = 600
    start = timezone.now() - dt.timedelta(minutes=30)
    tick = iter(range(1000))

    def at_point(point):
        return location("013900000001", start + dt.timedelta(seconds=60 * next(tick)), *point)

    # Drift: two fixes outside, then back inside — no alert.
    processor.process([at_point(JUST_OUTSIDE)])
    processor.process([at_point(JUST_OUTSIDE)])
    processor.process([at_point(JUST_INSIDE)])
    assert not Alert.objects.exists()
    # Three consecutive fixes outside confirm a breach: one alert, even as more fixes come.
    for _ in range(6):
        processor.process([at_point(JUST_OUTSIDE)])
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.FENCE_BREACH and alert.fence == monitored.county_fence
    assert alert.cleared_at is None
    notification = Notification.objects.get(recipient=monitored.supervisee.responsible_officer)
    assert "越界" in notification.title or "Fence" in notification.title
    # Back inside clears it; leaving again is a second breach.
    processor.process([at_point(JUST_INSIDE)])
    alert.refresh_from_db()
    assert alert.cleared_at is not None
    for _ in range(3):
        processor.process([at_point(JUST_OUTSIDE)])
    assert Alert.objects.filter(kind=AlertKind.FENCE_BREACH).count() == 2


def test_breach_confirmed_by_time_outside(monitored, processor, settings):
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_FIXES = 100
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_SECONDS = 120
    start = timezone.now() - dt.timedelta(minutes=10)
    processor.process([location("013900000001", start, *OUTSIDE)])
    processor.process([location("013900000001", start + dt.timedelta(seconds=60), *OUTSIDE)])
    assert not Alert.objects.exists()
    processor.process([location("013900000001", start + dt.timedelta(seconds=121), *OUTSIDE)])
    assert Alert.objects.filter(kind=AlertKind.FENCE_BREACH).count() == 1


def test_sos_tamper_and_low_battery_alerts(monitored, processor):
    now = timezone.now()
    message = DeviceMessage(
        "013900000001",
        MessageKind.LOCATION,
        [Fix(now, *HOME)],
        {Alarm.SOS, Alarm.TAMPER},
        battery_percent=12,
        carries_status=True,
    )
    processor.process([Report("jt808", message, now)])
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert kinds == {AlertKind.SOS, AlertKind.TAMPER, AlertKind.LOW_BATTERY}
    # Repeated flags do not flood.
    message2 = DeviceMessage(
        "013900000001",
        MessageKind.LOCATION,
        [Fix(now + dt.timedelta(seconds=30), *HOME)],
        {Alarm.SOS, Alarm.TAMPER},
        10,
        True,
    )
    processor.process([Report("jt808", message2, now)])
    assert Alert.objects.count() == 3
    # A report without the tamper bit and a charged battery clear those conditions.
    message3 = DeviceMessage(
        "013900000001", MessageKind.LOCATION, [Fix(now + dt.timedelta(seconds=60), *HOME)], set(), 90, True
    )
    processor.process([Report("jt808", message3, now)])
    cleared = set(Alert.objects.filter(cleared_at__isnull=False).values_list("kind", flat=True))
    assert cleared == {AlertKind.TAMPER, AlertKind.LOW_BATTERY}


def test_a_database_outage_fails_the_whole_batch_so_nothing_is_acknowledged(monitored, processor, monkeypatch):
    """The database unreachable (a restart): the batch fails as a whole (its devices get no
    answer and send again), instead of each report being retried alone and answered as unknown."""
    from django.db import OperationalError

    calls = []

    def unreachable(reports):  # type: ignore[no-untyped-def]
        calls.append(len(reports))
        raise OperationalError("connection refused")

    monkeypatch.setattr(processor, "_process_atomic", unreachable)
    now = timezone.now()
    reports = [location("013900000001", now - dt.timedelta(seconds=s), *HOME) for s in (5, 10, 15)]
    with pytest.raises(OperationalError):
        processor.process(reports)
    assert calls == [3]
    assert not Position.objects.exists()
