"""Web Push (RFC 8030 / 8291 / 8292) without a third-party push library: http_ece encrypts the payload, py_vapid
signs the VAPID header, urllib sends the request. Keys are made at setup in the key directory, never committed.

`send_push(subscription, payload)` is the adapter; `WebPushChannel` plugs it into monitoring's alert channels
(ZHENGTU_MONITORING_ALERT_CHANNELS) so officers with a subscribed browser get alerts as push messages too.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02

from .models import PushSubscription

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_path() -> Path:
    return Path(getattr(settings, "ZHENGTU_VAPID_KEY_FILE", "") or Path(settings.KEY_DIR) / "vapid-private.pem")


def ensure_vapid_key() -> Path:
    """Create the site's VAPID key pair once (at setup; `manage.py make_vapid_key`). Mode 0600."""
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    return path


def _vapid() -> Vapid02 | None:
    path = key_path()
    if not path.exists():
        return None
    return Vapid02.from_file(str(path))


def public_key() -> str:
    """The application server key the browser subscribes with (base64url, uncompressed point); "" without keys."""
    vapid = _vapid()
    if vapid is None:
        return ""
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(raw)


def endpoint_allowed(endpoint: str) -> bool:
    """Push services are https; plain http only where a test's fake push service runs on this machine."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return True
    return bool(getattr(settings, "ZHENGTU_WEBPUSH_ALLOW_LOCAL_HTTP", False)) and parts.hostname in {
        "127.0.0.1",
        "localhost",
    }


def send_push(subscription: PushSubscription, payload: dict[str, Any], *, ttl: int = 3600) -> int:
    """Encrypt and POST one message. Returns the push service's HTTP status; a gone subscription is deleted."""
    vapid = _vapid()
    if vapid is None:
        raise RuntimeError("no VAPID key: run `manage.py make_vapid_key` at setup")
    if not endpoint_allowed(subscription.endpoint):
        raise ValueError("push endpoint must be https")
    sender_key = ec.generate_private_key(ec.SECP256R1())
    body = http_ece.encrypt(
        json.dumps(payload, ensure_ascii=False).encode(),
        salt=os.urandom(16),
        private_key=sender_key,
        dh=_unb64url(subscription.p256dh),
        auth_secret=_unb64url(subscription.auth),
        version="aes128gcm",
    )
    parts = urlsplit(subscription.endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 3600,
        "sub": getattr(settings, "ZHENGTU_VAPID_SUBJECT", "mailto:admin@localhost"),
    }
    headers = {
        **vapid.sign(claims),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(ttl),
        "Urgency": "high",
    }
    request = urllib.request.Request(subscription.endpoint, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - checked above
            return int(response.status)
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            subscription.delete()
        return int(error.code)


def push_to_user(user_id: int, payload: dict[str, Any]) -> int:
    """Send to every subscribed browser of a user; returns how many accepted it. Failures are logged only."""
    sent = 0
    if _vapid() is None:
        return 0
    for subscription in PushSubscription.objects.filter(user_id=user_id):
        try:
            if send_push(subscription, payload) < 300:
                sent += 1
        except (OSError, ValueError) as error:
            logger.warning("Web Push to user %s failed: %s", user_id, error)
    return sent


class WebPushChannel:
    """Monitoring alert channel: the responsible officer's subscribed browsers get the alert text."""

    name = "webpush"

    def send(self, *, alert: Any, text: str) -> None:
        officer_id = alert.supervisee.responsible_officer_id
        if officer_id is None or not push_to_user(officer_id, {"title": "正途", "body": text, "url": "/tasks/"}):
            raise ValueError("no subscribed browser of the responsible officer accepted the message")
