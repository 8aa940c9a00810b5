"""Pluggable alert channels beyond the in-app notification: an SMS gateway and a WeCom webhook.

Enable them with ZHENGTU_MONITORING_ALERT_CHANNELS = ["zhengtu.monitoring.alert_channels.SmsGatewayChannel", …]
and their URL settings. A channel that fails is recorded on the alert; the others still deliver.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User

from .models import Alert, AlertEvent
from .rules import rule

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


def alert_text(alert: Alert, reason: str) -> str:
    local = timezone.localtime(alert.raised_at).strftime("%Y-%m-%d %H:%M")
    prefix = _("[Escalated] ") if reason == "escalated" else ""
    return _("%(prefix)sZhengtu monitoring alert: %(kind)s, %(name)s, %(time)s. %(detail)s") % {
        "prefix": prefix,
        "kind": alert.get_kind_display(),
        "name": alert.supervisee.name,
        "time": local,
        "detail": alert.detail,
    }


def _post_json(url: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    if not url.startswith(("http://", "https://")):
        raise ValueError("channel URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")


class AlertChannel:
    name = "channel"

    def send(self, *, alert: Alert, text: str) -> None:
        raise NotImplementedError


class SmsGatewayChannel(AlertChannel):
    """POSTs {"to": [phone numbers], "text": …} to the site's SMS gateway (Bearer token if set)."""

    name = "sms"

    def send(self, *, alert: Alert, text: str) -> None:
        officer = alert.supervisee.responsible_officer
        phones = [officer.phone] if isinstance(officer, User) and officer.phone else []
        if not phones:
            raise ValueError("the responsible officer has no work phone")
        token = rule("SMS_GATEWAY_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        _post_json(rule("SMS_GATEWAY_URL"), {"to": phones, "text": text}, headers)


class WeComWebhookChannel(AlertChannel):
    """企业微信 group robot webhook: {"msgtype": "text", "text": {"content": …}}."""

    name = "wecom"

    def send(self, *, alert: Alert, text: str) -> None:
        _post_json(rule("WECOM_WEBHOOK_URL"), {"msgtype": "text", "text": {"content": text}})


def deliver(alert_id: int, reason: str) -> None:
    alert = Alert.objects.select_related("supervisee__responsible_officer").filter(pk=alert_id).first()
    if alert is None:
        return
    text = alert_text(alert, reason)
    for path in rule("ALERT_CHANNELS"):
        channel: AlertChannel = import_string(path)()
        try:
            channel.send(alert=alert, text=text)
        except Exception as error:  # noqa: BLE001 - one channel failing must not stop the others
            logger.warning("Alert %s: channel %s failed: %s", alert_id, channel.name, error)
            AlertEvent.objects.create(
                alert=alert, at=timezone.now(), action="notify_failed", note=f"{channel.name}: {error}"
            )
        else:
            AlertEvent.objects.create(alert=alert, at=timezone.now(), action="notified", note=channel.name)


# A delivery job older than this that left no trace is taken as lost (a queue is rarely that far behind).
REDELIVER_AFTER = dt.timedelta(minutes=10)
REDELIVER_WITHIN = dt.timedelta(hours=2)


def redeliver_lost(*, now: dt.datetime | None = None) -> int:
    """Queue again the delivery of alerts raised 10 minutes to 2 hours ago that left no trace of
    one (neither sent nor failed): its job was lost with Redis (the last second before a crash,
    with `appendfsync everysec`) or never queued (Redis away at the commit). Once per alert and
    job-consumer process (the cache marks it). Run by the minute job; the number queued."""
    if not rule("ALERT_CHANNELS"):
        return 0
    from django.core.cache import cache

    from .tasks import deliver_alert

    now = now or timezone.now()
    lost = list(
        Alert.objects.filter(raised_at__lte=now - REDELIVER_AFTER, raised_at__gt=now - REDELIVER_WITHIN)
        .exclude(events__action__in=["notified", "notify_failed"])
        .values_list("pk", flat=True)[:1000]
    )
    queued = 0
    for alert_id in lost:
        if cache.add(f"zhengtu:monitoring:redelivered:{alert_id}", 1, int(REDELIVER_WITHIN.total_seconds()) * 2):
            deliver_alert(alert_id, "raised")
            queued += 1
    if queued:
        logger.warning("%d alert deliveries were lost (job queue restarted?): queued again", queued)
    return queued
