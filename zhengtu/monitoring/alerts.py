"""Alerts: raising (from the ingest writer and the periodic jobs), lifecycle, escalation, offline detection.

Lifecycle: new → acknowledged → handled (notes, actions taken) → closed. Independently, an
alert's *condition* clears (the person is back inside, the device reports again…); until then
the same condition raises no second alert.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import OrganisationKind
from zhengtu.supervisees.models import Supervisee
from zhengtu.workspace.services import Notice, notify, notify_many

from .bulk import append_rows
from .live import bus
from .models import (
    ALLOWED_ALERT_TRANSITIONS,
    Alert,
    AlertEvent,
    AlertKind,
    AlertStatus,
    DeviceBinding,
    DeviceKind,
    DeviceState,
)
from .rules import offline_minutes, rule

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    pass


def alert_event_payload(
    alert: Alert, supervisee_name: str, *, received_monotonic: float | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "alert",
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": str(AlertKind(alert.kind).label),
        "status": alert.status,
        "supervisee_id": alert.supervisee_id,
        "supervisee_name": supervisee_name,
        "latitude": alert.latitude,
        "longitude": alert.longitude,
        "raised_at": alert.raised_at.isoformat(),
        "detail": alert.detail,
    }
    if received_monotonic is not None:
        payload["received_monotonic"] = received_monotonic
    if alert.received_at is not None:  # the gateway's receive time, also across processes (scaled shape)
        payload["received_at"] = alert.received_at.timestamp()
    return payload


class _Pending(NamedTuple):
    """An alert raised in an ingest batch, inserted with the batch's others (`write_pending`)."""

    alert: Alert
    detail: str
    supervisee_name: str
    officer_id: int | None
    office_id: int | None
    received_monotonic: float | None


class _Batch:
    """What the alerts of one ingest batch share: recipients looked up, rows written at its end."""

    def __init__(self) -> None:
        self.recipients: dict[tuple[str, int], list[User]] = {}
        self.pending: list[_Pending] = []
        self.events: list[AlertEvent] = []
        self.notices: list[Notice] = []


_batch: ContextVar[_Batch | None] = ContextVar("alert_batch", default=None)


@contextmanager
def recipients_remembered() -> Iterator[None]:
    """Within one ingest batch (inside its transaction): look each officer's or office's recipients
    up once, and write the batch's alerts, their events and notifications in one statement each when
    the batch's work is done, not three round trips per alert. A burst of alerts (a border crossed by
    many at once, a network outage) would otherwise query the same people for every alert; and on
    PostgreSQL each statement is a round trip the writer waits for, with the database's process
    competing for the same cores (issue 15: three round trips per alert were a fifth to a third
    of the writer's time in `monitoring_live` on PostgreSQL). Inside it `raise_alert` returns the
    alert unsaved (no id yet): the caller that needs the id calls `write_pending` first."""
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
        _write_batch(batch)  # only when the batch succeeded; a failed one is rolled back anyway
    finally:
        _batch.reset(token)


def write_pending() -> list[Alert]:
    """Insert the alerts raised so far in this ingest batch, in one statement (its ids read back:
    `INSERT … RETURNING` on SQLite ≥ 3.35 and PostgreSQL), and queue their events, notifications
    and live events. Returns them, ids set, in the order raised."""
    batch = _batch.get()
    if batch is None or not batch.pending:
        return []
    pending, batch.pending = batch.pending, []
    if connection.features.can_return_rows_from_bulk_insert:
        alerts = Alert.objects.bulk_create([item.alert for item in pending])
    else:  # SQLite before 3.35 has no RETURNING: one insert each, ids as they come
        alerts = [item.alert for item in pending]
        for alert in alerts:
            alert.save(force_insert=True)
    for item, alert in zip(pending, alerts, strict=True):
        assert alert.pk is not None, "the database returned no ids from a bulk insert"
        _announce(
            alert, item.detail, item.supervisee_name, item.officer_id, item.office_id, item.received_monotonic, batch
        )
    return alerts


