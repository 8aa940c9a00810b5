"""What the ingest writer needs to know about devices, bindings and fences, cached in memory.

Reloaded every CACHE_SECONDS, and at once in this process when a service changes a device,
binding or fence (`invalidate()`); other processes (scaled shape) see changes within the TTL.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from zhengtu.supervisees.models import Supervisee

from .fences.geometry import CompiledFence, compile_fence
from .fences.schedule import Schedule
from .models import Device, DeviceBinding, Fence
from .periods import binding_in_force
from .rules import rule

_generation = 0
_generation_lock = threading.Lock()
_listeners: list[Callable[[], None]] = []


def invalidate() -> None:
    """Make every directory in this process reload at its next use, and tell the listeners (the
    embedded writer's child process, which holds a directory of its own)."""
    global _generation
    with _generation_lock:
        _generation += 1
        listeners = list(_listeners)
    for listener in listeners:
        listener()


def on_invalidate(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after every `invalidate()` in this process; returns what removes it."""
    with _generation_lock:
        _listeners.append(listener)

    def remove() -> None:
        with _generation_lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return remove


@dataclass(slots=True)
class BindingEntry:
    supervisee_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    unbound_at: dt.datetime | None


@dataclass(slots=True)
class DeviceEntry:
    id: int
    identifier: str
    kind: str
    protocol: str
    auth_code: str
    bindings: list[BindingEntry] = field(default_factory=list)
    auth_optional: bool = False  # JT/T 808 positions accepted without authentication
    registered: bool = False  # JT/T 808 registration done: the code is not handed out again
    secret_hash: str = ""  # OsmAnd: SHA-256 of the device secret, required when set

    def supervisee_at(self, at: dt.datetime) -> int | None:
        for binding in self.bindings:
            if binding_in_force(binding, at):
                return binding.supervisee_id
        return None


@dataclass(slots=True)
class SuperviseeEntry:
    id: int
    name: str
    office_path: str
    officer_id: int | None
    office_id: int | None
    devices: dict[int, str] = field(default_factory=dict)  # device id → kind
    fences: list[CompiledFence] = field(default_factory=list)


class Directory:
    def __init__(self) -> None:
        self.devices: dict[str, DeviceEntry] = {}
        self.devices_by_id: dict[int, DeviceEntry] = {}
        self.supervisees: dict[int, SuperviseeEntry] = {}
        self._compiled: dict[tuple[int, dt.datetime], CompiledFence] = {}
        self._loaded_at = -1e9
        self._generation = -1
        self._loaded_signature: tuple[object, ...] = ()

    def refresh_if_stale(self) -> None:
        """Reload at once after a change in this process; otherwise, every CACHE_SECONDS, reload only
        if the registry's signature (a few aggregates) shows that something changed elsewhere."""
        if self._generation != _generation:
            self.load()
        elif time.monotonic() - self._loaded_at > float(rule("CACHE_SECONDS")):
            if self._signature() != self._loaded_signature:
                self.load()
            else:
                self._loaded_at = time.monotonic()

    def expire(self) -> None:
        """Reload at the next use."""
        self._generation = -1

    def device(self, identifier: str) -> DeviceEntry | None:
        return self.devices.get(identifier)

    @staticmethod
    def _signature() -> tuple[object, ...]:
        devices = Device.objects.aggregate(n=Count("id"), top=Max("id"), active=Count("id", filter=Q(is_active=True)))
        bindings = DeviceBinding.objects.aggregate(n=Count("id"), top=Max("id"), unbound=Max("unbound_at"))
        fences = Fence.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
        people = Supervisee.objects.aggregate(changed=Max("updated_at"))
        return (*devices.values(), *bindings.values(), *fences.values(), *people.values())

    def load(self) -> None:
        generation = _generation
        signature = self._signature()
        now = timezone.now()
        horizon = now - dt.timedelta(days=int(rule("FILTER_PAST_DAYS")) + 1)
        devices: dict[str, DeviceEntry] = {}
        by_id: dict[int, DeviceEntry] = {}
        rows = Device.objects.filter(is_active=True).values_list(
            "id",
            "identifier",
            "kind",
            "protocol",
            "auth_code",
            "jt808_auth_optional",
            "jt808_registered_at",
            "osmand_secret_hash",
        )
        for device_id, identifier, kind, protocol, auth_code, auth_optional, registered_at, secret in rows.iterator(
            chunk_size=5000
        ):
            entry = DeviceEntry(
                device_id,
                identifier,
                kind,
                protocol,
                auth_code,
                auth_optional=auth_optional,
                registered=registered_at is not None,
                secret_hash=secret,
            )
            devices[identifier] = entry
            by_id[device_id] = entry
        supervisees: dict[int, SuperviseeEntry] = {}
        bindings = (
            DeviceBinding.objects.filter(ends_at__gt=horizon, device__is_active=True)
            .filter(Q(unbound_at__isnull=True) | Q(unbound_at__gt=horizon))
            .order_by("-starts_at")
            .values_list(
                "device_id",
                "supervisee_id",
                "starts_at",
                "ends_at",
                "unbound_at",
                "supervisee__name",
                "supervisee__responsible_office__path",
                "supervisee__responsible_officer_id",
                "supervisee__responsible_office_id",
            )
        )
        for (
            device_id,
            person_id,
            starts_at,
            ends_at,
            unbound_at,
            name,
            office_path,
            officer_id,
            office_id,
        ) in bindings.iterator(chunk_size=5000):
            device_entry = by_id.get(device_id)
            if device_entry is None:
                continue
            binding = BindingEntry(person_id, starts_at, ends_at, unbound_at)
            device_entry.bindings.append(binding)
            person_entry = supervisees.get(person_id)
            if person_entry is None:
                person_entry = SuperviseeEntry(person_id, name, office_path, officer_id, office_id)
                supervisees[person_id] = person_entry
            if binding_in_force(binding, now):
                person_entry.devices[device_id] = device_entry.kind
        self._attach_fences(supervisees)
        self.devices, self.devices_by_id, self.supervisees = devices, by_id, supervisees
        self._loaded_at = time.monotonic()
        self._generation = generation
        self._loaded_signature = signature

    def _attach_fences(self, supervisees: dict[int, SuperviseeEntry]) -> None:
        compiled: dict[tuple[int, dt.datetime], CompiledFence] = {}
        personal: dict[int, list[CompiledFence]] = {}
        shared: list[CompiledFence] = []
        for fence in Fence.objects.filter(is_active=True).select_related("organisation"):
            key = (fence.pk, fence.updated_at)
            item = self._compiled.get(key) or compile_model_fence(fence)
            compiled[key] = item
            if fence.supervisee_id is not None:
                personal.setdefault(fence.supervisee_id, []).append(item)
            else:
                shared.append(item)
        self._compiled = compiled
        for entry in supervisees.values():
            entry.fences = personal.get(entry.id, []) + [
                f for f in shared if entry.office_path.startswith(f.organisation_path)
            ]


def compile_model_fence(fence: Fence) -> CompiledFence:
    schedule = None
    if fence.active_from is not None and fence.active_until is not None:
        schedule = Schedule(fence.active_from, fence.active_until, Schedule.parse_weekdays(fence.weekdays))
    center = None
    if fence.center_latitude is not None and fence.center_longitude is not None:
        center = (fence.center_latitude, fence.center_longitude)
    return compile_fence(
        id=fence.pk,
        name=fence.name,
        kind=fence.kind,
        organisation_path=fence.organisation.path,
        supervisee_id=fence.supervisee_id,
        geometry=fence.geometry if fence.shape == "polygon" else None,
        center=center,
        radius_m=fence.radius_m,
        schedule=schedule,
    )
