"""The alerts of one ingest batch: their history and notifications are written with the batch, once it succeeds."""

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtu.monitoring.models import Alert, AlertEvent, AlertKind
from zhengtu.monitoring.processing import BatchRefused, Report
from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.tests.conftest import HOME
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