def _write_batch(batch: _Batch) -> None:
    if batch.pending:
        write_pending()
    if batch.events:
        AlertEvent.objects.bulk_create(batch.events)
    notify_many(batch.notices)


def _recipients(supervisee_id: int, officer_id: int | None, office_id: int | None = None) -> list[User]:
    """The responsible officer, or else the officers of the responsible office."""
    if officer_id is not None:
        key = ("officer", officer_id)
    else:
        if office_id is None:
            office_id = (
                Supervisee.objects.filter(pk=supervisee_id).values_list("responsible_office_id", flat=True).first()
            )
        if office_id is None:
            return []
        key = ("office", office_id)
    batch = _batch.get()
    memo = batch.recipients if batch is not None else None
    if memo is not None and key in memo:
        return memo[key]  # the query is not even built: that alone was 4 % of the writer in a burst
    if officer_id is not None:
        users = list(User.objects.filter(pk=officer_id, is_active=True))
    else:
        assert office_id is not None  # looked up above
        users = list(User.objects.filter(organisation_id=office_id, role=Role.OFFICE_OFFICER, is_active=True))
    if memo is not None:
        memo[key] = users
    return users


def raise_alert(
    *,
    kind: str,
    supervisee_id: int,
    supervisee_name: str,
    officer_id: int | None,
    office_id: int | None = None,
    device_id: int | None = None,
    fence_id: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    detail: str = "",
    received_at: dt.datetime | None = None,
    received_monotonic: float | None = None,
    now: dt.datetime | None = None,
) -> Alert:
    """Store a new alert, tell the responsible officer in-app, and (after commit) push it live and to channels.

    In an ingest batch (`recipients_remembered`) the alert is returned unsaved and inserted with
    the batch's others (`write_pending`)."""
    now = now or timezone.now()
    alert = Alert(
        kind=kind,
        supervisee_id=supervisee_id,
        device_id=device_id,
        fence_id=fence_id,
        latitude=latitude,
        longitude=longitude,
        detail=detail[:200],
        raised_at=now,
        received_at=received_at,
    )
    batch = _batch.get()
    if batch is not None:
        batch.pending.append(_Pending(alert, detail, supervisee_name, officer_id, office_id, received_monotonic))
        return alert
    alert.save(force_insert=True)
    _announce(alert, detail, supervisee_name, officer_id, office_id, received_monotonic, None)
    return alert


def _announce(
    alert: Alert,
    detail: str,
    supervisee_name: str,
    officer_id: int | None,
    office_id: int | None,
    received_monotonic: float | None,
    batch: _Batch | None,
) -> None:
    """A stored alert's "raised" event, its notification and (after commit) its live event and delivery."""
    event = AlertEvent(alert=alert, at=alert.raised_at, action="raised", note=detail[:500])
    title = _("Monitoring alert: %(kind)s — %(name)s") % {"kind": AlertKind(alert.kind).label, "name": supervisee_name}
    url = reverse("monitoring:alert_detail", args=[alert.pk])
    notice = Notice(_recipients(alert.supervisee_id, officer_id, office_id), title, detail, url, "monitoring_alert")
    if batch is not None:  # an ingest batch: written with the batch's others (recipients_remembered)
        batch.events.append(event)
        batch.notices.append(notice)
    else:
        event.save()
        notify_many([notice])
    payload = alert_event_payload(alert, supervisee_name, received_monotonic=received_monotonic)
    alert_id = alert.pk
    transaction.on_commit(lambda: _after_commit(payload, alert_id))


