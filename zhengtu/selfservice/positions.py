"""The one place where the app hands a position to monitoring (信息化核查): the same fences and alerts as a device.

The phone is registered in monitoring as a "phone app" device (identifier `app-<person id>`, OsmAnd protocol, the
kind a Traccar client on the phone would have) and bound to the person; the check-in's position then goes through
monitoring's batch processor exactly like a report from the device gateway: stored in the track, checked against the
fences, alerts raised and sent. If the person already has a phone device bound, that device carries the position.

Why not the gateway's `Ingestor.submit`: that is an asyncio queue into the writer owned by the gateway process; a web
request has no handle on it. `BatchProcessor.process` is the writer's own public entry point (monitoring's demo data
uses it the same way). If monitoring changes its entry point, this module is the only caller to change.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhengtu.monitoring.models import Device, DeviceBinding, DeviceKind, Protocol
from zhengtu.monitoring.processing import BatchProcessor, Report
from zhengtu.monitoring.protocols.base import DeviceMessage, Fix, MessageKind
from zhengtu.monitoring.services import bind_device, register_device
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervision.rules import monitoring_rules

logger = logging.getLogger(__name__)


def app_device_identifier(supervisee: Supervisee) -> str:
    return f"app-{supervisee.pk}"


def _device_for(supervisee: Supervisee, at: dt.datetime) -> Device | None:
    """The phone device bound to the person at `at`, binding the app's own device when none is."""
    bound = (
        DeviceBinding.objects.filter(
            supervisee=supervisee, device__kind=DeviceKind.PHONE, starts_at__lte=at, ends_at__gt=at
        )
        .filter(unbound_at__isnull=True)
        .select_related("device")
        .first()
    )
    if bound is not None:
        return bound.device
    identifier = app_device_identifier(supervisee)
    device = Device.objects.filter(identifier=identifier).first()
    if device is None:
        device = register_device(
            actor=None,
            identifier=identifier,
            kind=DeviceKind.PHONE,
            protocol=Protocol.OSMAND,
            organisation=supervisee.responsible_office,
            notes="正途手机端",
        )
    # Law art. 29 limits one monitoring period; its one setting is the approval workflow's (supervision.rules).
    months = monitoring_rules().max_period_months
    ends_at = min(
        at + dt.timedelta(days=28 * months),
        dt.datetime.combine(supervisee.term_end, dt.time(23, 59), tzinfo=dt.UTC) + dt.timedelta(days=1),
    )
    bind_device(
        actor=None,
        device=device,
        supervisee=supervisee,
        starts_at=at - dt.timedelta(minutes=5),
        ends_at=max(ends_at, at + dt.timedelta(hours=1)),
        approval_reference="信息化核查（手机端报到）",
    )
    return device


def report_position(
    *, supervisee: Supervisee, latitude: float, longitude: float, accuracy_m: float, at: dt.datetime
) -> bool:
    """Send one position to monitoring. False (logged, never raised) when monitoring refused to take it: the
    check-in itself is already stored and flagged on its own terms."""
    try:
        with transaction.atomic():
            device = _device_for(supervisee, at)
    except ValidationError as error:
        logger.warning("App position of supervisee %s not bound in monitoring: %s", supervisee.pk, error.messages)
        return False
    if device is None:
        return False
    message = DeviceMessage(
        device.identifier,
        MessageKind.LOCATION,
        [Fix(at, latitude, longitude, accuracy=accuracy_m)],
    )
    try:
        processor = BatchProcessor()
        outcomes = processor.process([Report(str(device.protocol), message, timezone.now())])
    except Exception:
        logger.exception("Monitoring could not take the app position of supervisee %s", supervisee.pk)
        return False
    return bool(outcomes and outcomes[0].known)
