"""Device registry changes announced by id: in this process, and pushed to every gateway and writer.

Each saved or deleted `Device`, `DeviceBinding`, `Fence` and saved `Supervisee` (a page, the API,
the admin, a JT/T 808 registration stored by a writer) is announced after its transaction commits:
to the directories of this process (`directory.changed`, which the embedded writer child gets
through its pipe) and, in the scaled shape, appended to the Redis stream `REGISTRY_STREAM` (a
device entry: `id`, `i`dentifier, `p`rotocol, `on`, shard `k`ey; a fence or person: `t` = `f` or
`s` and `id`). Each gateway loads the registry once at start, then follows that stream (XREAD
BLOCK) and applies each device change to its own copy at once: a device added or taken out of
service on a page is known to, or refused by, every gateway within a round trip, and no
submission ever waits for a reload. Writers read the stream before each batch and re-read only
the devices, fences and people named (`watch_deltas`); a whole reload only when they may have
missed some (Redis lost, the stream trimmed past them). A gateway's whole reload still runs every
`REGISTRY_RELOAD_SECONDS` as a safety net (changes made with `QuerySet.update()` send no signal);
it is built beside the copy in use and swapped in, holding no lock.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhengtu.supervisees.models import Supervisee

from . import directory
from .models import Device, DeviceBinding, Fence
from .rules import rule

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    id: int
    protocol: str
    # What the gateway shards by: the person the device is bound to now ("p<id>"), so that a
    # person's phone and wristband reach the same writer (separation, fence counters), else the device.
    shard_key: str = ""


def _stream() -> str:
    return str(rule("REGISTRY_STREAM"))


# -- publishing (any process) ---------------------------------------------------------------------

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _client_for(url: str) -> Any:
    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            import redis

            client = _clients[url] = redis.Redis.from_url(url)
        return client


def _change(device_id: int, identifier: str, protocol: str, active: bool, key: str = "") -> dict[str, str]:
    return {"id": str(device_id), "i": identifier, "p": protocol, "on": "1" if active else "0", "k": key or identifier}


def shard_keys(device_ids: Iterable[int] | None = None) -> dict[int, str]:
    """device id → "p<supervisee id>" for devices bound to someone now (all devices when None)."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import DeviceBinding

    now = timezone.now()
    bindings = DeviceBinding.objects.filter(starts_at__lte=now, ends_at__gt=now).filter(
        Q(unbound_at__isnull=True) | Q(unbound_at__gt=now)
    )
    if device_ids is not None:
        bindings = bindings.filter(device_id__in=list(device_ids))
    return {device: f"p{person}" for device, person in bindings.values_list("device_id", "supervisee_id")}


def publish_devices(
    *, ids: Iterable[int] = (), identifiers: Iterable[str] = (), client: Any = None, removed: Iterable[Device] = ()
) -> int:
    """Append the current state of these devices to the registry stream; how many changes went."""
    url = str(rule("REDIS_URL") or "")
    if client is None and not url:
        return 0
    ids, identifiers = list(ids), list(identifiers)
    changes = [_change(d.pk, d.identifier, d.protocol, False) for d in removed]
    if ids or identifiers:
        rows = Device.objects.filter(pk__in=ids) if ids else Device.objects.filter(identifier__in=identifiers)
        found = list(rows.values_list("pk", "identifier", "protocol", "is_active"))
        keys = shard_keys([row[0] for row in found])
        changes += [
            _change(pk, identifier, protocol, active, keys.get(pk, "")) for pk, identifier, protocol, active in found
        ]
    if not changes:
        return 0
    client = client or _client_for(url)
    maxlen = int(rule("REGISTRY_STREAM_MAXLEN"))
    pipe = client.pipeline(transaction=False)
    for change in changes:
        pipe.xadd(_stream(), change, maxlen=maxlen, approximate=True)
    pipe.execute()
    return len(changes)


def publish_others(*, fences: Iterable[int] = (), supervisees: Iterable[int] = (), client: Any = None) -> int:
    """Append fence and person changes to the registry stream (writers re-read them; gateways skip them)."""
    url = str(rule("REDIS_URL") or "")
    changes = [{"t": "f", "id": str(pk)} for pk in fences] + [{"t": "s", "id": str(pk)} for pk in supervisees]
    if not changes or (client is None and not url):
        return 0
    client = client or _client_for(url)
    maxlen = int(rule("REGISTRY_STREAM_MAXLEN"))
    pipe = client.pipeline(transaction=False)
    for change in changes:
        pipe.xadd(_stream(), change, maxlen=maxlen, approximate=True)
    pipe.execute()
    return len(changes)