def _after_commit(payload: dict[str, Any], alert_id: int) -> None:
    monotonic = payload.get("received_monotonic")  # kept: where the event is delivered can time it too
    if monotonic is not None:
        payload["latency_ms"] = round((time.monotonic() - monotonic) * 1000, 1)
    bus.publish([payload])
    if rule("ALERT_CHANNELS"):
        from .tasks import deliver_alert

        try:
            deliver_alert(alert_id, "raised")
        except Exception:  # noqa: BLE001 - the job queue (Redis) is away: the alert is committed; the
            # minute job queues its delivery again (alert_channels.redeliver_lost). Raising here, after
            # the commit, would fail the writer's batch and its devices would never be answered.
            logger.warning("Delivery of alert %s could not be queued; the minute job will", alert_id, exc_info=True)


def _transition(alert: Alert, to_status: str) -> Alert:
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if to_status not in ALLOWED_ALERT_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("An alert that is “%(from)s” cannot become “%(to)s”.")
            % {"from": locked.get_status_display(), "to": AlertStatus(to_status).label}
        )
    return locked


@transaction.atomic
def acknowledge_alert(*, actor: Actor, alert: Alert, note: str = "") -> Alert:
    locked = _transition(alert, AlertStatus.ACKNOWLEDGED)
    now = timezone.now()
    locked.status, locked.acknowledged_at, locked.acknowledged_by = AlertStatus.ACKNOWLEDGED, now, actor.user
    if locked.kind == AlertKind.SOS and locked.cleared_at is None:
        locked.cleared_at = now  # an SOS is over once someone has taken it on
    locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "cleared_at"])
    AlertEvent.objects.create(alert=locked, at=now, actor=actor.user, action="acknowledged", note=note)
    record_event(actor, action=Action.STATUS, target=locked, detail={"to": AlertStatus.ACKNOWLEDGED})
    _publish_status(locked)
    return locked


@transaction.atomic
def handle_alert(*, actor: Actor, alert: Alert, notes: str, actions_taken: str) -> Alert:
    if not notes.strip():
        raise ValidationError({"handling_notes": _("Write down what was found and done.")})
    locked = _transition(alert, AlertStatus.HANDLED)
    now = timezone.now()
    locked.status, locked.handled_at, locked.handled_by = AlertStatus.HANDLED, now, actor.user
    locked.handling_notes, locked.actions_taken = notes.strip(), actions_taken.strip()
    locked.save(update_fields=["status", "handled_at", "handled_by", "handling_notes", "actions_taken"])
    AlertEvent.objects.create(alert=locked, at=now, actor=actor.user, action="handled", note=notes.strip())
    record_event(actor, action=Action.STATUS, target=locked, detail={"to": AlertStatus.HANDLED})
    _publish_status(locked)
    return locked


@transaction.atomic
def close_alert(*, actor: Actor, alert: Alert, note: str = "") -> Alert:
    locked = _transition(alert, AlertStatus.CLOSED)
    now = timezone.now()
    locked.status, locked.closed_at, locked.closed_by = AlertStatus.CLOSED, now, actor.user
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    AlertEvent.objects.create(alert=locked, at=now, actor=actor.user, action="closed", note=note)
    record_event(actor, action=Action.STATUS, target=locked, detail={"to": AlertStatus.CLOSED})
    _publish_status(locked)
    return locked


def _publish_status(alert: Alert) -> None:
    payload = {"type": "alert_status", "id": alert.pk, "status": alert.status, "supervisee_id": alert.supervisee_id}
    transaction.on_commit(lambda: bus.publish([payload]))


def county_bureau_admins(supervisee: Supervisee) -> list[User]:
    bureau = supervisee.responsible_office.nearest({OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU})
    if bureau is None:
        return []
    return list(User.objects.filter(organisation=bureau, role=Role.BUREAU_ADMIN, is_active=True))


