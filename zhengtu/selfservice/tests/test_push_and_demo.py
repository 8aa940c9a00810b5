"""Web Push adapter up to the HTTP request, against a fake push service on 127.0.0.1; the app's demo data."""

from __future__ import annotations

import base64
import http.server
import json
import os
import threading
from collections.abc import Iterator
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from zhengtu.selfservice.models import PushSubscription
from zhengtu.selfservice.push import ensure_vapid_key, public_key, push_to_user, send_push

pytestmark = pytest.mark.django_db


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakePushService(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer = 201

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakePushService.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(FakePushService.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def push_service(settings, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_VAPID_KEY_FILE = str(tmp_path / "vapid.pem")
    settings.ZHENGTU_WEBPUSH_ALLOW_LOCAL_HTTP = True
    ensure_vapid_key()
    FakePushService.received = []
    FakePushService.answer = 201
    server = http.server.HTTPServer(("127.0.0.1", 0), FakePushService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _subscription(user, endpoint):  # type: ignore[no-untyped-def]
    browser_key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    public = browser_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    subscription = PushSubscription.objects.create(user=user, endpoint=endpoint, p256dh=_b64(public), auth=_b64(auth))
    return subscription, browser_key, auth


def test_a_push_is_encrypted_for_the_browser_and_signed_with_vapid(push_service, my_account) -> None:  # type: ignore[no-untyped-def]
    subscription, browser_key, auth = _subscription(my_account, f"{push_service}/push/abc")
    status = send_push(subscription, {"title": "点名", "body": "请在 30 分钟内报到", "url": "/app/checkin/"})
    assert status == 201
    request = FakePushService.received[0]
    headers = {key.lower(): value for key, value in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert public_key() in headers["authorization"]
    plain = http_ece.decrypt(request["body"], private_key=browser_key, auth_secret=auth, version="aes128gcm")
    assert json.loads(plain)["title"] == "点名"


def test_a_gone_subscription_is_forgotten(push_service, my_account) -> None:  # type: ignore[no-untyped-def]
    _subscription(my_account, f"{push_service}/push/gone")
    FakePushService.answer = 410
    assert push_to_user(my_account.pk, {"title": "x"}) == 0
    assert not PushSubscription.objects.exists()


def test_the_page_registers_a_subscription_through_the_api(push_service, client, my_account, me) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.selfservice.tests.test_api import token_for

    auth = token_for(my_account)
    response = client.post(
        "/api/v1/app/push-subscriptions/",
        {"endpoint": f"{push_service}/push/new", "keys": {"p256dh": "x" * 87, "auth": "y" * 22}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get().user == my_account
    refused = client.post(
        "/api/v1/app/push-subscriptions/",
        {"endpoint": "http://10.0.0.1/internal", "keys": {"p256dh": "x", "auth": "y"}},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400


def test_demo_supervisees_get_a_registry_photo_and_a_first_message(world, me, my_account) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.selfservice.demo import seed
    from zhengtu.selfservice.models import Message

    type(me).objects.filter(pk=me.pk).update(photo="")
    seed(scale="county")
    seed(scale="county")
    me.refresh_from_db()
    assert me.photo
    assert Message.objects.filter(supervisee=me).count() == 1
