"""Writes of the monitoring module: devices, bindings, fences, and the audited track view.

Forms, the API, the demo and the tests all come through here. Each saved device, binding and
fence is announced by id to the ingest writers' directories (the model signals of `device_feed`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Status, Supervisee

from .fences.geojson import ImportedShape, normalise_polygon
from .fences.geojson import parse as parse_geojson
from .models import Device, DeviceBinding, DeviceKind, Fence, FenceKind, FenceShape, Protocol, UnknownDevice
from .periods import authorise_binding, max_period_months
from .protocols.jt808 import normalise_terminal_number
from .protocols.osmand import secret_hash as osmand_secret_hash
from .rules import rule, tile_source
from .selectors import track_of
from .tracks import (
    Bounds,
    TrackPoint,
    query_track,
    reduced_payload,
    reduced_track,
    track_in_order,
    track_payload,
)


def _after_change() -> None:
    """Nothing left to do: the post_save signals of `device_feed` announce each change by id after
    the commit (a whole `directory.invalidate()` here made every writer re-read every device)."""


# -- devices ---------------------------------------------------------------------------------


@transaction.atomic
def register_device(
    *,
    actor: Actor | None,
    identifier: str,
    kind: str,
    protocol: str,
    organisation: Organisation,
    sim_number: str = "",
    model_name: str = "",
    notes: str = "",
) -> Device:
    identifier = identifier.strip()
    if protocol == Protocol.JT808:
        try:
            identifier = normalise_terminal_number(identifier)
        except ValueError:
            raise ValidationError(
                {"identifier": _("A JT/T 808 terminal number has 1 to 20 digits and nothing else.")}
            ) from None
    if Device.objects.filter(identifier=identifier).exists():
        raise ValidationError({"identifier": _("A device with this terminal id / IMEI is already registered.")})
    device = Device(
        identifier=identifier,
        kind=kind,
        protocol=protocol,
        organisation=organisation,
        sim_number=sim_number.strip(),
        model_name=model_name.strip(),
        notes=notes.strip(),
        auth_code=secrets.token_hex(8) if protocol == Protocol.JT808 else "",
    )
    device.full_clean()
    if protocol == Protocol.OSMAND and kind != DeviceKind.PHONE:
        raise ValidationError({"protocol": _("The OsmAnd protocol is used by phone apps; choose “Phone app”.")})
    device.save()
    UnknownDevice.objects.filter(identifier=identifier, registered_device__isnull=True).update(registered_device=device)
    if actor is not None:
        record_event(actor, action=Action.CREATE, target=device)
    _after_change()
    return device


@transaction.atomic
def update_device(*, actor: Actor, device: Device, **fields: Any) -> Device:
    acting_user(actor, Capability.MONITOR)
    for name in ("kind", "sim_number", "model_name", "notes", "is_active", "jt808_auth_optional"):
        if name in fields:
            setattr(device, name, fields[name])
    device.full_clean()
    device.save()
    detail: dict[str, Any] = {"fields": sorted(fields)}
    if "jt808_auth_optional" in fields:  # weakens the device's protection: say so in the record
        detail["jt808_auth_optional"] = bool(fields["jt808_auth_optional"])
    record_event(actor, action=Action.UPDATE, target=device, detail=detail)
    _after_change()
    return device


@transaction.atomic
def reset_jt808_registration(*, actor: Actor, device: Device) -> Device:
    """Let a JT/T 808 terminal register again (a replaced or factory-reset terminal that lost its
    authentication code): the next 0x0100 receives a new code, the old one stops working."""
    acting_user(actor, Capability.MONITOR)
    device.jt808_registered_at = None
    device.auth_code = secrets.token_hex(8)
    device.save(update_fields=["jt808_registered_at", "auth_code"])
    record_event(actor, action=Action.UPDATE, target=device, detail={"jt808_registration": "reset"})
    _after_change()
    return device


@transaction.atomic
def issue_osmand_secret(*, actor: Actor, device: Device) -> str:
    """A new secret for an OsmAnd phone (shown once; only its SHA-256 is kept). From then on the
    phone's reports must carry it (`secret` parameter, or `Authorization: Bearer …`)."""
    acting_user(actor, Capability.MONITOR)
    if device.protocol != Protocol.OSMAND:
        raise ValidationError({"protocol": _("Only OsmAnd phones use a device secret.")})
    secret = secrets.token_urlsafe(18)
    device.osmand_secret_hash = osmand_secret_hash(secret)
    device.save(update_fields=["osmand_secret_hash"])
    record_event(actor, action=Action.UPDATE, target=device, detail={"osmand_secret": "issued"})
    _after_change()
    return secret


@transaction.atomic
def clear_osmand_secret(*, actor: Actor, device: Device) -> Device:
    """Accept the phone's reports without a secret again (audited: it weakens the protection)."""
    acting_user(actor, Capability.MONITOR)
    device.osmand_secret_hash = ""
    device.save(update_fields=["osmand_secret_hash"])
    record_event(actor, action=Action.UPDATE, target=device, detail={"osmand_secret": "cleared"})
    _after_change()
    return device


