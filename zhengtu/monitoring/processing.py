"""The ingest writer's work on one batch of device reports, in one transaction.

For each report: find the device (or record an unknown one), filter the fixes, store them,
keep the device's latest state, evaluate fences, device alarms and person-device separation,
and raise alerts. Everything here runs on the single writer (thread or worker process); the
state it keeps in memory (last fix, drift counters, open conditions) is therefore consistent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .alerts import raise_alert, recipients_remembered, write_pending
from .bulk import DRIFT_TYPES, STATE_TYPES, append_rows, execute_prepared, execute_rows, sqlite_datetime
from .coords import distance_metres
from .directory import DeviceEntry, Directory, SuperviseeEntry
from .filters import FilterSettings, LastFix, Screen
from .live import bus
from .models import Alert, AlertKind, Device, DeviceState, FenceState, Position, UnknownDevice
from .protocols.base import Alarm, DeviceMessage, Fix, MessageKind
from .rules import rule

POSITION_COLUMNS = (
    "device_id",
    "supervisee_id",
    "fix_time",
    "server_time",
    "latitude",
    "longitude",
    "altitude",
    "speed_kmh",
    "course",
    "accuracy",
    "satellites",
    "battery_percent",
    "alarms",
)

logger = logging.getLogger(__name__)

BATTERY_HYSTERESIS = 5
SOS_REPEAT_MINUTES = 10
SEPARATION_CLEAR_SHARE = 0.8  # together again only below 80 % of the separation distance
# Read once: a choices enum's `.value` is a Python-level property, looked up for every fix.
_TAMPER, _LOW_BATTERY, _SEPARATION = AlertKind.TAMPER.value, AlertKind.LOW_BATTERY.value, AlertKind.SEPARATION.value


@dataclass(slots=True)
class Report:
    """One decoded device message as the gateway received it."""

    protocol: str
    message: DeviceMessage
    received_at: dt.datetime
    received_monotonic: float = field(default_factory=time.monotonic)
    remote_address: str = ""
    # JT/T 808: whether the connection authenticated this terminal (0x0102) before the report
    # was submitted. Other protocols have no authentication step and always pass True.
    authenticated: bool = True


@dataclass(slots=True)
class Outcome:
    known: bool
    auth_code: str = ""  # only in the answer to an accepted JT/T 808 registration
    stored: int = 0
    rejected: int = 0
    # JT/T 808: refused, nothing stored: data from a connection that had not authenticated, a
    # wrong authentication code, a second registration.
    refused: bool = False
    # JT/T 808 authentication (0x0102): the code matched.
    authenticated: bool = False
    # JT/T 808 registration (0x0100): the 0x8100 result (0 accepted, 3 already registered).
    registration: int = 0


REGISTER_ALREADY = 3  # JT/T 808 0x8100 result "terminal already registered"


@dataclass(frozen=True, slots=True)
class BatchRules:
    """The settings one batch is evaluated with, read once per batch."""

    confirm_fixes: int
    confirm_seconds: int
    separation_max_age: float
    separation_metres: float
    separation_confirm: int
    low_battery: int
    redis_url: str

    @classmethod
    def from_settings(cls) -> BatchRules:
        return cls(
            confirm_fixes=int(rule("BREACH_CONFIRM_FIXES")),
            confirm_seconds=int(rule("BREACH_CONFIRM_SECONDS")),
            separation_max_age=float(rule("SEPARATION_MAX_AGE_SECONDS")),
            separation_metres=float(rule("SEPARATION_METRES")),
            separation_confirm=int(rule("SEPARATION_CONFIRM_FIXES")),
            low_battery=int(rule("LOW_BATTERY_PERCENT")),
            redis_url=str(rule("REDIS_URL") or ""),
        )


@dataclass(slots=True)
class DriftCounter:
    violating_since: dt.datetime | None = None
    violating_fixes: int = 0
    breach_alert_id: int | None = None
    last_evaluated: dt.datetime | None = None


@dataclass(slots=True)
class StateRow:
    last_seen_at: dt.datetime | None = None
    fix_time: dt.datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    speed_kmh: float | None = None
    course: float | None = None
    battery_percent: int | None = None
    remote_address: str = ""


def warm_up() -> None:
    """Load what the first alert needs (the URL configuration, which imports every app's views)
    before the first batch, not in the middle of it: done lazily, it stalls ingest for seconds."""
    from django.urls import NoReverseMatch, reverse

    with contextlib.suppress(NoReverseMatch):  # a site without the monitoring pages still ingests
        reverse("monitoring:alert_detail", args=[1])


class BatchRefused(Exception):  # noqa: N818 - a refusal, not a fault
    """Raised by a batch's `guard` (the scaled shape's shard fence, `streams.py`): the batch is
    rolled back whole and goes up as is, neither retried report by report nor answered."""


class BatchProcessor:
    def __init__(self, directory: Directory | None = None) -> None:
        self.directory = directory or Directory()
        self.filters = FilterSettings.from_settings()
        self.rules = BatchRules.from_settings()
        self.states: dict[int, StateRow] = {}
        self.last_fix: dict[int, LastFix] = {}
        self.drift: dict[tuple[int, int], DriftCounter] = {}
        self.drift_loaded: set[int] = set()
        self.open_conditions: dict[tuple[str, int], int] = {}  # (kind, device or supervisee id) → alert id
        self.separation_counts: dict[int, int] = {}
        self.last_sos: dict[int, dt.datetime] = {}
        self._conditions_loaded = False
        self._dirty_drift: set[tuple[int, int]] = set()
        self._cleared: set[int] = set()  # alerts whose condition ended in this batch
        # Alerts raised in this batch are inserted together at its end (`alerts.write_pending`);
        # until then drift counters and open conditions hold a provisional id (negative) of theirs.
        self._provisional: list[Alert] = []
        self._provisional_conditions: list[tuple[str, int]] = []
        self._adapt: Any = connection.ops.adapt_datetimefield_value
        self._adapted: dict[dt.datetime, Any] = {}
        self.fixes_stored = 0
        self.fixes_rejected = 0
        self.fixes_evaluated = 0
        self.reports_refused = 0
        self.unknown_rows: int | None = None
        self.unknown_dropped = 0
        self._unknown_logged_at = -60.0
        self._guard: Callable[[], None] | None = None  # see process()

    # -- entry point -------------------------------------------------------------------------

    def process(self, reports: list[Report], *, guard: Callable[[], None] | None = None) -> list[Outcome]:
        """Store and evaluate a batch; if it fails as a whole, each report is retried alone.

        When the database itself is unreachable (a restart, a lost connection) the error goes up
        at once, for the whole batch: nothing of it is acknowledged, the devices send again and
        the duplicate check stores what a retried report had already stored only once. (Retried
        one by one, thousands of reports would each wait for a connection, log a traceback and
        be answered as if their device were unknown.)

        `guard`, if given, runs last inside the batch's transaction (before the commit); it raises
        `BatchRefused` to roll the whole batch back."""
        self._guard = guard
        try:
            return self._process_atomic(reports)
        except (OperationalError, InterfaceError, BatchRefused):
            raise
        except Exception:
            if len(reports) == 1:
                raise
            logger.exception("Batch of %d reports failed; retrying one by one", len(reports))
        outcomes = []
        for report in reports:
            try:
                outcomes.extend(self._process_atomic([report]))
            except (OperationalError, InterfaceError, BatchRefused):
                raise
            except Exception:
                logger.exception("Report from %s could not be stored", report.message.identifier)
                outcomes.append(Outcome(known=False))
        return outcomes

    def _process_atomic(self, reports: list[Report]) -> list[Outcome]:
        self.directory.refresh_if_stale()
        self.filters = FilterSettings.from_settings()
        self.rules = BatchRules.from_settings()
        try:
            with transaction.atomic(), recipients_remembered():
                outcomes = self._process(reports)
                if self._guard is not None:
                    self._guard()
                return outcomes
        except Exception:
            self._forget()
            raise

    def forget_devices(self) -> None:
        """Drop what memory holds about devices and people (reloaded from the database as they
        report): for a writer that takes over a shard, whose devices another writer stored meanwhile."""
        self.states.clear()
        self.last_fix.clear()
        self.drift.clear()
        self.drift_loaded.clear()
        self._dirty_drift.clear()
        self.open_conditions.clear()
        self._conditions_loaded = False
        self.separation_counts.clear()
        self.last_sos.clear()

    def _forget(self) -> None:
        """After a rolled-back batch, drop what memory holds; it is reloaded from the database."""
        self.states.clear()
        self.last_fix.clear()
        self.drift.clear()
        self.drift_loaded.clear()
        self._dirty_drift.clear()
        self._cleared.clear()
        self._provisional.clear()
        self._provisional_conditions.clear()
        self.open_conditions.clear()
        self._conditions_loaded = False
        self.separation_counts.clear()
        self.directory.expire()  # e.g. a registration marked in memory but rolled back

    # -- the batch ---------------------------------------------------------------------------

    def _process(self, reports: list[Report]) -> list[Outcome]:
        now = timezone.now()
        self._load_conditions()
        known: list[tuple[Report, DeviceEntry]] = []
        unknown: dict[tuple[str, str], list[Report]] = {}
        outcomes: list[Outcome] = []
        registered: list[int] = []
        for report in reports:
            device = self.directory.device(report.message.identifier)
            if device is None or device.protocol != report.protocol:
                unknown.setdefault((report.protocol, report.message.identifier), []).append(report)
                outcomes.append(Outcome(known=False))
                continue
            kind = report.message.kind
            outcome = Outcome(known=True)
            if kind is MessageKind.REGISTER:
                # The code goes to the first registration only (or after an administrator's reset).
                if device.registered:
                    self.reports_refused += 1
                    outcomes.append(Outcome(known=True, refused=True, registration=REGISTER_ALREADY))
                    continue
                device.registered = True
                registered.append(device.id)
                outcome.auth_code = device.auth_code
            elif kind is MessageKind.LOGIN and report.protocol == "jt808":
                given = str(report.message.extra.get("auth_code", ""))
                if not (device.auth_code and hmac.compare_digest(given.encode(), device.auth_code.encode())):
                    self.reports_refused += 1
                    outcomes.append(Outcome(known=True, refused=True))
                    continue
                outcome.authenticated = True
            elif device.secret_hash and not _secret_matches(report.message, device.secret_hash):
                # OsmAnd phone with a secret: a report without it (or with another) is refused.
                self.reports_refused += 1
                outcomes.append(Outcome(known=True, refused=True))
                continue
            elif not (report.authenticated or device.auth_optional):
                # JT/T 808 data before authentication: refused, nothing stored.
                self.reports_refused += 1
                outcomes.append(Outcome(known=True, refused=True))
                continue
            known.append((report, device))
            outcomes.append(outcome)
        if registered:
            Device.objects.filter(pk__in=registered).update(jt808_registered_at=now)
        if unknown:
            self._record_unknown(unknown, now)
        if not known:
            return outcomes
        device_ids = {device.id for _report, device in known}
        self._load_states(device_ids)
        self._load_drift({s for _r, d in known if (s := d.supervisee_at(now)) is not None})
        rows: list[tuple[Any, ...]] = []
        self._adapt = sqlite_datetime if connection.vendor == "sqlite" else connection.ops.adapt_datetimefield_value
        # Times adapted for the database once per batch: fixes carry whole seconds, and a batch
        # of thousands of fixes spans a few of them (formatting each cost the writer ~7 % of its CPU).
        self._adapted.clear()
        server_time = self._adapted[now] = self._adapt(now)
        changed_states: set[int] = set()
        live_positions: dict[int, tuple[SuperviseeEntry, DeviceEntry, Fix, dt.datetime]] = {}
        known_outcomes = iter(o for o in outcomes if o.known and not o.refused)
        screen = Screen(self.filters, now)
        dedupe = self.filters.duplicates
        seen: set[tuple[int, dt.datetime]] = set()  # (device, fix time) stored in this batch
        supervisees = self.directory.supervisees
        for report, device in known:
            outcome = next(known_outcomes)
            state = self.states[device.id]
            state.last_seen_at = now
            state.remote_address = report.remote_address[:64]
            message = report.message
            if message.battery_percent is not None:
                state.battery_percent = message.battery_percent
            changed_states.add(device.id)
            person_id = device.supervisee_at(now)
            person = supervisees.get(person_id) if person_id is not None else None
            fixes = message.fixes if len(message.fixes) < 2 else sorted(message.fixes, key=_fix_time)
            duplicates = 0
            for fix in fixes:
                last = self.last_fix.get(device.id)
                reason = screen.rejection(fix, last)
                if reason is None and last is not None and fix.time < last.time and dedupe:
                    reason = self._resent(device.id, fix, seen)
                if reason is not None:
                    outcome.rejected += 1
                    self.fixes_rejected += 1
                    duplicates += reason == "duplicate"
                    continue
                seen.add((device.id, fix.time))
                outcome.stored += 1
                self.fixes_stored += 1
                fix_person_id = device.supervisee_at(fix.time)
                rows.append(self._row(device.id, fix_person_id, fix, server_time, message))
                last = self.last_fix.get(device.id)
                if last is None or fix.time >= last.time:
                    self.last_fix[device.id] = LastFix(fix.time, fix.latitude, fix.longitude)
                    state.fix_time, state.latitude, state.longitude = fix.time, fix.latitude, fix.longitude
                    state.speed_kmh, state.course = fix.speed_kmh, fix.course
                    if person is not None and fix_person_id == person.id:
                        self.fixes_evaluated += 1
                        if person.fences:
                            self._evaluate_fences(person, device, fix, report, now)
                        if len(person.devices) > 1:
                            self._evaluate_separation(person, device, fix, report, now)
                        live_positions[device.id] = (person, device, fix, report.received_at)
            # A message whose every fix was stored before is a resend: its alarms were acted on then.
            if person is not None and not (fixes and duplicates == len(fixes)):
                self._evaluate_device_alarms(person, device, message, report, now)
        if rows:
            self._insert_positions(rows)
        if self._provisional:
            self._insert_alerts()
        self._flush_drift()
        if self._cleared:
            Alert.objects.filter(pk__in=self._cleared, cleared_at__isnull=True).update(cleared_at=now)
            self._cleared.clear()
        self._save_states(changed_states)
        self._clear_offline(device_ids, now)
        if live_positions and (bus.has_local_subscribers or self.rules.redis_url):
            events = [self._live_position(*entry) for entry in live_positions.values()]
            transaction.on_commit(lambda: bus.publish(events))
        return outcomes

    def _provisional_id(self, alert: Alert, condition: tuple[str, int] | None = None) -> int:
        """A stand-in for the id of an alert raised in this batch, not inserted yet: -1, -2, …
        (`condition`: the key of `open_conditions` it is stored under)."""
        self._provisional.append(alert)
        if condition is not None:
            self._provisional_conditions.append(condition)
        return -len(self._provisional)

    def _insert_alerts(self) -> None:
        """Insert the batch's alerts in one statement (a round trip per alert cost the writer more
        than a fifth of its time on PostgreSQL in a burst of border crossings), then put their ids
        where the provisional ones stood: drift counters, open conditions, alerts cleared again."""
        write_pending()
        real = {-index: alert.pk for index, alert in enumerate(self._provisional, start=1)}
        self._provisional.clear()
        for drift_key in self._dirty_drift:  # a counter that raised an alert was saved in the same step
            counter = self.drift[drift_key]
            if counter.breach_alert_id is not None and counter.breach_alert_id < 0:
                counter.breach_alert_id = real[counter.breach_alert_id]
        for condition in self._provisional_conditions:
            alert_id = self.open_conditions.get(condition)
            if alert_id is not None and alert_id < 0:
                self.open_conditions[condition] = real[alert_id]
        self._provisional_conditions.clear()
        if any(alert_id < 0 for alert_id in self._cleared):
            self._cleared = {real.get(alert_id, alert_id) for alert_id in self._cleared}

    def _resent(self, device_id: int, fix: Fix, seen: set[tuple[int, dt.datetime]]) -> str | None:
        """An older fix than the device's last (blind-area data, or a resend of something stored
        before the device got its answer, e.g. across a crash): stored only if no position of the
        device has that fix time and place. In order, a fix newer than the last is new by itself,
        so the index lookup is paid only for out-of-order fixes."""
        if (device_id, fix.time) in seen:
            return "duplicate"
        if Position.objects.filter(
            device_id=device_id, fix_time=fix.time, latitude=fix.latitude, longitude=fix.longitude
        ).exists():
            return "duplicate"
        return None

    # -- storage -----------------------------------------------------------------------------

    def _row(
        self, device_id: int, person_id: int | None, fix: Fix, server_time: Any, message: DeviceMessage
    ) -> tuple[Any, ...]:
        at = self._adapted.get(fix.time)
        if at is None:
            at = self._adapted[fix.time] = self._adapt(fix.time)
        return (
            device_id,
            person_id,
            at,
            server_time,
            fix.latitude,
            fix.longitude,
            fix.altitude,
            fix.speed_kmh,
            fix.course,
            fix.accuracy,
            fix.satellites,
            message.battery_percent,
            ",".join(sorted(message.alarms)),
        )

    def _insert_positions(self, rows: list[tuple[Any, ...]]) -> None:
        append_rows(Position._meta.db_table, POSITION_COLUMNS, rows)

    def _load_states(self, device_ids: set[int]) -> None:
        # Not `device_ids - self.states.keys()`: a set minus a dict's keys walks every key (every
        # device the writer has seen), a tenth of the writer's CPU in small batches.
        states = self.states
        missing = {device_id for device_id in device_ids if device_id not in states}
        if not missing:
            return
        for row in DeviceState.objects.filter(device_id__in=missing):
            self.states[row.device_id] = StateRow(
                row.last_seen_at,
                row.fix_time,
                row.latitude,
                row.longitude,
                row.speed_kmh,
                row.course,
                row.battery_percent,
                row.remote_address,
            )
            if row.fix_time is not None and row.latitude is not None and row.longitude is not None:
                self.last_fix[row.device_id] = LastFix(row.fix_time, row.latitude, row.longitude)
        for device_id in missing - self.states.keys():
            self.states[device_id] = StateRow()

    STATE_COLUMNS = (
        "last_seen_at",
        "fix_time",
        "latitude",
        "longitude",
        "speed_kmh",
        "course",
        "battery_percent",
        "remote_address",
    )

    def _save_states(self, device_ids: Iterable[int]) -> None:
        """One upsert for every device of the batch (INSERT … ON CONFLICT works on SQLite and PostgreSQL)."""
        rows = []
        # Every state saved was seen now, and most fix times of the batch were adapted for its
        # positions already: one formatting per distinct time, not two per device.
        adapted, adapt = self._adapted, self._adapt
        for device_id in device_ids:
            state = self.states[device_id]
            times = []
            for moment in (state.last_seen_at, state.fix_time):
                text = None
                if moment is not None:
                    text = adapted.get(moment)
                    if text is None:
                        text = adapted[moment] = adapt(moment)
                times.append(text)
            rows.append(
                (
                    device_id,
                    *times,
                    state.latitude,
                    state.longitude,
                    state.speed_kmh,
                    state.course,
                    state.battery_percent,
                    state.remote_address,
                )
            )
        if not rows:
            return
        table = connection.ops.quote_name(DeviceState._meta.db_table)
        columns = ", ".join(self.STATE_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in self.STATE_COLUMNS)
        sql = f"INSERT INTO {table} (device_id, {columns}) {{source}} ON CONFLICT (device_id) DO UPDATE SET {updates}"  # noqa: S608
        execute_rows(sql, rows, STATE_TYPES)

    def _record_unknown(self, unknown: dict[tuple[str, str], list[Report]], now: dt.datetime) -> None:
        """Count frames of unregistered devices in their row of the list (for registration). The
        list is bounded (UNKNOWN_DEVICES_MAX rows): past it, new identifiers are only counted, so
        a sender inventing identifiers cannot grow the table, or the log, without end."""
        if self.unknown_rows is None:
            self.unknown_rows = UnknownDevice.objects.count()
        limit = int(rule("UNKNOWN_DEVICES_MAX"))
        for (protocol, identifier), reports in unknown.items():
            address = reports[-1].remote_address[:64]
            updated = UnknownDevice.objects.filter(protocol=protocol, identifier=identifier).update(
                last_seen_at=now, frames=F("frames") + len(reports), remote_address=address
            )
            if updated:
                continue
            if self.unknown_rows >= limit:
                self.unknown_dropped += len(reports)
                continue
            UnknownDevice.objects.create(
                protocol=protocol,
                identifier=identifier[:64],
                first_seen_at=now,
                last_seen_at=now,
                frames=len(reports),
                remote_address=address,
            )
            self.unknown_rows += 1
            logger.info("Frames from unknown %s device %s (%d)", protocol, identifier[:64], len(reports))
        if self.unknown_dropped and time.monotonic() - self._unknown_logged_at >= 60:
            logger.warning(
                "The list of unknown devices is full (%d rows): %d frames of further unknown devices counted only",
                limit,
                self.unknown_dropped,
            )
            self._unknown_logged_at = time.monotonic()

    def _clear_offline(self, device_ids: set[int], now: dt.datetime) -> None:
        """Offline alerts are raised by the periodic job (any process): one update of the batch's
        devices' open ones, found through the alerts' device index. Reading every open offline
        alert on every batch cost about 5 ms a batch once a storm of 5,000 was open, for as long
        as they stayed open; the same update through the ORM, preparing each id as a parameter,
        about 1.2 ms a batch of 250 devices even with none open; this about 0.25 ms."""
        if not device_ids:
            return
        ops = connection.ops
        table = ops.quote_name(Alert._meta.db_table)
        # One statement text whatever the devices (the ids as one parameter), so the database
        # keeps it prepared: ids written into the text made SQLite compile it again on every
        # batch, and PostgreSQL parse and plan it (a few hundred µs a batch of its CPU).
        if connection.vendor == "postgresql":
            sql = f"UPDATE {table} SET cleared_at = %b WHERE device_id = ANY(%b::int8[]) AND kind = %b AND cleared_at IS NULL"  # noqa: S608
            execute_prepared(sql, [now, [int(d) for d in device_ids], AlertKind.OFFLINE.value])
            return
        ids = "[" + ",".join(str(int(d)) for d in device_ids) + "]"  # ints: nothing to quote
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET cleared_at = %s WHERE device_id IN (SELECT value FROM json_each(%s)) "  # noqa: S608
                "AND kind = %s AND cleared_at IS NULL",
                [ops.adapt_datetimefield_value(now), ids, AlertKind.OFFLINE.value],
            )

    # -- conditions kept across batches --------------------------------------------------------

    def _load_conditions(self) -> None:
        if self._conditions_loaded:
            return
        open_alerts = Alert.objects.filter(
            cleared_at__isnull=True, kind__in=[AlertKind.TAMPER, AlertKind.LOW_BATTERY, AlertKind.SEPARATION]
        ).values_list("pk", "kind", "device_id", "supervisee_id")
        for pk, kind, device_id, supervisee_id in open_alerts:
            key = supervisee_id if kind == AlertKind.SEPARATION else device_id
            self.open_conditions[(kind, key)] = pk
        self._conditions_loaded = True

    def _load_drift(self, supervisee_ids: set[int]) -> None:
        missing = supervisee_ids - self.drift_loaded
        if not missing:
            return
        for row in FenceState.objects.filter(supervisee_id__in=missing):
            self.drift[(row.supervisee_id, row.fence_id)] = DriftCounter(
                row.violating_since, row.violating_fixes, row.breach_id, None
            )
        self.drift_loaded |= missing

    def _save_drift(self, person_id: int, fence_id: int, counter: DriftCounter) -> None:
        self._dirty_drift.add((person_id, fence_id))

    def _flush_drift(self) -> None:
        """One upsert of the batch's changed drift counters. Through the ORM (`bulk_create` with
        `update_conflicts`) preparing every field of every row cost about a tenth of the writer's
        CPU at saturation, with 5 % of the people crossing a border."""
        if not self._dirty_drift:
            return
        adapted, adapt, drift = self._adapted, self._adapt, self.drift
        rows = []
        for person_id, fence_id in self._dirty_drift:
            counter = drift[(person_id, fence_id)]
            since = counter.violating_since
            if since is not None:
                text = adapted.get(since)
                if text is None:
                    text = adapted[since] = adapt(since)
                since = text
            rows.append((person_id, fence_id, since, counter.violating_fixes, counter.breach_alert_id))
        table = connection.ops.quote_name(FenceState._meta.db_table)
        sql = (
            f"INSERT INTO {table} (supervisee_id, fence_id, violating_since, violating_fixes, breach_id) "  # noqa: S608
            "{source} ON CONFLICT (supervisee_id, fence_id) DO UPDATE SET violating_since = excluded.violating_since, "
            "violating_fixes = excluded.violating_fixes, breach_id = excluded.breach_id"
        )
        execute_rows(sql, rows, DRIFT_TYPES)
        self._dirty_drift.clear()

    # -- evaluation --------------------------------------------------------------------------

    def _evaluate_fences(
        self, person: SuperviseeEntry, device: DeviceEntry, fix: Fix, report: Report, now: dt.datetime
    ) -> None:
        confirm_fixes = self.rules.confirm_fixes
        confirm_seconds = self.rules.confirm_seconds
        for fence in person.fences:
            key = (person.id, fence.id)
            counter = self.drift.get(key)
            if counter is not None and counter.last_evaluated is not None and fix.time < counter.last_evaluated:
                continue  # an older fix (blind-area data) must not undo newer evidence
            violating = fence.active_at(fix.time) and fence.violated_by(fix.latitude, fix.longitude)
            if not violating:
                if counter is not None and (counter.violating_fixes or counter.breach_alert_id):
                    if counter.breach_alert_id is not None:
                        self._cleared.add(counter.breach_alert_id)
                    counter.violating_since, counter.violating_fixes, counter.breach_alert_id = None, 0, None
                    self._save_drift(person.id, fence.id, counter)
                if counter is not None:
                    counter.last_evaluated = fix.time
                continue
            if counter is None:
                counter = self.drift[key] = DriftCounter()
            counter.last_evaluated = fix.time
            if counter.violating_since is None:
                counter.violating_since = fix.time
            counter.violating_fixes += 1
            confirmed = counter.violating_fixes >= confirm_fixes or (
                (fix.time - counter.violating_since).total_seconds() >= confirm_seconds
            )
            if confirmed and counter.breach_alert_id is None:
                detail = (
                    _("Left the fence “%(fence)s”.")
                    if fence.kind == "inclusion"
                    else _("Entered the fence “%(fence)s”.")
                ) % {"fence": fence.name}
                alert = raise_alert(
                    kind=AlertKind.FENCE_BREACH,
                    supervisee_id=person.id,
                    supervisee_name=person.name,
                    officer_id=person.officer_id,
                    office_id=person.office_id,
                    device_id=device.id,
                    fence_id=fence.id,
                    latitude=fix.latitude,
                    longitude=fix.longitude,
                    detail=detail,
                    received_at=report.received_at,
                    received_monotonic=report.received_monotonic,
                    now=now,
                )
                counter.breach_alert_id = self._provisional_id(alert)
            self._save_drift(person.id, fence.id, counter)

    def _evaluate_separation(
        self, person: SuperviseeEntry, device: DeviceEntry, fix: Fix, report: Report, now: dt.datetime
    ) -> None:
        kinds = set(person.devices.values())
        if len(kinds) < 2 or device.id not in person.devices:
            return
        max_age = self.rules.separation_max_age
        others = [
            self.last_fix.get(other_id)
            for other_id, kind in person.devices.items()
            if other_id != device.id and kind != device.kind
        ]
        recent = [o for o in others if o is not None and abs((fix.time - o.time).total_seconds()) <= max_age]
        if not recent:
            return
        distance = min(distance_metres(fix.latitude, fix.longitude, o.latitude, o.longitude) for o in recent)
        key = (_SEPARATION, person.id)
        if distance <= self.rules.separation_metres * SEPARATION_CLEAR_SHARE:
            self.separation_counts[person.id] = 0
            alert_id = self.open_conditions.pop(key, None)
            if alert_id is not None:
                self._cleared.add(alert_id)
            return
        if distance <= self.rules.separation_metres:
            return  # between the clearing and the alert distance: no change (hysteresis)
        self.separation_counts[person.id] = self.separation_counts.get(person.id, 0) + 1
        if key in self.open_conditions or self.separation_counts[person.id] < self.rules.separation_confirm:
            return
        alert = raise_alert(
            kind=AlertKind.SEPARATION,
            supervisee_id=person.id,
            supervisee_name=person.name,
            officer_id=person.officer_id,
            office_id=person.office_id,
            device_id=device.id,
            latitude=fix.latitude,
            longitude=fix.longitude,
            detail=_("Phone and wristband are %(m)d metres apart.") % {"m": distance},
            received_at=report.received_at,
            received_monotonic=report.received_monotonic,
            now=now,
        )
        self.open_conditions[key] = self._provisional_id(alert, key)

    def _evaluate_device_alarms(
        self, person: SuperviseeEntry, device: DeviceEntry, message: DeviceMessage, report: Report, now: dt.datetime
    ) -> None:
        battery = message.battery_percent
        low = self.rules.low_battery
        tamper_open = (_TAMPER, device.id) in self.open_conditions
        low_open = (_LOW_BATTERY, device.id) in self.open_conditions
        if not message.alarms and not tamper_open and (battery is None or (battery >= low and not low_open)):
            return  # the common case: nothing reported, nothing open
        fix = message.fixes[-1] if message.fixes else None
        common: dict[str, Any] = {
            "supervisee_id": person.id,
            "supervisee_name": person.name,
            "officer_id": person.officer_id,
            "office_id": person.office_id,
            "device_id": device.id,
            "latitude": fix.latitude if fix else None,
            "longitude": fix.longitude if fix else None,
            "received_at": report.received_at,
            "received_monotonic": report.received_monotonic,
            "now": now,
        }
        if Alarm.SOS in message.alarms:
            last = self.last_sos.get(device.id)
            if last is None or now - last >= dt.timedelta(minutes=SOS_REPEAT_MINUTES):
                raise_alert(
                    kind=AlertKind.SOS, detail=_("SOS pressed on %(device)s.") % {"device": device.identifier}, **common
                )  # type: ignore[arg-type]
                self.last_sos[device.id] = now
        # Tamper: raised while the device reports it, cleared by a later report without it.
        if message.carries_status or Alarm.TAMPER in message.alarms:
            self._condition(
                AlertKind.TAMPER,
                device.id,
                Alarm.TAMPER in message.alarms,
                lambda: _("%(device)s reports tampering or removal.") % {"device": device.identifier},
                common,
            )
        threshold = low
        if Alarm.LOW_BATTERY in message.alarms or (battery is not None and battery < threshold):
            label = f"{battery}%" if battery is not None else ""
            self._condition(
                AlertKind.LOW_BATTERY,
                device.id,
                True,
                lambda: _("Battery low on %(device)s %(level)s.") % {"device": device.identifier, "level": label},
                common,
            )
        elif battery is not None and battery >= threshold + BATTERY_HYSTERESIS:
            self._condition(AlertKind.LOW_BATTERY, device.id, False, str, common)

    def _condition(
        self, kind: str, key_id: int, active: bool, detail: Callable[[], str], common: dict[str, Any]
    ) -> None:
        key = (kind, key_id)
        if active and key not in self.open_conditions:
            alert = raise_alert(kind=kind, detail=detail(), **common)
            self.open_conditions[key] = self._provisional_id(alert, key)
        elif not active and key in self.open_conditions:
            alert_id = self.open_conditions.pop(key)
            self._cleared.add(alert_id)

    def _live_position(
        self, person: SuperviseeEntry, device: DeviceEntry, fix: Fix, received_at: dt.datetime | None = None
    ) -> dict[str, object]:
        event: dict[str, object] = {
            "type": "position",
            "supervisee_id": person.id,
            "supervisee_name": person.name,
            "device_id": device.id,
            "device_kind": device.kind,
            "latitude": fix.latitude,
            "longitude": fix.longitude,
            "time": fix.time.isoformat(),
        }
        if received_at is not None:  # the gateway's receive time: receive → page latency is measurable
            event["received_at"] = received_at.timestamp()
        return event


def _secret_matches(message: DeviceMessage, expected: str) -> bool:
    given = str(message.extra.get("secret_hash", ""))
    return hmac.compare_digest(given.encode(), expected.encode())


def _fix_time(fix: Fix) -> dt.datetime:
    return fix.time


def _as_dict(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in value.__slots__}  # type: ignore[attr-defined]
