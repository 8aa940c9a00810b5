"""Alert channels: an SMS gateway and a WeCom webhook receive the alert (a local HTTP server stands in)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from zhengtu.monitoring.models import AlertEvent
from zhengtu.monitoring.processing import Report
from zhengtu.monitoring.protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.tests.conftest import HOME


@pytest.fixture
def receiver():
    received: list[tuple[str, dict, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.path, body, self.headers.get("Authorization", "")))
            status = 500 if self.path == "/broken" else 200
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_sos_goes_to_sms_and_wecom(monitored, processor, settings, receiver, django_capture_on_commit_callbacks):
    base, received = receiver
    monitored.supervisee.responsible_officer.phone = "13700000000"
    monitored.supervisee.responsible_officer.save()
    settings.ZHENGTU_MONITORING_ALERT_CHANNELS = [
        "zhengtu.monitoring.alert_channels.SmsGatewayChannel",
        "zhengtu.monitoring.alert_channels.WeComWebhookChannel",
    ]
    settings.ZHENGTU_MONITORING_SMS_GATEWAY_URL = f"{base}/sms"
    settings.ZHENGTU_MONITORING_SMS_GATEWAY_TOKEN = "token-1"
    settings.ZHENGTU_MONITORING_WECOM_WEBHOOK_URL = f"{base}/wecom"
    message = DeviceMessage("013900000001", MessageKind.LOCATION, [Fix(timezone.now(), *HOME)], {Alarm.SOS})
    with django_capture_on_commit_callbacks(execute=True):
        processor.process([Report("jt808", message, timezone.now())])
    paths = {path: (body, auth) for path, body, auth in received}
    sms, auth = paths["/sms"]
    assert sms["to"] == ["13700000000"] and "SOS" in sms["text"] and monitored.supervisee.name in sms["text"]
    assert auth == "Bearer token-1"
    assert paths["/wecom"][0]["msgtype"] == "text"
    assert set(AlertEvent.objects.filter(action="notified").values_list("note", flat=True)) == {"sms", "wecom"}


def test_a_failing_channel_is_recorded_and_does_not_stop_the_others(
    monitored, processor, settings, receiver, django_capture_on_commit_callbacks
):
    base, received = receiver
    settings.ZHENGTU_MONITORING_ALERT_CHANNELS = [
        "zhengtu.monitoring.alert_channels.WeComWebhookChannel",
        "zhengtu.monitoring.alert_channels.SmsGatewayChannel",
    ]
    settings.ZHENGTU_MONITORING_WECOM_WEBHOOK_URL = f"{base}/broken"
    settings.ZHENGTU_MONITORING_SMS_GATEWAY_URL = f"{base}/sms"
    monitored.supervisee.responsible_officer.phone = "13700000000"
    monitored.supervisee.responsible_officer.save()
    message = DeviceMessage("013900000001", MessageKind.LOCATION, [Fix(timezone.now(), *HOME)], {Alarm.SOS})
    with django_capture_on_commit_callbacks(execute=True):
        processor.process([Report("jt808", message, timezone.now())])
    assert AlertEvent.objects.filter(action="notify_failed", note__startswith="wecom").exists()
    assert AlertEvent.objects.filter(action="notified", note="sms").exists()