def _publish_safely(**kwargs: Any) -> None:
    try:
        publish_devices(**kwargs)
    except Exception:  # noqa: BLE001 - the change is committed; the gateways' periodic reload catches up
        logger.exception("Could not push a device change to the gateways")


def _publish_others_safely(**kwargs: Any) -> None:
    try:
        publish_others(**kwargs)
    except Exception:  # noqa: BLE001 - committed; the writers' signature check catches up
        logger.exception("Could not push a fence or person change to the writers")


@receiver(post_save, sender=Device, dispatch_uid="monitoring_device_feed_saved")
def _device_saved(sender: type[Device], instance: Device, **kwargs: Any) -> None:
    device_id = instance.pk
    transaction.on_commit(lambda: directory.changed(devices=[device_id]))
    if rule("REDIS_URL"):
        transaction.on_commit(lambda: _publish_safely(ids=[device_id]))


@receiver(post_save, sender=DeviceBinding, dispatch_uid="monitoring_device_feed_bound")
def _binding_saved(sender: type[DeviceBinding], instance: DeviceBinding, **kwargs: Any) -> None:
    device_id = instance.device_id  # its people (before and after) are re-read with it
    transaction.on_commit(lambda: directory.changed(devices=[device_id]))
    if rule("REDIS_URL"):  # bound, unbound or shortened: the device's shard key may change
        transaction.on_commit(lambda: _publish_safely(ids=[device_id]))


@receiver(post_delete, sender=Device, dispatch_uid="monitoring_device_feed_deleted")
def _device_deleted(sender: type[Device], instance: Device, **kwargs: Any) -> None:
    device_id = instance.pk
    transaction.on_commit(lambda: directory.changed(devices=[device_id]))
    if rule("REDIS_URL"):
        gone = Device(pk=instance.pk, identifier=instance.identifier, protocol=instance.protocol)
        transaction.on_commit(lambda: _publish_safely(removed=[gone]))


@receiver(post_save, sender=Fence, dispatch_uid="monitoring_device_feed_fence_saved")
@receiver(post_delete, sender=Fence, dispatch_uid="monitoring_device_feed_fence_deleted")
def _fence_changed(sender: type[Fence], instance: Fence, **kwargs: Any) -> None:
    fence_id = instance.pk
    transaction.on_commit(lambda: directory.changed(fences=[fence_id]))
    if rule("REDIS_URL"):
        transaction.on_commit(lambda: _publish_others_safely(fences=[fence_id]))


@receiver(post_save, sender=Supervisee, dispatch_uid="monitoring_device_feed_person_saved")
def _person_saved(sender: type[Supervisee], instance: Supervisee, created: bool = False, **kwargs: Any) -> None:
    if created:  # nobody is bound to a person saved for the first time: no directory holds them
        return
    person_id = instance.pk  # name, office or officer changed: the alerts' recipients and fences follow
    transaction.on_commit(lambda: directory.changed(supervisees=[person_id]))
    if rule("REDIS_URL"):
        transaction.on_commit(lambda: _publish_others_safely(supervisees=[person_id]))


# -- following (writers) ---------------------------------------------------------------------------


def _latest_id(client: Any, stream: str) -> str:
    newest = client.xrevrange(stream, count=1)
    if not newest:
        return "0-0"
    entry_id = newest[0][0]
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


def watch_changes(client: Any) -> Callable[[], bool]:
    """A check for the writer: whether anything changed since the last call (never blocks)."""
    deltas = watch_deltas(client)
    return lambda: deltas() is not None


_READ_AT_MOST = 10_000


def _as_changes(entries: list[tuple[Any, dict[bytes, bytes]]]) -> directory.Changes:
    changes = directory.Changes()
    for _entry_id, fields in entries:
        try:
            number = int(fields[b"id"])
        except (KeyError, ValueError):
            continue
        kind = fields.get(b"t", b"d")
        (changes.fences if kind == b"f" else changes.supervisees if kind == b"s" else changes.devices).add(number)
    return changes