# -- bindings --------------------------------------------------------------------------------


@transaction.atomic
def bind_device(
    *,
    actor: Actor | None,
    device: Device,
    supervisee: Supervisee,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    approval_reference: str = "",
) -> DeviceBinding:
    """Bind a device to a supervisee inside the approved monitoring period (periods.authorise_binding):
    the supervision module's approval when Zhengtu holds one, else a bureau administrator's manual binding."""
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if supervisee.status in (Status.RELEASED, Status.TERMINATED):
        errors["supervisee"] = _("This person is no longer under community correction.")
    if not device.is_active:
        errors["device"] = _("This device is out of service.")
    if errors:
        raise ValidationError(errors)
    authority = authorise_binding(
        actor=actor, supervisee=supervisee, starts_at=starts_at, ends_at=ends_at, reference=approval_reference.strip()
    )
    # A manual binding stands for a paper approval: it keeps the legal limit of one period itself.
    months = max_period_months()
    if not authority.approved and ends_at > starts_at + relativedelta(months=months) + dt.timedelta(days=1):
        raise ValidationError(
            {
                "ends_at": _("One monitoring period may not exceed %(n)s months; extend it with a new binding.")
                % {"n": months}
            }
        )
    Device.objects.select_for_update().filter(pk=device.pk).first()  # serialise bindings of one device
    overlapping = DeviceBinding.objects.filter(unbound_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.filter(device=device).exists():
        raise ValidationError({"device": _("This device is already bound to someone in that period.")})
    if overlapping.filter(supervisee=supervisee, device__kind=device.kind).exclude(device=device).exists():
        raise ValidationError(
            {"supervisee": _("This person already has a device of this kind in that period; unbind it first.")}
        )
    binding = DeviceBinding.objects.create(
        device=device,
        supervisee=supervisee,
        starts_at=starts_at,
        ends_at=ends_at,
        approval_reference=authority.reference[:100],
        created_by=actor.user if actor else None,
    )
    if actor is not None:
        record_event(
            actor,
            action=Action.CREATE,
            target=binding,
            detail={
                "device": device.identifier,
                "supervisee": supervisee.pk,
                "from": starts_at.isoformat(),
                "until": ends_at.isoformat(),
                "approved_in_zhengtu": authority.approved,
            },
        )
    _after_change()
    return binding


@transaction.atomic
def unbind_device(*, actor: Actor, binding: DeviceBinding, reason: str) -> DeviceBinding:
    acting_user(actor, Capability.MONITOR)
    if binding.unbound_at is not None:
        raise ValidationError(_("This binding has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for unbinding.")})
    now = timezone.now()
    binding.unbound_at = now
    binding.unbound_by = actor.user
    binding.unbind_reason = reason.strip()[:200]
    binding.save(update_fields=["unbound_at", "unbound_by", "unbind_reason"])
    record_event(
        actor,
        action=Action.UPDATE,
        target=binding,
        detail={"unbound": now.isoformat(), "reason": binding.unbind_reason},
    )
    _after_change()
    return binding


# -- fences ----------------------------------------------------------------------------------


def _validate_fence(fence: Fence) -> None:
    errors: dict[str, Any] = {}
    if fence.shape == FenceShape.POLYGON:
        if not fence.geometry:
            errors["geometry"] = _("Draw the polygon on the map or import it as GeoJSON.")
        else:
            try:
                fence.geometry = normalise_polygon(fence.geometry)
            except ValidationError as error:
                errors["geometry"] = error.messages
        fence.center_latitude = fence.center_longitude = fence.radius_m = None
    else:
        lat, lon, radius = fence.center_latitude, fence.center_longitude, fence.radius_m
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["center_latitude"] = _("Give the centre of the circle.")
        if radius is None or not (10 <= radius <= 200_000):
            errors["radius_m"] = _("The radius must be between 10 m and 200 km.")
        fence.geometry = None
    if (fence.active_from is None) != (fence.active_until is None):
        errors["active_until"] = _("A schedule needs both a start and an end time.")
    if fence.active_from is not None and fence.active_from == fence.active_until:
        errors["active_until"] = _("The schedule's start and end cannot be the same time.")
    fence.weekdays = "".join(sorted({c for c in (fence.weekdays or "") if c in "1234567"}))
    if not fence.weekdays:
        errors["weekdays"] = _("Choose at least one weekday.")
    if fence.supervisee is not None and not fence.supervisee.responsible_office.path.startswith(
        fence.organisation.path
    ):
        errors["supervisee"] = _("This person is not supervised within the fence's organisation.")
    if errors:
        raise ValidationError(errors)
    fence.full_clean()


