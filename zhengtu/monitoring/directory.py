"""What the ingest writer needs to know about devices, bindings and fences, cached in memory.

Loaded whole once; after that each change is applied **by id**: a saved device, binding, fence or
person is announced (`invalidate(Changes(devices={id}))`, from the model signals in
`device_feed`, after the commit) and every directory re-reads only that device, the bindings of
the people it touches and those people's fences. A whole reload is only the fallback: at start,
after a rolled-back batch (`expire()`), when the announcements of this process were missed (more
than `_LOG_SIZE` of them since the last batch), when one asks for it (`invalidate()` without
changes, `Changes(everything=True)`: e.g. a writer that lost its Redis connection), and every
CACHE_SECONDS if the registry's signature (a few aggregates) moved without any announcement
(e.g. a `QuerySet.update()`, which sends no signal). Other processes get the same announcements:
the embedded writer child through its pipe, the scaled shape's writers through the registry
stream (`device_feed`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from zhengtu.supervisees.models import Supervisee

from .fences.geometry import CompiledFence, compile_fence
from .fences.schedule import Schedule
from .models import Device, DeviceBinding, Fence
from .periods import binding_in_force
from .rules import rule


@dataclass(slots=True)
class Changes:
    """What changed, by id. `everything`: reload whole (something may have been missed)."""

    devices: set[int] = field(default_factory=set)
    fences: set[int] = field(default_factory=set)
    supervisees: set[int] = field(default_factory=set)
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.devices or self.fences or self.supervisees)

    def merge(self, other: Changes | None) -> None:
        if other is None or other.everything:
            self.everything = True
            return
        self.devices |= other.devices
        self.fences |= other.fences
        self.supervisees |= other.supervisees


_LOG_SIZE = 1000  # announcements kept for directories that have not caught up; older ones: a whole reload
_generation = 0
_generation_lock = threading.Lock()
_log: deque[tuple[int, Changes]] = deque(maxlen=_LOG_SIZE)
_listeners: list[Callable[[], None]] = []
_change_listeners: list[Callable[[Changes | None], None]] = []


def invalidate(changes: Changes | None = None) -> None:
    """Announce a change to every directory in this process (`None`: reload whole), and tell the
    listeners (the embedded writer's child process, which holds a directory of its own)."""
    global _generation
    with _generation_lock:
        _generation += 1
        _log.append((_generation, changes if changes is not None else Changes(everything=True)))
        listeners = list(_listeners)
        change_listeners = list(_change_listeners)
    for listener in listeners:
        listener()
    for change_listener in change_listeners:
        change_listener(changes)


def changed(*, devices: Iterable[int] = (), fences: Iterable[int] = (), supervisees: Iterable[int] = ()) -> None:
    """`invalidate` for these ids only."""
    invalidate(Changes(set(devices), set(fences), set(supervisees)))


def _add_listener(registry: list, listener: Callable) -> Callable[[], None]:  # type: ignore[type-arg]
    with _generation_lock:
        registry.append(listener)

    def remove() -> None:
        with _generation_lock:
            if listener in registry:
                registry.remove(listener)

    return remove


def on_invalidate(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after every `invalidate()` in this process; returns what removes it."""
    return _add_listener(_listeners, listener)


def on_change(listener: Callable[[Changes | None], None]) -> Callable[[], None]:
    """Call `listener(changes)` after every `invalidate(changes)` in this process (`None`: whole)."""
    return _add_listener(_change_listeners, listener)


def _changes_since(generation: int) -> tuple[int, Changes | None]:
    """The announcements after `generation`, merged, and the generation they reach; None: reload whole."""
    with _generation_lock:
        current = _generation
        if generation < 0 or not _log or _log[0][0] > generation + 1:
            return current, None  # never loaded, expired, or announcements missed
        merged = Changes()
        for number, changes in _log:
            if number > generation:
                merged.merge(changes)
    return current, None if merged.everything else merged


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


_DEVICE_COLUMNS = (
    "id",
    "identifier",
    "kind",
    "protocol",
    "auth_code",
    "jt808_auth_optional",
    "jt808_registered_at",
    "osmand_secret_hash",
)
_BINDING_COLUMNS = (
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


def _device_entry(row: tuple[object, ...]) -> DeviceEntry:
    device_id, identifier, kind, protocol, auth_code, auth_optional, registered_at, secret = row
    return DeviceEntry(
        device_id,  # type: ignore[arg-type]
        identifier,  # type: ignore[arg-type]
        kind,  # type: ignore[arg-type]
        protocol,  # type: ignore[arg-type]
        auth_code,  # type: ignore[arg-type]
        auth_optional=bool(auth_optional),
        registered=registered_at is not None,
        secret_hash=secret,  # type: ignore[arg-type]
    )


def _bindings_in_horizon(now: dt.datetime) -> Q:
    horizon = now - dt.timedelta(days=int(rule("FILTER_PAST_DAYS")) + 1)
    return Q(ends_at__gt=horizon, device__is_active=True) & (Q(unbound_at__isnull=True) | Q(unbound_at__gt=horizon))


class Directory:
    def __init__(self) -> None:
        self.devices: dict[str, DeviceEntry] = {}
        self.devices_by_id: dict[int, DeviceEntry] = {}
        self.supervisees: dict[int, SuperviseeEntry] = {}
        self._compiled: dict[tuple[int, dt.datetime], CompiledFence] = {}
        self._fences: dict[int, CompiledFence] = {}  # fence id → compiled, active ones
        self._personal: dict[int, list[CompiledFence]] = {}  # person id → their own fences
        self._shared: list[CompiledFence] = []  # organisations' fences
        self._devices_of: dict[int, set[int]] = {}  # person id → devices with a binding to them
        self._loaded_at = -1e9
        self._generation = -1
        self._loaded_signature: tuple[object, ...] = ()
        self._applied_since_signature = False
        self.full_loads = 0
        self.changes_applied = 0

    def refresh_if_stale(self) -> None:
        """Apply the changes announced in this process since the last batch (a whole reload if
        some were missed); otherwise, every CACHE_SECONDS, reload whole only if the registry's
        signature shows a change nobody announced."""
        if self._generation != _generation:
            reached, changes = _changes_since(self._generation)
            if changes is None:
                self.load()
            else:
                self.apply(changes)
                self._generation = reached
        elif time.monotonic() - self._loaded_at > float(rule("CACHE_SECONDS")):
            signature = self._signature()
            if signature != self._loaded_signature and not self._applied_since_signature:
                self.load()
            else:  # unchanged, or changed by what was applied since: nothing to reload
                self._loaded_signature = signature
                self._applied_since_signature = False
                self._loaded_at = time.monotonic()

    def expire(self) -> None:
        """Reload whole at the next use."""
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

    # -- whole ------------------------------------------------------------------------------------

    def load(self) -> None:
        generation = _generation
        signature = self._signature()
        now = timezone.now()
        devices: dict[str, DeviceEntry] = {}
        by_id: dict[int, DeviceEntry] = {}
        rows = Device.objects.filter(is_active=True).values_list(*_DEVICE_COLUMNS)
        for row in rows.iterator(chunk_size=5000):
            entry = _device_entry(row)
            devices[entry.identifier] = entry
            by_id[entry.id] = entry
        supervisees: dict[int, SuperviseeEntry] = {}
        devices_of: dict[int, set[int]] = {}
        bindings = (
            DeviceBinding.objects.filter(_bindings_in_horizon(now))
            .order_by("-starts_at")
            .values_list(*_BINDING_COLUMNS)
        )
        for row in bindings.iterator(chunk_size=5000):
            self._add_binding(row, by_id, supervisees, devices_of, now)
        self._load_fences()
        for person in supervisees.values():
            person.fences = self._fences_of(person)
        self.devices, self.devices_by_id, self.supervisees = devices, by_id, supervisees
        self._devices_of = devices_of
        self._loaded_at = time.monotonic()
        self._generation = generation
        self._loaded_signature = signature
        self._applied_since_signature = False
        self.full_loads += 1

    @staticmethod
    def _add_binding(
        row: tuple[object, ...],
        by_id: dict[int, DeviceEntry],
        supervisees: dict[int, SuperviseeEntry],
        devices_of: dict[int, set[int]],
        now: dt.datetime,
    ) -> None:
        device_id, person_id, starts_at, ends_at, unbound_at, name, office_path, officer_id, office_id = row
        device_entry = by_id.get(device_id)  # type: ignore[call-overload]
        if device_entry is None:
            return
        binding = BindingEntry(person_id, starts_at, ends_at, unbound_at)  # type: ignore[arg-type]
        device_entry.bindings.append(binding)
        devices_of.setdefault(person_id, set()).add(device_id)  # type: ignore[arg-type]
        person_entry = supervisees.get(person_id)  # type: ignore[call-overload]
        if person_entry is None:
            person_entry = SuperviseeEntry(person_id, name, office_path, officer_id, office_id)  # type: ignore[arg-type]
            supervisees[person_id] = person_entry  # type: ignore[index]
        if binding_in_force(binding, now):
            person_entry.devices[device_id] = device_entry.kind  # type: ignore[index]

    def _load_fences(self) -> None:
        compiled: dict[tuple[int, dt.datetime], CompiledFence] = {}
        self._fences, self._personal, self._shared = {}, {}, []
        for fence in Fence.objects.filter(is_active=True).select_related("organisation"):
            key = (fence.pk, fence.updated_at)
            item = self._compiled.get(key) or compile_model_fence(fence)
            compiled[key] = item
            self._add_fence(item)
        self._compiled = compiled

    def _add_fence(self, item: CompiledFence) -> None:
        self._fences[item.id] = item
        if item.supervisee_id is not None:
            self._personal.setdefault(item.supervisee_id, []).append(item)
        else:
            self._shared.append(item)

    def _fences_of(self, entry: SuperviseeEntry) -> list[CompiledFence]:
        return self._personal.get(entry.id, []) + [
            f for f in self._shared if entry.office_path.startswith(f.organisation_path)
        ]

    # -- by id --------------------------------------------------------------------------------------

    def apply(self, changes: Changes) -> None:
        """Re-read what these changes touch, and nothing else: the devices named, the bindings of
        every person one of them is or was bound to (and of the people named), the fences named."""
        if changes.everything:
            self.load()
            return
        now = timezone.now()
        refence = self._apply_fences(changes.fences) if changes.fences else set()
        device_ids = set(changes.devices)
        people = set(changes.supervisees)
        for device_id in device_ids:
            old = self.devices_by_id.pop(device_id, None)
            if old is not None:
                people.update(b.supervisee_id for b in old.bindings)
                if self.devices.get(old.identifier) is old:
                    del self.devices[old.identifier]
        if device_ids:
            for row in Device.objects.filter(pk__in=device_ids, is_active=True).values_list(*_DEVICE_COLUMNS):
                entry = _device_entry(row)
                stale = self.devices.get(entry.identifier)  # an identifier moved from another device
                if stale is not None and stale.id != entry.id:
                    self.devices_by_id.pop(stale.id, None)
                self.devices[entry.identifier] = entry
                self.devices_by_id[entry.id] = entry
        if device_ids or people:
            touched = Q(supervisee_id__in=people)
            if device_ids:
                touched |= Q(device_id__in=device_ids) | Q(
                    supervisee_id__in=DeviceBinding.objects.filter(device_id__in=device_ids).values("supervisee_id")
                )
            rows = list(
                DeviceBinding.objects.filter(touched)
                .filter(_bindings_in_horizon(now))
                .order_by("-starts_at")
                .values_list(*_BINDING_COLUMNS)
            )
            people.update(row[1] for row in rows)  # type: ignore[misc]
            # Every binding of these people was read: drop what memory held for them, then add what was read.
            for person_id in people:
                self.supervisees.pop(person_id, None)
                for device_id in self._devices_of.pop(person_id, ()):
                    held = self.devices_by_id.get(device_id)
                    if held is not None:
                        held.bindings = [b for b in held.bindings if b.supervisee_id not in people]
            for row in rows:
                self._add_binding(row, self.devices_by_id, self.supervisees, self._devices_of, now)
            for bound_id in {row[0] for row in rows}:
                bound = self.devices_by_id.get(bound_id)  # type: ignore[call-overload]
                if bound is not None:
                    bound.bindings.sort(key=lambda b: b.starts_at, reverse=True)
            refence |= people
        for person_id in refence:
            person = self.supervisees.get(person_id)
            if person is not None:
                person.fences = self._fences_of(person)
        self._applied_since_signature = True
        self.changes_applied += 1

    def _apply_fences(self, fence_ids: set[int]) -> set[int]:
        """Replace these fences; the people whose list of fences must be rebuilt."""
        people: set[int] = set()
        paths: list[str] = []
        for fence_id in fence_ids:
            old = self._fences.pop(fence_id, None)
            if old is None:
                continue
            if old.supervisee_id is not None:
                self._personal[old.supervisee_id] = [f for f in self._personal[old.supervisee_id] if f.id != fence_id]
                people.add(old.supervisee_id)
            else:
                self._shared = [f for f in self._shared if f.id != fence_id]
                paths.append(old.organisation_path)
        for fence in Fence.objects.filter(pk__in=fence_ids, is_active=True).select_related("organisation"):
            item = compile_model_fence(fence)
            self._compiled[(fence.pk, fence.updated_at)] = item
            self._add_fence(item)
            if item.supervisee_id is not None:
                people.add(item.supervisee_id)
            else:
                paths.append(item.organisation_path)
        if paths:  # an organisation's fence: everyone under it (in memory, no query)
            people.update(p.id for p in self.supervisees.values() if p.office_path.startswith(tuple(paths)))
        return people


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