def watch_deltas(client: Any) -> Callable[[], directory.Changes | None]:
    """For a writer: what changed since the last call, by id (None: nothing; never blocks).

    `everything` is set when changes may have been missed: Redis could not be read (restarting:
    what was appended meanwhile is lost, and its publishers only logged it), more than
    _READ_AT_MOST changes at once, or the stream was trimmed past the last one read."""
    stream = _stream()
    last: str | None = None
    lost = False

    def changed() -> directory.Changes | None:
        nonlocal last, lost
        try:
            if last is None:
                last = _latest_id(client, stream)
            response = client.xread({stream: last}, count=_READ_AT_MOST)
            if lost:  # read again after an outage: start from the stream's newest, reload whole once
                lost = False
                newest = _latest_id(client, stream)
                last = max(last, newest, key=_id_key)
                return directory.Changes(everything=True)
        except Exception as error:  # noqa: BLE001 - Redis away: the next successful read reloads whole
            if not lost:
                logger.warning("Device changes could not be read (%s); a whole reload follows", error)
            lost = True
            return None
        if not response:
            return None
        entries = response[0][1]
        entry_id = entries[-1][0]
        previous, last = last, entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
        changes = _as_changes(entries)
        if len(entries) >= _READ_AT_MOST or _trimmed_past(client, stream, previous):
            changes.everything = True
        return changes

    return changed


def _id_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms or 0), int(seq or 0)


def _trimmed_past(client: Any, stream: str, previous: str) -> bool:
    """Whether entries after `previous` may have been trimmed before being read (checked only when
    something arrives: one XRANGE of one entry)."""
    if previous == "0-0":
        return False
    oldest = client.xrange(stream, count=1)
    if not oldest:
        return False
    oldest_id = oldest[0][0].decode() if isinstance(oldest[0][0], bytes) else str(oldest[0][0])
    return _id_key(oldest_id) > _id_key(previous)


# -- following (gateways) --------------------------------------------------------------------------


def _load_all() -> dict[str, RegistryEntry]:
    from django.db import connection

    try:
        keys = shard_keys()
        rows = Device.objects.filter(is_active=True).values_list("pk", "identifier", "protocol")
        return {
            identifier: RegistryEntry(pk, protocol, keys.get(pk, identifier))
            for pk, identifier, protocol in rows.iterator(chunk_size=5000)
        }
    finally:
        connection.close()  # a thread of asgiref's pool: hold no database session between reloads


class DeviceRegistry:
    """A gateway's copy of the registry (identifier → device), kept current by the change stream."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.known: dict[str, RegistryEntry] = {}
        self._identifier_of: dict[int, str] = {}
        self._client: Any = None
        self._task: asyncio.Task[None] | None = None
        self._last = "0-0"
        self.changes_applied = 0
        self.reloads = 0

    async def start(self) -> None:
        import redis.asyncio as aioredis

        # A blocking read waits 1 s; on a loaded machine its answer can take longer than redis-py's 5 s default.
        self._client = aioredis.Redis.from_url(self.url, socket_timeout=30)
        newest = await self._client.xrevrange(_stream(), count=1)
        # Read from before the load: a change made during it is applied again afterwards (harmless).
        self._last = newest[0][0].decode() if newest else "0-0"
        await self.reload()
        self._task = asyncio.get_running_loop().create_task(self._follow())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()

    async def reload(self) -> None:
        known = await asyncio.to_thread(_load_all)
        self.known = known  # swapped whole: submissions read either the old or the new copy
        self._identifier_of = {entry.id: identifier for identifier, entry in known.items()}
        self.reloads += 1

    def apply(self, fields: dict[bytes, bytes]) -> None:
        if fields.get(b"t", b"d") != b"d":  # a fence or a person: only the writers need it
            return
        device_id = int(fields[b"id"])
        identifier = fields[b"i"].decode()
        previous = self._identifier_of.pop(device_id, None)
        if previous is not None:
            self.known.pop(previous, None)  # also an identifier corrected on the page
        if fields.get(b"on") == b"1":
            key = fields.get(b"k", b"").decode() or identifier
            self.known[identifier] = RegistryEntry(device_id, fields[b"p"].decode(), key)
            self._identifier_of[device_id] = identifier
        self.changes_applied += 1

    async def _follow(self) -> None:
        reload_every = float(rule("REGISTRY_RELOAD_SECONDS"))
        next_reload = time.monotonic() + reload_every
        while True:
            try:
                if time.monotonic() >= next_reload:
                    await self.reload()
                    next_reload = time.monotonic() + reload_every
                response = await self._client.xread({_stream(): self._last}, count=1000, block=1000)
                for _stream_key, entries in response or []:
                    for entry_id, fields in entries:
                        self.apply(fields)
                        self._last = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis restarting or slow: the stream keeps the changes
                logger.warning("Following the device registry: %s; reading on from %s in 1 s", error, self._last)
                await asyncio.sleep(1)