@transaction.atomic
def create_fence(*, actor: Actor | None, organisation: Organisation, **fields: Any) -> Fence:
    fence = Fence(organisation=organisation, created_by=actor.user if actor else None, **fields)
    _validate_fence(fence)
    fence.save()
    if actor is not None:
        record_event(actor, action=Action.CREATE, target=fence, detail={"kind": fence.kind, "shape": fence.shape})
    _after_change()
    return fence


@transaction.atomic
def update_fence(*, actor: Actor, fence: Fence, **fields: Any) -> Fence:
    acting_user(actor, Capability.MONITOR)
    for name, value in fields.items():
        setattr(fence, name, value)
    _validate_fence(fence)
    fence.save()
    record_event(actor, action=Action.UPDATE, target=fence, detail={"fields": sorted(fields)})
    _after_change()
    return fence


@transaction.atomic
def import_fences(
    *, actor: Actor, organisation: Organisation, text: str, kind: str, name: str = "", **fields: Any
) -> list[Fence]:
    """Every shape of a GeoJSON file becomes a fence; nothing is saved if one shape is wrong."""
    shapes: list[ImportedShape] = parse_geojson(text)
    created = []
    for number, item in enumerate(shapes, start=1):
        label = item.name or (name if len(shapes) == 1 else f"{name or _('Imported fence')} {number}")
        common = {"name": label[:100] or _("Imported fence"), "kind": kind, **fields}
        if item.geometry is not None:
            created.append(
                create_fence(
                    actor=actor, organisation=organisation, shape=FenceShape.POLYGON, geometry=item.geometry, **common
                )
            )
        else:
            assert item.center is not None
            created.append(
                create_fence(
                    actor=actor,
                    organisation=organisation,
                    shape=FenceShape.CIRCLE,
                    center_latitude=item.center[0],
                    center_longitude=item.center[1],
                    radius_m=item.radius_m,
                    **common,
                )
            )
    return created


# -- reads that must be audited ----------------------------------------------------------------


def parse_period(start_text: str, end_text: str, *, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """A period from two local date-times (or dates); defaults to the last 24 hours."""

    def parse(text: str, default: dt.datetime, *, end: bool) -> dt.datetime:
        text = (text or "").strip().replace(" ", "T")
        if not text:
            return default
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a date and time.") % {"value": text}) from None
        if len(text) == 10 and end:
            value += dt.timedelta(days=1)
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_current_timezone())
        return value

    end = parse(end_text, now, end=True)
    start = parse(start_text, end - dt.timedelta(hours=24), end=False)
    if end <= start:
        raise ValidationError(_("The end of the period must be after its start."))
    if end - start > dt.timedelta(days=int(rule("TRACK_MAX_DAYS"))):
        raise ValidationError(_("A track may cover at most %(n)s days.") % {"n": rule("TRACK_MAX_DAYS")})
    return start, end


def view_track(
    *,
    actor: Actor,
    supervisee: Supervisee,
    start: dt.datetime,
    end: dt.datetime,
    crs: str | None = None,
    zoom: float | None = None,
    encoding: str = "rows",
    full: bool = False,
    bounds: Bounds | None = None,
) -> dict[str, object]:
    """The supervisee's track for the period, written to the audit log before it is returned.
    With `zoom`, reduced to what a map at that zoom can show (see tracks.py); with `bounds` too
    (or from TRACK_IN_ORDER_FROM_ZOOM), only what is inside them, in time order, cut where the
    track leaves them; `full` gives every fix, audited as an export."""
    crs = crs or tile_source()["crs"]
    if full:
        points = query_track(supervisee.pk, start, end)
        payload = track_payload(points, crs=crs, encoding=encoding, keep_all=True)
        fixes = len(points)
        action, what = Action.EXPORT, "location_track_export"
    elif zoom is not None:
        if bounds is not None or zoom >= float(rule("TRACK_IN_ORDER_FROM_ZOOM")):
            reduced = track_in_order(supervisee.pk, start, end, zoom=zoom, bounds=bounds)
        else:
            reduced = reduced_track(supervisee.pk, start, end, zoom=zoom)
        payload = reduced_payload(reduced, crs=crs, zoom=zoom, encoding=encoding)
        fixes = reduced.fixes
        action, what = Action.VIEW, "location_track"
    else:
        rows = track_of(supervisee, start=start, end=end).values_list("fix_time", "latitude", "longitude", "speed_kmh")
        points = [TrackPoint(*row) for row in rows]
        payload = track_payload(points, crs=crs, encoding=encoding)
        fixes = len(points)
        action, what = Action.VIEW, "location_track"
    record_event(
        actor,
        action=action,
        target=supervisee,
        detail={"what": what, "from": start.isoformat(), "until": end.isoformat(), "fixes": fixes}
        | ({"bounds": [bounds.south, bounds.west, bounds.north, bounds.east]} if bounds and not full else {}),
    )
    return payload


def fence_kind_label(kind: str) -> str:
    return str(FenceKind(kind).label)


def active_bindings_q(at: dt.datetime) -> Q:
    return Q(unbound_at__isnull=True, starts_at__lte=at, ends_at__gt=at)
