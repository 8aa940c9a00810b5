"""The alerts of one ingest batch: their history and notifications are written with the batch, once it succeeds."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.monitoring.models import Alert, AlertEvent, AlertKind, FenceState
from zhengtu.monitoring.processing import BatchRefused, Report
from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.tests.conftest import HOME, JUST_INSIDE, JUST_OUTSIDE, make_monitored
from zhengtu.workspace.models import Notification


def _alarming() -> Report:
    now = timezone.now()
    message = DeviceMessage(
        "013900000001", MessageKind.LOCATION, [Fix(now, *HOME)], {Alarm.SOS, Alarm.TAMPER}, 12, carries_status=True
    )
    return Report("jt808", message, now)


def test_every_alert_of_a_batch_has_its_history_and_notifies_the_officer(monitored, processor):
    processor.process([_alarming()])
    alerts = list(Alert.objects.all())
    assert {a.kind for a in alerts} == {AlertKind.SOS, AlertKind.TAMPER, AlertKind.LOW_BATTERY}
    for alert in alerts:
        assert list(AlertEvent.objects.filter(alert=alert).values_list("action", flat=True)) == ["raised"]
    officer = monitored.supervisee.responsible_officer
    notified = set(Notification.objects.filter(recipient=officer).values_list("url", flat=True))
    assert notified == {reverse("monitoring:alert_detail", args=[a.pk]) for a in alerts}


def test_a_refused_batch_leaves_no_alert_history_or_notification(monitored, processor):
    def refuse() -> None:
        raise BatchRefused("another writer holds these devices")

    with pytest.raises(BatchRefused):
        processor.process([_alarming()], guard=refuse)
    assert not Alert.objects.exists()
    assert not AlertEvent.objects.exists()
    assert not Notification.objects.exists()


# -- fence alerts raised together: one insert at the batch's end (ids read back) ----------------


def _walk(identifier: str, start, points) -> Report:
    """One report carrying several fixes a minute apart (blind-area data sent at once)."""
    fixes = [Fix(start + dt.timedelta(minutes=i), *point) for i, point in enumerate(points)]
    return Report("jt808", DeviceMessage(identifier, MessageKind.LOCATION, fixes), timezone.now())


@pytest.fixture
def three_people(world, monitored, settings):
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_FIXES = 3
    settings.ZHENGTU_MONITORING_BREACH_CONFIRM_SECONDS = 600
    others = [make_monitored(world, identifier=f"01390000000{n}") for n in (2, 3)]
    return [monitored, *others]


def test_several_fence_alerts_in_one_batch_each_get_their_row_history_and_notification(three_people, processor):
    start = timezone.now() - dt.timedelta(minutes=30)
    identifiers = [m.wristband.identifier for m in three_people]
    processor.process([_walk(i, start, [JUST_OUTSIDE] * 3) for i in identifiers])

    alerts = {a.supervisee_id: a for a in Alert.objects.filter(kind=AlertKind.FENCE_BREACH)}
    assert set(alerts) == {m.supervisee.pk for m in three_people}
    officer = three_people[0].supervisee.responsible_officer
    notified = list(Notification.objects.filter(recipient=officer).values_list("url", flat=True))
    assert sorted(notified) == sorted(reverse("monitoring:alert_detail", args=[a.pk]) for a in alerts.values())
    for m in three_people:
        alert = alerts[m.supervisee.pk]
        assert alert.device_id == m.wristband.pk and alert.fence_id == m.county_fence.pk
        assert list(AlertEvent.objects.filter(alert=alert).values_list("action", flat=True)) == ["raised"]
        # The drift counter points at the person's own alert (not at a stand-in id).
        assert FenceState.objects.get(supervisee=m.supervisee, fence=m.county_fence).breach_id == alert.pk

    # Still outside in the next batch: no second alert. Back inside: each person's alert clears.
    processor.process([_walk(i, start + dt.timedelta(minutes=3), [JUST_OUTSIDE]) for i in identifiers])
    assert Alert.objects.filter(kind=AlertKind.FENCE_BREACH).count() == 3
    processor.process([_walk(i, start + dt.timedelta(minutes=4), [JUST_INSIDE]) for i in identifiers])
    assert not Alert.objects.filter(kind=AlertKind.FENCE_BREACH, cleared_at__isnull=True).exists()
    assert not FenceState.objects.filter(breach__isnull=False).exists()


def test_an_alert_raised_and_cleared_in_the_same_batch_is_stored_cleared(three_people, processor):
    start = timezone.now() - dt.timedelta(minutes=30)
    identifier = three_people[0].wristband.identifier
    processor.process([_walk(identifier, start, [JUST_OUTSIDE] * 3 + [JUST_INSIDE])])
    alert = Alert.objects.get(kind=AlertKind.FENCE_BREACH)
    assert alert.cleared_at is not None
    assert list(AlertEvent.objects.filter(alert=alert).values_list("action", flat=True)) == ["raised"]
    assert FenceState.objects.get(supervisee=three_people[0].supervisee).breach_id is None
    # Leaving again later is a new breach.
    processor.process([_walk(identifier, start + dt.timedelta(minutes=5), [JUST_OUTSIDE] * 3)])
    assert Alert.objects.filter(kind=AlertKind.FENCE_BREACH).count() == 2


def test_a_refused_batch_of_fence_alerts_leaves_nothing_and_its_resend_raises_them_once(three_people, processor):
    def refuse() -> None:
        raise BatchRefused("another writer holds these devices")

    start = timezone.now() - dt.timedelta(minutes=30)
    reports = [_walk(m.wristband.identifier, start, [JUST_OUTSIDE] * 3) for m in three_people]
    with pytest.raises(BatchRefused):
        processor.process(reports, guard=refuse)
    assert not Alert.objects.exists()
    assert not AlertEvent.objects.exists()
    assert not Notification.objects.exists()
    assert not FenceState.objects.exists()

    processor.process(reports)  # the devices send again
    assert Alert.objects.filter(kind=AlertKind.FENCE_BREACH).count() == 3
    assert AlertEvent.objects.count() == 3
    assert Notification.objects.count() == 3


def test_without_returning_the_batch_alerts_are_inserted_one_by_one(three_people, processor, monkeypatch):
    """A database that cannot read ids back from a bulk insert (SQLite before 3.35)."""
    from django.db import connection

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    start = timezone.now() - dt.timedelta(minutes=30)
    processor.process([_walk(m.wristband.identifier, start, [JUST_OUTSIDE] * 3) for m in three_people])
    alerts = list(Alert.objects.filter(kind=AlertKind.FENCE_BREACH))
    assert len(alerts) == 3
    assert AlertEvent.objects.filter(alert__in=alerts, action="raised").count() == 3
    assert set(FenceState.objects.values_list("breach_id", flat=True)) == {a.pk for a in alerts}