def escalate_overdue_alerts(*, now: dt.datetime | None = None) -> int:
    """Alerts nobody acknowledged within ESCALATION_MINUTES go to the county bureau's administrators."""
    now = now or timezone.now()
    limit = now - dt.timedelta(minutes=int(rule("ESCALATION_MINUTES")))
    overdue = Alert.objects.filter(status=AlertStatus.NEW, escalated_at__isnull=True, raised_at__lte=limit)
    count = 0
    for alert in overdue.select_related("supervisee__responsible_office")[:500]:
        with transaction.atomic():
            updated = Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True).update(escalated_at=now)
            if not updated:
                continue
            minutes = int((now - alert.raised_at).total_seconds() // 60)
            note = _("Not acknowledged within %(m)s minutes.") % {"m": minutes}
            AlertEvent.objects.create(alert=alert, at=now, action="escalated", note=note)
            title = _("Escalated monitoring alert: %(kind)s — %(name)s") % {
                "kind": alert.get_kind_display(),
                "name": alert.supervisee.name,
            }
            notify(
                county_bureau_admins(alert.supervisee),
                title=title,
                body=note,
                url=reverse("monitoring:alert_detail", args=[alert.pk]),
                kind="monitoring_escalation",
            )
            payload = {"type": "alert_status", "id": alert.pk, "status": alert.status, "escalated": True}
            payload["supervisee_id"] = alert.supervisee_id
            transaction.on_commit(lambda payload=payload: bus.publish([payload]))  # type: ignore[misc]
            if rule("ALERT_CHANNELS"):
                from .tasks import deliver_alert

                transaction.on_commit(lambda alert_id=alert.pk: deliver_alert(alert_id, "escalated"))  # type: ignore[misc]
        count += 1
    return count


def detect_offline(*, now: dt.datetime | None = None) -> int:
    """Raise an offline alert for every bound device silent longer than its kind allows (phone
    apps too), coalesced per responsible office: one short transaction, one notification per
    recipient and one live event per office. A storm (a network outage, a restart: thousands of
    devices at once) then neither holds the database's write lock for long at a time nor floods
    the command-centre pages, and fence and SOS alerts are not kept waiting behind it. (In the
    embedded shape the minute job hands this to the ingest writer process, which raises the
    chunks between its batches of fixes: see writer_process.hand_to_writer.)"""
    now = now or timezone.now()
    return sum(raise_offline_chunk(office_id, items, now) for office_id, items in plan_offline(now=now))


class OfflineItem(NamedTuple):
    """One offline alert to raise, as plain values: in the embedded shape a storm is planned and
    raised in the ingest writer, between batches of fixes, and building a binding with its device
    and person as model instances (and the alert and its event as instances again) cost the
    writer more than the rows themselves."""

    device_id: int
    supervisee_id: int
    name: str
    officer_id: int | None
    detail: str
    minutes: int


OfflineChunk = tuple[int | None, list[OfflineItem]]


def plan_offline(*, now: dt.datetime, chunk: int | None = None) -> list[OfflineChunk]:
    """The devices due an offline alert now, per responsible office, in chunks of at most
    `chunk` (one transaction and one live event each): `raise_offline_chunk` raises one."""
    chunk = chunk or OFFLINE_CHUNK
    # Only devices silent for at least the shortest limit are read at all: in the embedded shape
    # this runs in the ingest writer, and loading every binding with its person (most devices
    # report every few seconds) held the fixes, and their fence and SOS alerts, up for as long.
    quiet_since = now - dt.timedelta(minutes=min(int(m) for m in rule("OFFLINE_MINUTES").values()))
    rows = (
        DeviceBinding.objects.filter(
            unbound_at__isnull=True, starts_at__lte=now, ends_at__gt=now, device__is_active=True
        )
        .filter(
            Q(device__state__isnull=True)
            | Q(device__state__last_seen_at__isnull=True)
            | Q(device__state__last_seen_at__lt=quiet_since)
        )
        # Devices alerted already are left to the database: after a storm, every minute's plan
        # would otherwise read them all again, to raise nothing.
        .filter(
            ~Exists(
                Alert.objects.filter(device_id=OuterRef("device_id"), kind=AlertKind.OFFLINE, cleared_at__isnull=True)
            )
        )
        .order_by("pk")
        .values_list(
            "device_id",
            "device__kind",
            "device__identifier",
            "starts_at",
            "supervisee_id",
            "supervisee__name",
            "supervisee__responsible_office_id",
            "supervisee__responsible_officer_id",
        )
    )
    planned: set[int] = set()  # a device bound twice at once (a handover) gets one alert
    last_seen = dict(DeviceState.objects.filter(last_seen_at__lt=quiet_since).values_list("device_id", "last_seen_at"))
    kind_labels = {value: str(label) for value, label in DeviceKind.choices}
    template = _("%(device)s has not reported for %(m)s minutes.")
    by_office: dict[int | None, list[OfflineItem]] = {}
    for device_id, kind, identifier, starts_at, person_id, name, office_id, officer_id in rows:
        if device_id in planned:
            continue
        silent_since = max(last_seen.get(device_id) or starts_at, starts_at)
        minutes = offline_minutes(kind)
        if now - silent_since < dt.timedelta(minutes=minutes):
            continue
        planned.add(device_id)
        device = f"{kind_labels.get(kind, kind)} {identifier}"  # as str(Device)
        detail = (template % {"device": device, "m": minutes})[:200]
        by_office.setdefault(office_id, []).append(OfflineItem(device_id, person_id, name, officer_id, detail, minutes))
    return [
        (office_id, items[start : start + chunk])
        for office_id, items in by_office.items()
        for start in range(0, len(items), chunk)
    ]


OFFLINE_CHUNK = 500  # alerts per transaction: a big office's storm in several short ones


@transaction.atomic
def raise_offline_chunk(office_id: int | None, items: list[OfflineItem], now: dt.datetime) -> int:
    """One chunk of `plan_offline`, except the devices that reported meanwhile or already have an
    open offline alert (the plan may be some seconds old when the writer gets to it): checked in
    the transaction that raises them, so a device never gets a second open offline alert. A few
    statements whatever the chunk's size: the alerts, their events, one notification per
    recipient, one live event for the office and (alert channels on) one delivery job."""
    device_ids = [item.device_id for item in items]
    open_offline = set(
        Alert.objects.filter(kind=AlertKind.OFFLINE, cleared_at__isnull=True, device_id__in=device_ids).values_list(
            "device_id", flat=True
        )
    )
    last_seen = dict(DeviceState.objects.filter(device_id__in=device_ids).values_list("device_id", "last_seen_at"))
    still = [
        item
        for item in items
        if item.device_id not in open_offline
        and not (
            (seen := last_seen.get(item.device_id)) is not None and now - seen < dt.timedelta(minutes=item.minutes)
        )
    ]
    return _raise_offline(office_id, still, now) if still else 0


def _raise_offline(office_id: int | None, items: list[OfflineItem], now: dt.datetime) -> int:
    template = Alert(kind=AlertKind.OFFLINE, status=AlertStatus.NEW, supervisee_id=0, raised_at=now)
    _append_rows(
        template, ("supervisee_id", "device_id", "detail"), [(i.supervisee_id, i.device_id, i.detail) for i in items]
    )
    ids = dict(
        Alert.objects.filter(
            kind=AlertKind.OFFLINE, cleared_at__isnull=True, raised_at=now, device_id__in=[i.device_id for i in items]
        ).values_list("device_id", "pk")
    )
    alert_ids = [ids[item.device_id] for item in items]
    _append_rows(
        AlertEvent(alert_id=0, at=now, action="raised", note=""),
        ("alert_id", "note"),
        [(alert_id, item.detail) for alert_id, item in zip(alert_ids, items, strict=True)],
    )
    # One notification per recipient: the responsible officer, or else the office's officers.
    by_recipient: dict[int, tuple[User, list[tuple[int, str]]]] = {}
    recipients = _chunk_recipients(office_id, items)
    for alert_id, item in zip(alert_ids, items, strict=True):
        for user in recipients(item.officer_id):
            by_recipient.setdefault(user.pk, (user, []))[1].append((alert_id, item.name))
    for user, entries in by_recipient.values():
        if len(entries) == 1:
            alert_id, name = entries[0]
            title = _("Monitoring alert: %(kind)s — %(name)s") % {"kind": AlertKind.OFFLINE.label, "name": name}
            url = reverse("monitoring:alert_detail", args=[alert_id])
        else:
            title = _("Monitoring alert: %(n)d devices offline") % {"n": len(entries)}
            url = reverse("monitoring:alerts") + "?kind=offline"
        body = "、".join(name for _alert, name in entries[:20]) + ("…" if len(entries) > 20 else "")
        notify([user], title=title, body=body, url=url, kind="monitoring_alert")
    first = items[0]
    template.pk, template.supervisee_id, template.device_id, template.detail = (
        alert_ids[0],
        first.supervisee_id,
        first.device_id,
        first.detail,
    )
    payload = alert_event_payload(template, first.name)
    if len(items) > 1:
        # One event for the office (the fields of an alert event, plus the whole list): a page
        # that knows only single alerts still shows one line for the storm.
        payload["supervisee_name"] = _("%(name)s and %(n)d more") % {"name": first.name, "n": len(items) - 1}
        payload["count"] = len(items)
        payload["office_id"] = office_id
        payload["alerts"] = [
            {"id": alert_id, "supervisee_id": item.supervisee_id, "supervisee_name": item.name}
            for alert_id, item in zip(alert_ids, items, strict=True)
        ]
    transaction.on_commit(lambda: bus.publish([payload]))
    if rule("ALERT_CHANNELS"):
        # One job for the chunk: queueing a job is a write to the job queue (a SQLite file in the
        # embedded shape, about 0.5 ms), which the writer would otherwise pay per alert.
        transaction.on_commit(lambda: _queue_delivery(alert_ids))
    return len(items)


def _queue_delivery(alert_ids: list[int]) -> None:
    from .tasks import deliver_alerts

    try:
        deliver_alerts(alert_ids, "raised")
    except Exception:  # noqa: BLE001 - as _after_commit: the minute job queues lost deliveries again
        logger.warning(
            "Delivery of %d offline alerts could not be queued; the minute job will", len(alert_ids), exc_info=True
        )


def _chunk_recipients(office_id: int | None, items: list[OfflineItem]) -> Callable[[int | None], list[User]]:
    """Who hears of a chunk's alerts (as `_recipients`, in at most two queries for the chunk: a
    chunk is one responsible office's people): a person's responsible officer if active, or, for
    a person without one, the office's officers."""
    officer_ids = {item.officer_id for item in items if item.officer_id is not None}
    officers = (
        {user.pk: user for user in User.objects.filter(pk__in=officer_ids, is_active=True)} if officer_ids else {}
    )
    office: list[User] = []
    if office_id is not None and any(item.officer_id is None for item in items):
        office = list(User.objects.filter(organisation_id=office_id, role=Role.OFFICE_OFFICER, is_active=True))

    def recipients(officer_id: int | None) -> list[User]:
        if officer_id is None:
            return office
        user = officers.get(officer_id)
        return [user] if user is not None else []

    return recipients


def _append_rows(template: Model, varying: tuple[str, ...], values: list[tuple[Any, ...]]) -> None:
    """Rows of `template`'s model that differ from it only in the `varying` fields (plain ints and
    text, stored as they are), appended in one statement: each field is prepared for the database
    once, not once per row (`bulk_create` prepares every field of every instance, which cost a
    storm's writer more than the rows themselves)."""
    meta = template._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    prepared = [field.get_db_prep_save(field.pre_save(template, True), connection) for field in fields]
    positions = [next(i for i, field in enumerate(fields) if field.attname == name) for name in varying]
    rows = []
    for row_values in values:
        row = prepared.copy()
        for position, value in zip(positions, row_values, strict=True):
            row[position] = value
        rows.append(tuple(row))
    append_rows(meta.db_table, tuple(field.column for field in fields), rows)
