"""An alert whose delivery job was lost (a Redis crash, the queue away at the commit) is delivered
by the minute job, once; a delivery that cannot be queued does not fail the writer's batch."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from zhengtu.monitoring.alert_channels import redeliver_lost
from zhengtu.monitoring.models import Alert, AlertEvent
from zhengtu.monitoring.protocols.base import Alarm
from zhengtu.monitoring.tests.conftest import HOME, location


@pytest.fixture
def webhook():
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _channels(settings, base: str) -> None:
    settings.ZHENGTU_MONITORING_ALERT_CHANNELS = ["zhengtu.monitoring.alert_channels.WeComWebhookChannel"]
    settings.ZHENGTU_MONITORING_WECOM_WEBHOOK_URL = f"{base}/wecom"


def test_a_lost_delivery_is_queued_again_once(
    monitored, processor, settings, webhook, django_capture_on_commit_callbacks
):
    base, received = webhook
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # raised while no channel was set: no job queued
        processor.process([location(monitored.wristband.identifier, now, *HOME, alarms={Alarm.SOS})])
    alert = Alert.objects.get(kind="sos")
    _channels(settings, base)
    assert redeliver_lost(now=now + dt.timedelta(minutes=1)) == 0  # a queue may still be working on it
    assert redeliver_lost(now=now + dt.timedelta(minutes=11)) == 1
    assert len(received) == 1 and received[0] == "/wecom"
    assert AlertEvent.objects.filter(alert=alert, action="notified").count() == 1
    assert redeliver_lost(now=now + dt.timedelta(minutes=12)) == 0  # delivered: nothing again
    assert len(received) == 1


def test_a_queue_away_at_the_commit_does_not_fail_the_batch(
    monitored,
    processor,
    settings,
    webhook,
    django_capture_on_commit_callbacks,
):
    base, received = webhook
    _channels(settings, base)
    now = timezone.now()
    with (
        mock.patch("zhengtu.monitoring.tasks.deliver_alert", side_effect=ConnectionError("Redis is away")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outcomes = processor.process([location(monitored.wristband.identifier, now, *HOME, alarms={Alarm.SOS})])
    assert outcomes[0].stored == 1  # answered: the device does not send it again
    assert received == []
    assert redeliver_lost(now=now + dt.timedelta(minutes=11)) == 1
    assert len(received) == 1
